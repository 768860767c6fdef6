import { createWriteStream, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { RaftChaosError } from '../../../common/src/errors.js';
import type { HistorySink } from './sink.js';
import type { HistoryEntry } from './types.js';

/** Writing `history.jsonl` failed (disk full, directory gone). The run's history is incomplete. */
export class HistoryWriteError extends RaftChaosError {}

/**
 * Appends entries to a JSON-lines file as they happen: one `JSON.stringify(entry)` and a
 * newline per entry, handed to a write stream (no synchronous file calls on the hot path). The
 * stream buffers; `close()` flushes and resolves once everything is on disk, or rejects with
 * the first write error. Entries written after `close()` are refused with a HistoryWriteError.
 *
 * Opens with flag `a`: an existing file is appended to, never truncated.
 */
export class JsonlHistoryWriter implements HistorySink {
  readonly path: string;
  private readonly stream: WriteStream;
  private error: Error | null = null;
  private closing: Promise<void> | null = null;
  private count = 0;

  constructor(path: string) {
    this.path = path;
    this.stream = createWriteStream(path, { flags: 'a', encoding: 'utf8', highWaterMark: 1 << 16 });
    this.stream.on('error', (err) => {
      this.error ??= err;
    });
  }

  /** Entries accepted so far. */
  get written(): number {
    return this.count;
  }

  write(entry: HistoryEntry): void {
    if (this.closing) throw new HistoryWriteError(`history ${this.path} is closed; entry of type ${entry.type} not written`);
    if (this.error) return;
    this.stream.write(JSON.stringify(entry) + '\n');
    this.count++;
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.stream.end();
      try {
        await finished(this.stream);
      } catch (err) {
        this.error ??= err as Error;
      }
      if (this.error) {
        throw new HistoryWriteError(
          `could not write history ${this.path}: ${this.error.message}; check the disk and the report directory`,
          { cause: this.error },
        );
      }
    })();
    return this.closing;
  }
}
