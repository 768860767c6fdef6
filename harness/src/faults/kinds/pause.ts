import type { Target } from '../../nemesis/types.js';
import { processKind } from '../process-fault.js';

/** SIGSTOP; healed by SIGCONT. */
export interface PauseFault {
  kind: 'pause';
  /** The nodes paused. */
  target: Target;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    pause: PauseFault;
  }
}

/** `pause`: SIGSTOP; healed by SIGCONT. Its targets are down while it holds. */
export const pause = processKind<PauseFault>('pause', 2);
