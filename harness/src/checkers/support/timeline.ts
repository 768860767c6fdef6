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

const eventOrderCache = new WeakMap<readonly HistoryEntry[], readonly HistoryEntry[]>();

/**
 * Like `inTimeOrder`, but the events of one boot of a node also keep the order the node wrote
 * them in (their `seq`): a node event that reads earlier than an event its node wrote before it
 * (the mapping of a real node's stamps onto the run clock can swap two events a millisecond
 * apart) is placed at that earlier event's time, just after it. Checkers that follow one node's
 * steps (a round, a leadership) across other nodes' entries need this order. Memoized per
 * history; callers must not mutate the history after calling this.
 */
export function inEventOrder(history: readonly HistoryEntry[]): readonly HistoryEntry[] {
  const hit = eventOrderCache.get(history);
  if (hit) return hit;
  const byBoot = new Map<string, Array<{ e: HistoryEntry; seq: number }>>();
  for (const e of history) {
    if (e.type !== 'node-event') continue;
    const k = `${e.node}\u0000${e.bootId}`;
    const list = byBoot.get(k) ?? [];
    list.push({ e, seq: e.seq });
    byBoot.set(k, list);
  }
  const key = new Map<HistoryEntry, number>();
  for (const list of byBoot.values()) {
    list.sort((a, b) => a.seq - b.seq);
    let last = -Infinity;
    for (const { e } of list) {
      last = Math.max(last, e.t);
      if (last !== e.t) key.set(e, last);
    }
  }
  const at = (e: HistoryEntry) => key.get(e) ?? e.t;
  // Stable sort by key, then seq within a boot for equal keys (a moved event follows its predecessor).
  const seqOf = (e: HistoryEntry) => (e.type === 'node-event' ? e.seq : 0);
  const result = history.slice().sort((a, b) => at(a) - at(b) || (a.type === 'node-event' && b.type === 'node-event' && a.node === b.node && a.bootId === b.bootId ? seqOf(a) - seqOf(b) : 0));
  eventOrderCache.set(history, result);
  return result;
}
