import { ConfigError } from '../../../common/src/errors.js';
import type { Cluster, DiskFaults } from '../runtime/types.js';

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
