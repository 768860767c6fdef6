import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryWriteError, JsonlHistoryWriter } from './writer.js';
import type { HistoryEntry } from './types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rc-writer-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const note = (t: number, message: string): HistoryEntry => ({ type: 'note', t, wall: 1000 + t, level: 'info', message });

describe('JsonlHistoryWriter', () => {
  it('writes one JSON object per line and flushes on close', async () => {
    const path = join(dir, 'history.jsonl');
    const w = new JsonlHistoryWriter(path);
    for (let i = 0; i < 1000; i++) w.write(note(i, `m${i}`));
    await w.close();
    const lines = (await readFile(path, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    expect(lines).toHaveLength(1001);
    expect(JSON.parse(lines[999]!)).toEqual(note(999, 'm999'));
    expect(w.written).toBe(1000);
  });

  it('appends to an existing file rather than truncating it', async () => {
    const path = join(dir, 'history.jsonl');
    await writeFile(path, JSON.stringify(note(0, 'before')) + '\n');
    const w = new JsonlHistoryWriter(path);
    w.write(note(1, 'after'));
    await w.close();
    expect((await readFile(path, 'utf8')).trim().split('\n')).toHaveLength(2);
  });

  it('close is idempotent and refuses later writes', async () => {
    const w = new JsonlHistoryWriter(join(dir, 'h.jsonl'));
    await w.close();
    await w.close();
    expect(() => w.write(note(0, 'late'))).toThrow(HistoryWriteError);
  });

  it('reports an unwritable path from close()', async () => {
    const w = new JsonlHistoryWriter(join(dir, 'missing-dir', 'h.jsonl'));
    w.write(note(0, 'x'));
    await expect(w.close()).rejects.toThrow(HistoryWriteError);
  });
});
