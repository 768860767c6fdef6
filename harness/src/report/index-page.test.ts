import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectRuns, trends, writeIndex } from './index-page.js';

async function fakeRun(root: string, dir: string, s: Record<string, unknown>): Promise<void> {
  await mkdir(join(root, dir), { recursive: true });
  await writeFile(join(root, dir, 'summary.json'), JSON.stringify(s));
}

describe('writeIndex', () => {
  it('lists runs newest first with trends per scenario and day, escaping everything', async () => {
    const root = await mkdtemp(join(tmpdir(), 'index-'));
    const base = { runtime: 'process', nodes: 3, checks: {}, elections: 2, replay: 'x' };
    await fakeRun(root, 'a', { ...base, scenario: 'kill-leader', seed: 1, verdict: 'valid', startedAt: '2025-01-14T02:00:00.000Z', durationMs: 9000, failovers: [{ fault: 'kill n1', atMs: 1, ms: 200, kind: 'fault' }, { fault: 'heal of kill n1', atMs: 5, ms: 3, kind: 'heal' }] });
    await fakeRun(root, 'b', { ...base, scenario: 'kill-leader', seed: 2, verdict: 'invalid', startedAt: '2025-01-15T02:00:00.000Z', durationMs: 9000, checks: { 'election-safety': { verdict: 'invalid', message: 'm' } }, failovers: [{ fault: 'kill n1', atMs: 1, ms: 300 }, { fault: 'kill n2', atMs: 1, ms: 500 }, { fault: 'kill n3', atMs: 1, ms: 100 }] });
    await fakeRun(root, 'c', { ...base, scenario: '<script>alert(1)</script>', seed: 3, verdict: 'valid', startedAt: '2025-01-15T03:00:00.000Z', durationMs: 1, failovers: [] });
    await mkdir(join(root, 'no-summary'));
    await mkdir(join(root, 'broken'));
    await writeFile(join(root, 'broken', 'summary.json'), '{');

    const runs = await collectRuns(root);
    expect(runs.map((r) => r.dir)).toEqual(['c', 'b', 'a']);
    expect(runs[2]!.failoversMs).toEqual([200]);
    const t = trends(runs).get('kill-leader')!;
    expect(t).toEqual([
      { day: '2025-01-14', runs: 1, invalid: 0, unknown: 0, median: 200, worst: 200 },
      { day: '2025-01-15', runs: 1, invalid: 1, unknown: 0, median: 300, worst: 500 },
    ]);

    const { file } = await writeIndex(root);
    const page = await readFile(file, 'utf8');
    expect(page).not.toContain('<script>alert(1)');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.indexOf('data-run="c"')).toBeLessThan(page.indexOf('data-run="b"'));
    expect(page).toContain('href="b/index.html"');
    expect(page).toContain('data-trend="kill-leader"');
    expect(page).toMatch(/INVALID/);
  });

  it('says so when there are no runs', async () => {
    const root = await mkdtemp(join(tmpdir(), 'index-'));
    const { runs, file } = await writeIndex(root);
    expect(runs).toEqual([]);
    expect(await readFile(file, 'utf8')).toContain('NO RUNS');
  });
});
