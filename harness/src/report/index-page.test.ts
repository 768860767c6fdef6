import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { banner, collectRuns, indexRows, searchOf, trends, writeIndex } from './index-page.js';

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

describe('index: deliberate bugs, random searches, simulated runs', () => {
  const base = { nodes: 3, checks: {}, elections: 2, failovers: [], durationMs: 9000 };

  it('shows runs with deliberate bugs as expected to fail, not as a red page, with runtime and bugs columns', async () => {
    const root = await mkdtemp(join(tmpdir(), 'index-'));
    await fakeRun(root, 'ok', { ...base, scenario: 'baseline', seed: 1, runtime: 'process', verdict: 'valid', startedAt: '2026-12-01T00:00:00.000Z', replay: 'npm run scenario baseline -- --seed 1' });
    await fakeRun(root, 'bug', { ...base, scenario: 'crash-restart', seed: 2, runtime: 'sim', bugs: ['forget-vote'], verdict: 'invalid', startedAt: '2000-01-01T00:00:00.000Z', replay: 'npm run scenario crash-restart -- --seed 2 --bug forget-vote' });
    // An older summary without `bugs`: read from its replay line.
    await fakeRun(root, 'old-bug', { ...base, scenario: 'baseline', seed: 3, runtime: 'process', verdict: 'valid', startedAt: '2026-11-30T00:00:00.000Z', replay: 'npm run scenario baseline -- --seed 3 --bug slow-heartbeat' });
    const runs = await collectRuns(root);
    expect(runs.find((r) => r.dir === 'old-bug')!.bugs).toEqual(['slow-heartbeat']);
    expect(banner(runs)).toEqual({ verdict: 'valid', text: '3 runs: 1 valid, 0 invalid, 0 unknown · 2 with deliberate bugs, expected to fail and not counted here: 1 caught, 1 missed' });
    const page = await readFile((await writeIndex(root)).file, 'utf8');
    expect(page).toMatch(/<header class="run valid"><div class="verdict valid" data-verdict="valid">VALID/);
    expect(page).toMatch(/<tr data-run="bug"><td><span class="badge expected"[^>]*>bug caught<\/span><\/td><td class="name">crash-restart<\/td><td class="mono">2<\/td><td>sim<\/td><td class="mono">forget-vote<\/td>/);
    expect(page).toMatch(/<tr data-run="old-bug"><td><span class="badge missed"[^>]*>bug missed/);
    expect(page).toContain('<th>runtime</th><th>bugs</th>');
    expect([...trends(runs).keys()].sort()).toEqual(['baseline', 'baseline --bug slow-heartbeat', 'crash-restart --bug forget-vote']);
  });

  it('splits a trend by cluster size only when its runs had more than one (nightly --sizes)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'index-'));
    const run = { ...base, seed: 1, runtime: 'sim', verdict: 'valid', startedAt: '2026-12-01T00:00:00.000Z', replay: 'x' };
    await fakeRun(root, 'b3', { ...run, scenario: 'baseline', nodes: 3, failovers: [{ fault: 'kill n1', atMs: 1, ms: 300 }] });
    await fakeRun(root, 'b5', { ...run, scenario: 'baseline', nodes: 5, failovers: [{ fault: 'kill n1', atMs: 1, ms: 900 }] });
    await fakeRun(root, 'k3', { ...run, scenario: 'kill-leader', nodes: 3 });
    await fakeRun(root, 'k3b', { ...run, scenario: 'kill-leader', nodes: 3 });
    const t = trends(await collectRuns(root));
    expect([...t.keys()].sort()).toEqual(['baseline (3 nodes)', 'baseline (5 nodes)', 'kill-leader']);
    expect(t.get('baseline (5 nodes)')!.map((p) => p.worst)).toEqual([900]);
    expect(t.get('kill-leader')!.map((p) => p.runs)).toEqual([2]);
  });

  it('dates simulated runs by when they ran (their folder name), not their virtual 2000-01-01', async () => {
    const root = await mkdtemp(join(tmpdir(), 'index-'));
    await fakeRun(root, '20261205-230000000-baseline-s1', { ...base, scenario: 'baseline', seed: 1, runtime: 'process', verdict: 'valid', startedAt: '2026-12-05T23:00:00.000Z', replay: '' });
    await fakeRun(root, '20261206-010203045-baseline-s1-sim0abc12', { ...base, scenario: 'baseline', seed: 1, runtime: 'sim', verdict: 'valid', startedAt: '2000-01-01T00:00:00.000Z', replay: '' });
    const runs = await collectRuns(root);
    expect(runs.map((r) => r.runtime)).toEqual(['sim', 'process']);
    expect(new Date(runs[0]!.startedAt).toISOString()).toBe('2026-12-06T01:02:03.045Z');
    expect(trends(runs).get('baseline')!.map((p) => p.day)).toEqual(['2026-12-05', '2026-12-06']);
    const page = await readFile((await writeIndex(root)).file, 'utf8');
    expect(page).not.toContain('2000-01-01');
  });

  it('groups a random search into one row and one trend, newest first', async () => {
    const root = await mkdtemp(join(tmpdir(), 'index-'));
    const search = '20261206-003000000-random-search-s1';
    for (let i = 1; i <= 7; i++) {
      await fakeRun(root, `20261206-0030${String(i).padStart(2, '0')}000-random-1-${i}-s5`, {
        ...base, scenario: `random-1-${i}`, seed: 5, runtime: 'process', verdict: i % 3 === 0 ? 'invalid' : 'valid',
        startedAt: `2026-12-06T00:30:${String(i).padStart(2, '0')}.000Z`, replay: `npm run scenario reports/${search}/scenarios/random-1-${i}.json -- --seed 5`,
      });
    }
    await fakeRun(root, 'later', { ...base, scenario: 'kill-leader', seed: 9, runtime: 'process', verdict: 'valid', startedAt: '2026-12-06T01:00:00.000Z', replay: '' });
    await fakeRun(root, 'earlier', { ...base, scenario: 'kill-leader', seed: 8, runtime: 'process', verdict: 'valid', startedAt: '2026-12-06T00:00:00.000Z', replay: '' });
    const runs = await collectRuns(root);
    const rows = indexRows(runs);
    expect(rows.map((r) => (r.kind === 'run' ? r.run.dir : `${r.group} x${r.runs.length}`))).toEqual(['later', `random search ${search} x7`, 'earlier']);
    const group = rows[1]!;
    expect(group.kind === 'search' && group.runs.map((r) => r.scenario)).toEqual(['random-1-7', 'random-1-6', 'random-1-5', 'random-1-4', 'random-1-3', 'random-1-2', 'random-1-1']);
    expect([...trends(runs).keys()].sort()).toEqual(['kill-leader', `random search ${search}`]);
    const page = await readFile((await writeIndex(root)).file, 'utf8');
    expect(page.match(/data-trend="/g)).toHaveLength(2);
    expect(page).toContain(`data-group="random search ${search}"`);
    expect(page).toContain('7 runs: 2 invalid, 0 unknown');
  });

  it('knows a search by its folder, or by the generated scenario names', () => {
    expect(searchOf('random-1-3', 'npm run scenario reports/20261206-003000000-random-search-s1/scenarios/random-1-3.json -- --seed 5')).toBe('random search 20261206-003000000-random-search-s1');
    expect(searchOf('random-4-min', '')).toBe('random search seed 4');
    expect(searchOf('partition-leader', 'npm run scenario partition-leader')).toBeUndefined();
    expect(searchOf('random-walk', '')).toBeUndefined();
  });
});
