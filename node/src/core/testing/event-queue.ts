/**
 * A min-queue of timed actions for virtual time: earliest `at` first, ties in insertion
 * order, so a simulation replays exactly.
 */
export class EventQueue<T> {
  private items: { at: number; seq: number; value: T }[] = [];
  private seq = 0;

  /** Adds `value` due at virtual time `at`. */
  push(at: number, value: T): void {
    const item = { at, seq: this.seq++, value };
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const m = this.items[mid]!;
      if (m.at < at || (m.at === at && m.seq < item.seq)) lo = mid + 1;
      else hi = mid;
    }
    this.items.splice(lo, 0, item);
  }

  /** Due time of the earliest item, or Infinity when empty. */
  peekTime(): number {
    return this.items[0]?.at ?? Infinity;
  }

  /** Removes and returns the earliest item. */
  pop(): { at: number; value: T } | undefined {
    return this.items.shift();
  }

  /** Number of queued items. */
  get size(): number {
    return this.items.length;
  }
}
