import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryParseError, parseHistory, readHistory, streamHistory } from './reader.js';
import type { HistoryEntry } from './types.js';

const entries: HistoryEntry[] = [
  { type: 'phase', t: 0, wall: 10, phase: 'setup' },
  { type: 'poll', t: 1.5, wall: 11, node: 'n1', outcome: 'ok', latencyMs: 1, state: 'leader', term: 2, leader: 'n1' },
  { type: 'run-end', t: 2, wall: 12, durationMs: 2 },
];
const text = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-reader-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('parseHistory', () => {
  it('parses JSON lines, skipping blank lines and CRLF', () => {
    expect(parseHistory(text)).toEqual(entries);
    expect(parseHistory(text.replaceAll('\n', '\r\n') + '\n')).toEqual(entries);
    expect(parseHistory('')).toEqual([]);
  });

  it('names the line of a bad entry', () => {
    const bad = text + '{"type":"note","t":3,\n';
    expect(() => parseHistory(bad, { source: 'h.jsonl' })).toThrow(/h\.jsonl:4: not JSON/);
    try {
      parseHistory(bad);
    } catch (err) {
      expect(err).toBeInstanceOf(HistoryParseError);
      expect((err as HistoryParseError).line).toBe(4);
    }
  });

  it('rejects entries without type or t', () => {
    expect(() => parseHistory('{"t":1}\n')).toThrow(/:1: entry has no string "type"/);
    expect(() => parseHistory('{"type":"x"}\n')).toThrow(/no finite number "t"/);
    expect(() => parseHistory('[1]\n')).toThrow(/not a JSON object/);
  });

  it('drops a truncated last line only when asked', () => {
    const cut = text + '{"type":"no';
    expect(() => parseHistory(cut)).toThrow(HistoryParseError);
    expect(parseHistory(cut, { allowTruncatedTail: true })).toEqual(entries);
    expect(() => parseHistory(cut + '\n', { allowTruncatedTail: true })).toThrow(HistoryParseError);
  });
});

describe('readHistory and streamHistory', () => {
  it('read the same entries from a file', async () => {
    const path = join(dir, 'history.jsonl');
    await writeFile(path, text);
    expect(await readHistory(path)).toEqual(entries);
    const streamed: HistoryEntry[] = [];
    for await (const e of streamHistory(path)) streamed.push(e);
    expect(streamed).toEqual(entries);
  });

  it('streamHistory reports the bad line', async () => {
    const path = join(dir, 'bad.jsonl');
    await writeFile(path, text + 'oops\n');
    const read = async () => {
      for await (const _ of streamHistory(path)) void _;
    };
    await expect(read()).rejects.toThrow(/bad\.jsonl:4/);
  });
});
