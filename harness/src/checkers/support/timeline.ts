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
  // A stable sort by key; then, among entries of one key, each boot's events are put back in
  // their node's order (its `seq`) in the places that boot's events hold, the others unmoved.
  // (A comparator that compared seq only within a boot and called other pairs equal would not
  // be a consistent order, and the sort could then leave a boot's events out of order.)
  const result = history.slice().sort((a, b) => at(a) - at(b));
  for (let start = 0; start < result.length; ) {
    let end = start + 1;
    while (end < result.length && at(result[end]!) === at(result[start]!)) end++;
    if (end - start > 1) inBootOrder(result, start, end);
    start = end;
  }
  eventOrderCache.set(history, result);
  return result;
}

/** Puts each boot's node events of `list[start..end)` in `seq` order within the places they hold. */
function inBootOrder(list: HistoryEntry[], start: number, end: number): void {
  const slots = new Map<string, number[]>();
  for (let i = start; i < end; i++) {
    const e = list[i]!;
    if (e.type !== 'node-event') continue;
    const k = `${e.node}\u0000${e.bootId}`;
    const at = slots.get(k) ?? [];
    at.push(i);
    slots.set(k, at);
  }
  for (const at of slots.values()) {
    if (at.length < 2) continue;
    const events = at.map((i) => list[i]!).sort((a, b) => (a.type === 'node-event' && b.type === 'node-event' ? a.seq - b.seq : 0));
    at.forEach((i, j) => (list[i] = events[j]!));
  }
}
