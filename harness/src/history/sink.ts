import type { HistoryEntry } from './types.js';

/**
 * Where recorded entries go. `write` must not block or throw for ordinary I/O trouble: a sink
 * remembers its first error and reports it from `close()`. `close()` is idempotent.
 */
export interface HistorySink {
  write(entry: HistoryEntry): void;
  close(): Promise<void>;
}

/** A sink that keeps entries in memory (tests, the simulated runtime, checking at the end). */
export class MemorySink implements HistorySink {
  /** Everything written so far, in order. Callers may read it; they must not change it. */
  readonly entries: HistoryEntry[] = [];
  write(entry: HistoryEntry): void {
    this.entries.push(entry);
  }
  async close(): Promise<void> {}
}
