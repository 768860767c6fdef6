/**
 * Violations held back for a grace period before they count. A fault's links are changed one
 * proxy at a time and its `fault-end` entry is written when all are done, so for a few ms to a
 * few hundred (many links, a loaded machine) the cluster already sees a heal the history records
 * only later (a `fault-start` is written before its links change: `MajorityWatch` waits for them). A violation judged from what is in force is confirmed once
 * `graceMs` has passed without a fault or process entry that makes it no longer one (`recheck`).
 */
export class Pending<T> {
  private items: Array<{ at: number; item: T }> = [];
  constructor(private readonly graceMs: number) {}

  add(at: number, item: T): void {
    this.items.push({ at, item });
  }

  /** Keeps only the items `holds` still says are violations (call after what is in force changed). */
  recheck(holds: (item: T) => boolean): void {
    this.items = this.items.filter((x) => holds(x.item));
  }

  /** Removes and returns the items whose grace ended before `now`. */
  confirmed(now: number): T[] {
    const done = this.items.filter((x) => now - x.at > this.graceMs);
    if (done.length > 0) this.items = this.items.filter((x) => now - x.at <= this.graceMs);
    return done.map((x) => x.item);
  }

  /** Removes and returns every item left (the history ended). */
  drain(): T[] {
    const all = this.items.map((x) => x.item);
    this.items = [];
    return all;
  }
}

/** The grace of `Pending` for a run: one maximum election timeout. */
export function faultGraceMs(c: { electionTimeoutMax: number }): number {
  return c.electionTimeoutMax;
}
