import type { Target } from '../../nemesis/types.js';
import { processKind } from '../process-fault.js';

/** kill -9; healed by starting it again with the same data directory. */
export interface KillFault {
  kind: 'kill';
  /** The nodes killed. */
  target: Target;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    kill: KillFault;
  }
}

/** `kill`: kill -9; healed by starting it again with the same data directory. Its targets are down while it holds. */
export const kill = processKind<KillFault>('kill', 3);
