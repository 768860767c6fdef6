import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsMain } from '../test-support/run-process.js';
import type { NightManifest } from './manifest.js';
import type { MergedNight } from './merge.js';

const MAIN = join(import.meta.dirname, '../cli/nightly-main.ts');
const root = mkdtempSync(join(tmpdir(), 'rc-shards-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** `npm run nightly -- ...args` as its own process. */
function nightly(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runTsMain(MAIN, args);
}

// A reduced night on the simulated runtime: five scenarios, a random search of 2 schedules and
// a simulated search of 30: seven items, so each of 3 shards gets two or three.
const NIGHT = ['--runtime', 'sim', '--seed', '11', '--only', 'baseline,partition-leader,kill-leader,split-vote,pause-leader', '--random-runs', '2', '--sim-runs', '30'];
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, 'nightly.json'), 'utf8')) as NightManifest;
const runDirs = (dir: string) => readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const testcases = (xml: string) => (xml.match(/<testcase\b/g) ?? []).length;

describe('sharded nightly', () => {
  it('3 shards as separate processes, merged, give the rows, runs and JUnit cases of the unsharded night', async () => {
    const shards = [1, 2, 3].map((k) => join(root, `shard-${k}`));
    const [s1, s2, s3, whole] = await Promise.all([
      ...shards.map((dir, i) => nightly([...NIGHT, '--shard', `${i + 1}/3`, '--report-dir', dir])),
      nightly([...NIGHT, '--report-dir', join(root, 'whole')]),
    ]);
    for (const r of [s1!, s2!, s3!, whole!]) expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(s2!.stdout).toContain('nightly: 5 scenarios, seed 11, runtime sim, shard 2/3: 2 of 7 items');
    expect(s2!.stdout).toContain('replay: npm run nightly -- --seed 11 --runtime sim --only baseline,partition-leader,kill-leader,split-vote,pause-leader --random-runs 2 --sim-runs 30 --shard 2/3');

    // The shares: item i in shard i mod 3 + 1, disjoint, together the whole night.
    const ms = shards.map(manifest);
    const all = manifest(join(root, 'whole'));
    expect(all.shard).toEqual({ k: 1, n: 1 });
    // Scenarios in the registry's order (not --only's), then the searches.
    expect(all.night).toEqual(['baseline', 'partition-leader', 'kill-leader', 'pause-leader', 'split-vote', 'random (2 schedules)', 'random on sim (30 schedules)']);
    expect(ms.map((m) => m.items)).toEqual([
      ['baseline', 'pause-leader', 'random on sim (30 schedules)'],
      ['partition-leader', 'split-vote'],
      ['kill-leader', 'random (2 schedules)'],
    ]);
    for (const m of ms) expect(m.night).toEqual(all.night);

    const merged = await nightly(['--merge', ...shards, '--report-dir', join(root, 'merged')]);
    expect(merged.code, merged.stdout + merged.stderr).toBe(0);
    const night = JSON.parse(readFileSync(join(root, 'merged', 'nightly-merged.json'), 'utf8')) as MergedNight & { runs: string[] };
    // Same items, same verdicts (the simulated runtime is deterministic under a seed).
    const rowsOf = (rows: ReadonlyArray<{ scenario: string; verdict: string }>) => rows.map((r) => `${r.scenario}: ${r.verdict}`).sort();
    expect(rowsOf(night.rows)).toEqual(rowsOf(all.rows));
    expect(night.rows).toHaveLength(7);
    expect(night).toMatchObject({ present: [1, 2, 3], missing: [], verdict: 'valid', exitCode: 0 });
    expect(merged.stdout).toContain('nightly: 7 runs: 7 valid, 0 invalid, 0 unknown');
    // Every run directory of every shard is in the merge, as many as the unsharded night wrote.
    const mergedRuns = runDirs(join(root, 'merged'));
    expect(mergedRuns.sort()).toEqual(ms.flatMap((m) => m.runs).sort());
    expect(mergedRuns).toHaveLength(runDirs(join(root, 'whole')).length);
    // One JUnit file with the unsharded night's test cases, one index listing every run.
    const junit = readFileSync(join(root, 'merged', 'junit.xml'), 'utf8');
    expect(testcases(junit)).toBe(testcases(readFileSync(join(root, 'whole', 'junit.xml'), 'utf8')));
    expect(testcases(junit)).toBeGreaterThanOrEqual(7);
    const index = readFileSync(join(root, 'merged', 'index.html'), 'utf8');
    for (const run of mergedRuns.filter((d) => existsSync(join(root, 'merged', d, 'summary.json')))) expect(index).toContain(run);
    expect(readFileSync(join(root, 'merged', 'nightly-summary.md'), 'utf8')).toContain('| pause-leader | 1/3 | valid |');
  }, 120_000);

  it('a missing shard makes the merged night unknown (exit 2) and errs in its JUnit', async () => {
    const r = await nightly(['--merge', join(root, 'shard-1'), join(root, 'shard-3'), '--report-dir', join(root, 'partial')]);
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain('MISSING 2/3');
    expect(r.stdout).toContain('| partition-leader | 2/3 | unknown | 0.0 s | not run: shard 2/3 is missing |');
    const junit = readFileSync(join(root, 'partial', 'junit.xml'), 'utf8');
    expect(junit).toContain('<testcase classname="raft-chaos.nightly" name="split-vote"');
    expect(junit).toContain('not run: shard 2/3 is missing');
  });

  it('--sizes runs each scenario on each size, one item per pair, sharded like any other item', async () => {
    const dir = join(root, 'sizes');
    const r = await nightly(['--runtime', 'sim', '--seed', '5', '--only', 'baseline', '--sizes', '5,3', '--random-runs', '0', '--sim-runs', '0', '--shard', '2/2', '--report-dir', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('| baseline (5 nodes) | valid |');
    expect(r.stdout).not.toContain('baseline (3 nodes)');
    expect(r.stdout).toContain('replay: npm run nightly -- --seed 5 --runtime sim --only baseline --random-runs 0 --sim-runs 0 --sizes 3,5 --shard 2/2');
    expect(manifest(dir)).toMatchObject({ night: ['baseline (3 nodes)', 'baseline (5 nodes)'], items: ['baseline (5 nodes)'] });
    const [run] = runDirs(dir);
    expect(JSON.parse(readFileSync(join(dir, run!, 'summary.json'), 'utf8'))).toMatchObject({ scenario: 'baseline', nodes: 5 });
  });

  it('refuses --shard 0/3, 4/3, x, and more shards than items, with exit 2, running nothing', async () => {
    const cases = [
      ['0/3', '--shard must be K/N with 1 <= K <= N <= 256 (e.g. --shard 2/3), got "0/3"'],
      ['4/3', '--shard must be K/N with 1 <= K <= N <= 256 (e.g. --shard 2/3), got "4/3"'],
      ['x', '--shard must be K/N with 1 <= K <= N <= 256 (e.g. --shard 2/3), got "x"'],
      ['8/8', '--shard 8/8: the night has only 7 item(s); use at most 7 shards'],
    ] as const;
    const dirs = cases.map(([shard]) => join(root, `bad-${shard.replace('/', '-')}`));
    const results = await Promise.all(cases.map(([shard], i) => nightly([...NIGHT, '--shard', shard, '--report-dir', dirs[i]!])));
    results.forEach((r, i) => {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain(cases[i]![1]);
      expect(existsSync(dirs[i]!)).toBe(false);
    });
  });

  it('refuses to merge a directory that is not a shard, with exit 2', async () => {
    const notShard = join(root, 'not-a-shard');
    mkdirSync(notShard);
    const r = await nightly(['--merge', join(root, 'shard-1'), notShard, '--report-dir', join(root, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`--merge: "${notShard}" is not a nightly shard's report directory (it has no nightly.json)`);
    expect(existsSync(join(root, 'never'))).toBe(false);
    const none = await nightly(['--merge']);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--merge needs the shards' report directories");
  });
});
