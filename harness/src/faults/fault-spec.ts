/**
 * The spec of each fault kind, by kind name. Each kind's own file under `faults/kinds/` adds
 * its entry (TypeScript declaration merging on this module), so a new kind never edits this file.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface FaultSpecs {}

/**
 * A fault of the nemesis (one of the kinds in faults/registry.ts: partition, one-way, latency,
 * bandwidth, timeout, reset, kill, stop, pause, rolling-restart). Every fault has a heal (see
 * `Step`).
 */
export type FaultSpec = FaultSpecs[keyof FaultSpecs];
