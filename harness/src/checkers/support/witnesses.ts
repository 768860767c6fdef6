import type { HistoryEntry } from '../../history/types.js';

/** Most witnesses a checker returns; reports show them, so a few dozen at most. */
export const MAX_WITNESSES = 24;

/** Collects witness entries without duplicates, up to a limit. */
export class Witnesses {
  private readonly list: HistoryEntry[] = [];
  private readonly seen = new Set<HistoryEntry>();
  constructor(private readonly limit = MAX_WITNESSES) {}

  /** Adds entries (skipping null, undefined and repeats) while there is room. */
  add(...entries: Array<HistoryEntry | null | undefined>): void {
    for (const e of entries) {
      if (!e || this.seen.has(e) || this.list.length >= this.limit) continue;
      this.seen.add(e);
      this.list.push(e);
    }
  }

  /** The witnesses in time order. */
  toArray(): HistoryEntry[] {
    return this.list.slice().sort((a, b) => a.t - b.t);
  }
}

/** Formats ms for messages: integers as is, others to one decimal. */
export function ms(value: number): string {
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
}
