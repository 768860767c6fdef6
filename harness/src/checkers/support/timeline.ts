import type { HistoryEntry } from '../../history/types.js';

const cache = new WeakMap<readonly HistoryEntry[], readonly HistoryEntry[]>();

/**
 * The history ordered by `t` (stable: equal times keep file order). Node events may be written
 * after entries with later times (see history/types.ts); checkers that mix polls with node
 * events need this order. Memoized per history array, so every checker of one `checkAll` shares
 * one sort; when the history is already in order it is returned as is, without copying.
 * Callers must not mutate the history after calling this.
 */
export function inTimeOrder(history: readonly HistoryEntry[]): readonly HistoryEntry[] {
  const hit = cache.get(history);
  if (hit) return hit;
  let sorted = true;
  for (let i = 1; i < history.length; i++) {
    if ((history[i] as HistoryEntry).t < (history[i - 1] as HistoryEntry).t) {
      sorted = false;
      break;
    }
  }
  // Array.prototype.sort is a stable TimSort: near-linear on a history, whose out-of-order
  // entries are a few node events each a few ms early.
  const result = sorted ? history : history.slice().sort((a, b) => a.t - b.t);
  cache.set(history, result);
  return result;
}
