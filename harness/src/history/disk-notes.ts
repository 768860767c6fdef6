/**
 * The fault kinds that act on a node's disk (faults/kinds/disk-fail.ts, corrupt-state.ts): a
 * node they aim at may exit by itself and be right to (a node that cannot persist stops; one
 * whose state file is corrupt refuses to start).
 */
export const DISK_FAULT_KINDS: readonly string[] = ['disk-fail', 'corrupt-state'];

/**
 * What a disk fault's history note records as it changes a node's disk (`note.data.disk`, with
 * `data.node`): `fail` and `heal` for `disk-fail`, `corrupt` and `restore` for `corrupt-state`.
 */
export type DiskNoteAction = 'fail' | 'heal' | 'corrupt' | 'restore';
