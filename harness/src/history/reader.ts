import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { RaftChaosError } from '../../../common/src/errors.js';
import type { HistoryEntry } from './types.js';

/** A history file that is not a valid JSON-lines history. Names the file and the line. */
export class HistoryParseError extends RaftChaosError {
  constructor(
    readonly source: string,
    readonly line: number,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super(`${source}:${line}: ${problem}; fix or remove that line (a history is one JSON object per line)`, options);
  }
}

/** Options of the history readers. */
export interface ParseOptions {
  /** Named in error messages (a path). Default `history`. */
  source?: string;
  /**
   * Drop a last line that does not parse and has no final newline (a run killed mid-write)
   * instead of failing. Default false: a bad line anywhere is an error.
   */
  allowTruncatedTail?: boolean;
}

function parseLine(line: string, lineNo: number, source: string): HistoryEntry {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    throw new HistoryParseError(source, lineNo, `not JSON (${(err as Error).message})`, { cause: err });
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new HistoryParseError(source, lineNo, 'not a JSON object');
  }
  const e = value as { type?: unknown; t?: unknown };
  if (typeof e.type !== 'string') throw new HistoryParseError(source, lineNo, 'entry has no string "type"');
  if (typeof e.t !== 'number' || !Number.isFinite(e.t)) {
    throw new HistoryParseError(source, lineNo, `entry of type ${e.type} has no finite number "t"`);
  }
  return value as HistoryEntry;
}

/**
 * Parses a whole history text (JSON lines; blank lines and `\r\n` allowed). Checks only what
 * every entry must have (`type`, numeric `t`), so it is as fast as `JSON.parse`; unknown entry
 * types pass through. Throws HistoryParseError naming the line of the first bad line.
 */
export function parseHistory(text: string, options: ParseOptions = {}): HistoryEntry[] {
  const source = options.source ?? 'history';
  const out: HistoryEntry[] = [];
  const endsWithNewline = text.endsWith('\n');
  let start = 0;
  let lineNo = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    const last = end === -1;
    if (last) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.trim() === '') continue;
    try {
      out.push(parseLine(line, lineNo, source));
    } catch (err) {
      if (last && !endsWithNewline && options.allowTruncatedTail) break;
      throw err;
    }
  }
  return out;
}

/** Reads and parses a whole `history.jsonl` (see parseHistory). The fastest way for files that fit in memory. */
export async function readHistory(path: string, options: Omit<ParseOptions, 'source'> = {}): Promise<HistoryEntry[]> {
  const text = await readFile(path, 'utf8');
  return parseHistory(text, { ...options, source: path });
}

/**
 * Streams a `history.jsonl` entry by entry, for files too large to hold as one string. Same
 * checks and errors as parseHistory, except that a truncated tail is always an error.
 */
export async function* streamHistory(path: string): AsyncGenerator<HistoryEntry> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    yield parseLine(line, lineNo, path);
  }
}
