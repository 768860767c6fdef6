import type { Target } from '../../nemesis/types.js';
import { processKind } from '../process-fault.js';

/** SIGTERM and wait; healed by starting it again. */
export interface StopFault {
  kind: 'stop';
  /** The nodes stopped. */
  target: Target;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    stop: StopFault;
  }
}

/** `stop`: SIGTERM and wait; healed by starting it again. Its targets are down while it holds. */
export const stop = processKind<StopFault>('stop', 1);
