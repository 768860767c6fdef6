import { ConfigError } from '../../../common/src/errors.js';
import type { Cluster, DiskFaults } from '../runtime/types.js';
import { DISK_FAULT_KINDS } from '../history/disk-notes.js';

/** What of a scenario step the disk's refusal reads (a fault's kind, a repeat's steps). */
type StepLike = object;

export { DISK_FAULT_KINDS, type DiskNoteAction } from '../history/disk-notes.js';

/** The cluster's disk faults; ConfigError naming the fault when this cluster cannot make them. */
export function diskFaultsOf(cluster: Cluster, kind: string): DiskFaults {
  if (cluster.diskFaults === undefined) {
    throw new ConfigError(`fault ${kind} needs a runtime that can fail or corrupt a node's disk (--runtime sim, our own node); ${cluster.runtime} cannot`);
  }
  return cluster.diskFaults;
}

/** The disk fault kinds a scenario's steps use (inside `repeat` too), in first-use order. */
export function diskFaultKindsIn(steps: readonly StepLike[]): string[] {
  const out = new Set<string>();
  const walk = (xs: readonly StepLike[]): void => {
    for (const s of xs) {
      const kind = 'fault' in s ? (s.fault as { kind?: unknown }).kind : undefined;
      if (typeof kind === 'string' && DISK_FAULT_KINDS.includes(kind)) out.add(kind);
      if ('steps' in s && Array.isArray(s.steps)) walk(s.steps as StepLike[]);
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
export function refuseDiskFaults(scenario: string, steps: readonly StepLike[], subject: string | undefined, testbed: string, capable: boolean): void {
  const kinds = diskFaultKindsIn(steps);
  if (kinds.length === 0) return;
  if (subject !== undefined) {
    throw new ConfigError(`${scenario}: ${kinds.join(' and ')} fail or corrupt the disk of the project's own node (its state file, its --disk faults mode); subject ${subject} keeps its own disk and state format, so it cannot take them`);
  }
  if (!capable) {
    throw new ConfigError(`${scenario}: ${kinds.join(' and ')} need a runtime that reaches each node's disk (process or sim); ${testbed} cannot`);
  }
}
