import { ConfigError } from '../../../common/src/errors.js';
import type { Cluster, DiskFaults } from '../runtime/types.js';
import type { Step } from '../scenario/types.js';

/**
 * The fault kinds that act on a node's disk (they need `Cluster.diskFaults`): a node they aim
 * at may exit by itself and be right to (a node that cannot persist stops; one whose state
 * file is corrupt refuses to start).
 */
export const DISK_FAULT_KINDS: readonly string[] = ['disk-fail', 'corrupt-state'];

/** The history note a disk fault records as it changes a node's disk (`note.data.disk`). */
export type DiskNoteAction = 'fail' | 'heal' | 'corrupt' | 'restore';

/** The cluster's disk faults; ConfigError naming the fault when this cluster cannot make them. */
export function diskFaultsOf(cluster: Cluster, kind: string): DiskFaults {
  if (cluster.diskFaults === undefined) {
    throw new ConfigError(`fault ${kind} needs a runtime that can fail or corrupt a node's disk (--runtime sim, our own node); ${cluster.runtime} cannot`);
  }
  return cluster.diskFaults;
}

/** The disk fault kinds a scenario's steps use (inside `repeat` too), in first-use order. */
export function diskFaultKindsIn(steps: readonly Step[]): string[] {
  const out = new Set<string>();
  const walk = (xs: readonly Step[]): void => {
    for (const s of xs) {
      if ('fault' in s && DISK_FAULT_KINDS.includes(s.fault.kind)) out.add(s.fault.kind);
      if ('repeat' in s) walk(s.steps);
    }
  };
  walk(steps);
  return [...out];
}

/**
 * Refuses (ConfigError, exit 2 before anything starts) a scenario whose disk faults this run
 * cannot make: on another subject (it writes its own disk, in its own format) or on a
 * testbed whose nodes' disks the harness cannot reach (Docker).
 */
export function refuseDiskFaults(scenario: string, steps: readonly Step[], subject: string | undefined, testbed: string, capable: boolean): void {
  const kinds = diskFaultKindsIn(steps);
  if (kinds.length === 0) return;
  if (subject !== undefined) {
    throw new ConfigError(`${scenario}: ${kinds.join(' and ')} fail or corrupt the disk of the project's own node (its state file, its --disk faults mode); subject ${subject} keeps its own disk and state format, so it cannot take them`);
  }
  if (!capable) {
    throw new ConfigError(`${scenario}: ${kinds.join(' and ')} need a runtime that reaches each node's disk (process or sim); ${testbed} cannot`);
  }
}
