import type { HistoryEntry } from '../../history/types.js';

/**
 * Where the observed part of a run ends: the start of the `teardown` phase (nodes are being
 * stopped on purpose after it), else the `run-end` entry, else the last entry. -Infinity for
 * an empty history.
 */
export function observedEnd(history: readonly HistoryEntry[]): number {
  let last = Number.NEGATIVE_INFINITY;
  for (const e of history) {
    if (e.type === 'phase' && e.phase === 'teardown') return e.t;
    if (e.type === 'run-end') return e.t;
    if (e.t > last) last = e.t;
  }
  return last;
}

/** True for the entry that starts the `teardown` phase (where checkers stop looking). */
export function isTeardown(e: HistoryEntry): boolean {
  return e.type === 'phase' && e.phase === 'teardown';
}
