import type { HistorySink } from './sink.js';
import type { HistoryEntry, UnstampedEntry } from './types.js';

/** What a Recorder needs: where to write, and the two clocks (injected, so a virtual clock fits). */
export interface RecorderOptions {
  sinks: readonly HistorySink[];
  /** A monotonic clock in ms (e.g. `performance.now`). Only differences are used. */
  monotonic: () => number;
  /** Epoch ms (e.g. `Date.now`). */
  wall: () => number;
  /**
   * The monotonic reading that is `t = 0`. Default: `monotonic()` when the recorder is made.
   */
  origin?: number;
}

/**
 * Stamps entries with `t` (ms since the run started, from the monotonic clock) and `wall`, and
 * hands them to every sink in order. An entry that already carries `t` and `wall` (node events,
 * whose times come from the node) keeps them. Single-threaded by construction: entries reach
 * the sinks in the order `record` is called.
 */
export class Recorder {
  private readonly sinks: readonly HistorySink[];
  private readonly monotonic: () => number;
  private readonly wallClock: () => number;
  /** The monotonic reading at `t = 0`. */
  readonly origin: number;

  constructor(options: RecorderOptions) {
    this.sinks = options.sinks;
    this.monotonic = options.monotonic;
    this.wallClock = options.wall;
    this.origin = options.origin ?? options.monotonic();
  }

  /** Milliseconds since the run started, on the run's clock. */
  now(): number {
    return this.monotonic() - this.origin;
  }

  /** Maps a wall-clock time (epoch ms, e.g. a node event's `atMs`) onto the run's clock. */
  toRunTime(wallMs: number): number {
    return wallMs - this.wallClock() + this.now();
  }

  /** Stamps (unless already stamped) and writes one entry; returns the stamped entry. */
  record(entry: UnstampedEntry): HistoryEntry {
    // `type`, `t`, `wall` first, so a history reads well with `head`; then the entry's other
    // own enumerable fields in their order (what `{ type, t, wall, ...rest }` gives, without
    // building `rest`).
    const stamped: Record<string, unknown> = { type: entry.type, t: entry.t ?? this.now(), wall: entry.wall ?? this.wallClock() };
    const source = entry as unknown as Record<string, unknown>;
    for (const key of Object.keys(source)) if (key !== 't' && key !== 'wall') stamped[key] = source[key];
    const sinks = this.sinks;
    for (let i = 0; i < sinks.length; i++) sinks[i]!.write(stamped as unknown as HistoryEntry);
    return stamped as unknown as HistoryEntry;
  }

  /** Closes every sink (flushing files); rejects with the first sink error after trying all. */
  async close(): Promise<void> {
    const results = await Promise.allSettled(this.sinks.map((s) => s.close()));
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }
}
