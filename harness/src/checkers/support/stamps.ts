import type { HistoryEntry } from '../../history/types.js';

/**
 * How coarse a real node's event stamps are, ms: it stamps with `Date.now()` (whole ms). In
 * simulation the stamps are exact.
 */
export const STAMP_RESOLUTION_MS = 1;

/**
 * How far apart two nodes' event stamps may read from the order they happened in, ms: each is
 * up to STAMP_RESOLUTION_MS coarse, and the harness maps each onto the run clock, which can put
 * two events a millisecond out of order.
 */
export const CROSS_NODE_STAMP_MS = 2 * STAMP_RESOLUTION_MS;

/**
 * The cross-node slack for one history: CROSS_NODE_STAMP_MS on processes and containers, 0 in
 * simulation, whose stamps are exact (a message takes at least 0.2 ms there, so an event
 * stamped after another cannot have caused it).
 */
export function crossNodeSlackMs(history: readonly HistoryEntry[]): number {
  return isSimulated(history) ? 0 : CROSS_NODE_STAMP_MS;
}

/** Whether the history is of a simulated run (its `run-start` says `runtime: 'sim'`): exact stamps, virtual time. */
export function isSimulated(history: readonly HistoryEntry[]): boolean {
  const start = history.find((e) => e.type === 'run-start');
  return start !== undefined && start.type === 'run-start' && start.runtime === 'sim';
}
