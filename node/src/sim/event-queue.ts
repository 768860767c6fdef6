/**
 * A min-queue of timed actions for virtual time: earliest `at` first, ties in insertion
 * order, so a simulation replays exactly. A binary heap on (at, insertion seq): push and pop
 * are O(log n), with no array shifting or splicing.
 */
export class EventQueue<T> {
  // Parallel arrays (no object per item): due time, insertion seq, value.
  private ats: number[] = [];
  private seqs: number[] = [];
  private values: T[] = [];
  private n = 0;
  private seq = 0;

  /** Adds `value` due at virtual time `at`. */
  push(at: number, value: T): void {
    const ats = this.ats;
    const seqs = this.seqs;
    const values = this.values;
    const seq = this.seq++;
    let i = this.n++;
    // Sift up: move parents down until the slot fits.
    while (i > 0) {
      const p = (i - 1) >>> 1;
      const pa = ats[p]!;
      if (pa < at || (pa === at && seqs[p]! < seq)) break;
      ats[i] = pa;
      seqs[i] = seqs[p]!;
      values[i] = values[p]!;
      i = p;
    }
    ats[i] = at;
    seqs[i] = seq;
    values[i] = value;
  }

  /** Due time of the earliest item, or Infinity when empty. */
  peekTime(): number {
    return this.n > 0 ? this.ats[0]! : Infinity;
  }

  /** Removes and returns the earliest item. */
  pop(): { at: number; value: T } | undefined {
    if (this.n === 0) return undefined;
    const at = this.ats[0]!;
    return { at, value: this.popValue() };
  }

  /** Removes the earliest item and returns its value; the queue must not be empty. */
  popValue(): T {
    const ats = this.ats;
    const seqs = this.seqs;
    const values = this.values;
    const top = values[0]!;
    const n = --this.n;
    if (n === 0) {
      values[0] = undefined as T; // let the value be collected
      return top;
    }
    // Sift the last item down from the root.
    const at = ats[n]!;
    const seq = seqs[n]!;
    const value = values[n]!;
    values[n] = undefined as T;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n && (ats[r]! < ats[c]! || (ats[r] === ats[c] && seqs[r]! < seqs[c]!))) c = r;
      const ca = ats[c]!;
      if (at < ca || (at === ca && seq < seqs[c]!)) break;
      ats[i] = ca;
      seqs[i] = seqs[c]!;
      values[i] = values[c]!;
      i = c;
    }
    ats[i] = at;
    seqs[i] = seq;
    values[i] = value;
    return top;
  }

  /** Number of queued items. */
  get size(): number {
    return this.n;
  }
}
