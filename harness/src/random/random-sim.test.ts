import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import { loadScenario } from '../scenario/load.js';
import { SAFETY_CHECKS } from '../checkers/compose.js';
import { parseChecks, runRandom } from '../cli/random-command.js';
import type { RunOne } from './run-record.js';
import { countingOnly } from './sim-run-one.js';
import { runScenario } from '../runner/run-scenario.js';
import { captureConsole } from '../test-support/capture-console.js';

const root = mkdtempSync(join(tmpdir(), 'rc-random-sim-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const captured = captureConsole();

/** `npm run scenario random -- ...args` in this process; resolves to the exit code. */
async function random(dir: string, ...argv: string[]): Promise<number> {
  return runRandom(parseScenarioArgs(['random', '--runtime', 'sim', '--report-dir', join(root, dir), ...argv]));
}

function searchJson(dir: string): Record<string, any> {
  const base = join(root, dir);
  const d = readdirSync(base).find((x) => existsSync(join(base, x, 'search.json')))!;
  return { dir: join(base, d), ...JSON.parse(readFileSync(join(base, d, 'search.json'), 'utf8')) };
}

describe('npm run scenario random -- --runtime sim (in memory)', () => {
  // Each safety bug of the node, on the cluster size where it can show (majority-off-by-one is
  // only wrong for even sizes).
  const bugs = [
    { bug: 'vote-twice', nodes: 3 },
    { bug: 'majority-off-by-one', nodes: 4 },
    { bug: 'forget-vote', nodes: 3 },
  ];
  for (const { bug, nodes } of bugs) {
    it(`${bug} (${nodes} nodes): found, judged under 10 run seeds, shrunk, the minimal file fails again in simulation, one process command printed`, async () => {
      const code = await random(bug, '--seed', '1', '--nodes', String(nodes), '--bug', bug, '--checks', 'safety', '--replay-on', 'none', '--time-limit', '120s');
      expect(code).toBe(1);
      const s = searchJson(bug);
      const f = s['failure'];
      expect(f.minimalSteps.length).toBeGreaterThan(0);
      // Shrinking kept the rate it was asked to keep, and the minimal schedule has it.
      expect(f.seeds.needed).toBeGreaterThanOrEqual(1);
      expect(f.seeds.minimal.failed).toBeGreaterThanOrEqual(f.seeds.needed);
      expect(f.seeds.minimal.tried).toBe(10);
      // Only the minimal's report: no scenario file, report or history per schedule.
      expect(readdirSync(join(s.dir, 'scenarios'))).toEqual([]);
      expect(readdirSync(join(root, bug)).filter((d) => d.includes('-sim'))).toHaveLength(1);
      const file = join(s.dir, 'minimal-scenario.json');
      const text = captured.lines.join('\n');
      expect(text).toContain(`run it on processes: npm run scenario`);
      expect(text).toMatch(new RegExp(`minimal-scenario\\.json -- --seed ${f.runSeed} --runtime process --nodes ${nodes} .*--bug ${bug}`));
      expect(text).toContain('--runtime docker');
      expect(text).toMatch(/fails under \d+ of 10 run seeds/);
      const r = await runScenario(await loadScenario(file), { runtime: 'sim', seed: f.runSeed, nodes, bugs: [bug], writeReport: false, writeHistory: false });
      expect(r.results.filter((c) => c.verdict === 'invalid').map((c) => c.name).some((c) => (SAFETY_CHECKS as readonly string[]).includes(c))).toBe(true);
      // A search, 10-seed judging and shrinking take ~30-45 s on a loaded machine: the unit
      // project's 30 s default is too tight for these cases alone.
    }, 120_000);
  }

  it('the correct node: no safety failure in 150 schedules, exit 0, nothing but search.json written', async () => {
    const code = await random('ok', '--seed', '1', '--runs', '150', '--checks', 'safety');
    expect(code).toBe(0);
    const s = searchJson('ok');
    expect(s['counts'].runs).toBe(150);
    expect(s['counts'].invalid).toBe(0);
    expect(readdirSync(join(root, 'ok'))).toHaveLength(1);
  });

  it('a search where every schedule was valid exits 0 (valid runs are not kept in search.json, but count)', async () => {
    expect(await random('three', '--seed', '1', '--runs', '3', '--replay-on', 'none')).toBe(0);
    expect(searchJson('three')['counts']).toMatchObject({ runs: 3, valid: 3 });
  });

  it('the correct node with every check: slow elections under 1 seed in 10 are variance, not failures (exit 0)', async () => {
    // Seed 1 with the configuration explored meets one such schedule at run 377 (the leader
    // killed, 862 ms for a new one, bound 844 ms, under 1-2 of 10 run seeds). (The 3-node default
    // search's one, schedule 1211, was a false alarm: every vote timed out on a slowed link.)
    const code = await random('ok-all', '--seed', '1', '--explore-config', '--runs', '400', '--replay-on', 'none');
    expect(code).toBe(0);
    const s = searchJson('ok-all');
    expect(s['counts'].variance).toBeGreaterThanOrEqual(1);
    expect(s['counts'].weak).toBeUndefined();
    expect(captured.lines.join('\n')).toContain('overran only a timing bound');
    expect(captured.lines.join('\n')).toContain('no failure found');
  });

  it('--replay-on, --seeds and --jitter are only for --runtime sim; --checks names real checks', async () => {
    expect(await runRandom(parseScenarioArgs(['random', '--runtime', 'process', '--replay-on', 'process', '--report-dir', join(root, 'x')]))).toBe(2);
    expect(await random('y', '--checks', 'nonsense')).toBe(2);
    expect(captured.lines.join('\n')).toContain('--checks must be all, safety, or a comma list');
    expect(await runRandom(parseScenarioArgs(['random', '--runtime', 'process', '--seeds', '5', '--report-dir', join(root, 'z')]))).toBe(2);
    expect(captured.lines.join('\n')).toContain('--seeds is for --runtime sim');
    expect(await runRandom(parseScenarioArgs(['random', '--runtime', 'process', '--jitter', '3', '--report-dir', join(root, 'j')]))).toBe(2);
    expect(captured.lines.join('\n')).toContain('--jitter is for --runtime sim');
    expect(await random('j2', '--jitter', 'x')).toBe(2);
  });
});

describe('--checks', () => {
  it('all, safety, names', () => {
    expect(parseChecks(undefined)).toBeUndefined();
    expect(parseChecks('all')).toBeUndefined();
    expect(parseChecks('safety')).toEqual([...SAFETY_CHECKS]);
    expect(parseChecks('election-time,safety')).toEqual(['election-time', ...SAFETY_CHECKS]);
    expect(() => parseChecks('election')).toThrow(/--checks/);
  });

  it('an invalid verdict from a check that does not count is a valid run, with the check kept as ignored', async () => {
    const runOne: RunOne = async () => ({ verdict: 'invalid', failing: ['election-time', 'one-vote-per-term'], dir: '' });
    const onlyTime: RunOne = async () => ({ verdict: 'invalid', failing: ['election-time'], dir: '' });
    const ctx = { seed: 1, phase: 'search' as const, signal: new AbortController().signal };
    const scenario = { name: 'x', description: '', steps: [] };
    expect(await countingOnly(runOne, [...SAFETY_CHECKS])(scenario, ctx)).toMatchObject({ verdict: 'invalid', failing: ['one-vote-per-term'], ignored: ['election-time'] });
    expect(await countingOnly(onlyTime, [...SAFETY_CHECKS])(scenario, ctx)).toMatchObject({ verdict: 'valid', failing: [], ignored: ['election-time'] });
    expect(countingOnly(runOne, undefined)).toBe(runOne);
  });
});
