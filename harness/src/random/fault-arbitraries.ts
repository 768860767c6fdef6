import fc from 'fast-check';
import type { FaultKind } from '../faults/fault-kind.js';
import { FAULT_KINDS, faultKindOf } from '../faults/registry.js';
import type { FaultSpec } from '../scenario/types.js';

export { groupTargetArb, linkSelectorArb, singleTargetArb } from '../faults/arbitraries.js';
export { partitionSpecArb } from '../faults/kinds/partition.js';

/** The kinds the random search draws by default: every kind but those drawn only on an option (`randomOptIn`). */
export const DEFAULT_RANDOM_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((k) => k.randomOptIn === undefined);

/** The kinds drawn with the disk faults on (`--disk-faults`): the default ones and the disk's. */
export const DISK_RANDOM_KINDS: readonly FaultKind[] = FAULT_KINDS.filter((k) => k.randomOptIn === undefined || k.randomOptIn === 'disk-faults');

/**
 * Any fault of the vocabulary for a cluster of `n` nodes (n1..nN, n >= 3), weighted towards
 * the ones that move leadership: each registered kind with a random generator contributes it
 * with its weight, in registry order (faults/registry.ts). Every value is a fault the runner
 * can apply to such a cluster. Durations scale with `electionTimeoutMax`. Shrinking: integers
 * towards their smallest meaningful value, choices towards the first listed. `kinds` narrows
 * the vocabulary (default: every registered kind not drawn only on an option).
 */
export function faultSpecArb(n: number, electionTimeoutMax: number, kinds: readonly FaultKind[] = DEFAULT_RANDOM_KINDS): fc.Arbitrary<FaultSpec> {
  return fc.oneof(
    ...kinds.flatMap((k) => (k.random ? [{ arbitrary: k.random.arbitrary(n, electionTimeoutMax) as fc.Arbitrary<FaultSpec>, weight: k.random.weight }] : [])),
  );
}

/** Whether a fault stops, kills or pauses processes (two of these never overlap in a schedule). */
export function isProcessFault(f: FaultSpec): boolean {
  return faultKindOf(f).process === true;
}
