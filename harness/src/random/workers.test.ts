import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SAFETY_CHECKS } from '../checkers/compose.js';
import { runRandom } from '../cli/random-command.js';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import { searchRandom, type SearchOptions, type SearchResult } from './search.js';
import { SIM_ROBUSTNESS } from './seed-rate.js';
import { countingOnly, createSimRunOne } from './sim-run-one.js';
import { simWorkerPool } from './workers.js';
import { captureConsole } from '../test-support/capture-console.js';

const root = mkdtempSync(join(tmpdir(), 'rc-sim-workers-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A simulated search as the CLI runs it, on this thread alone or with `workers` threads. */
async function search(bugs: string[], runs: number, workers: number, more: Partial<SearchOptions> = {}, local = true): Promise<SearchResult> {
  const options = { nodes: 3, bugs };
  const runOne = countingOnly(createSimRunOne({ options, minimalFile: join(root, 'minimal.json'), reportConfirm: false }), [...SAFETY_CHECKS]);
  const pool = workers > 1 ? simWorkerPool(workers, { options, checks: [...SAFETY_CHECKS], robustness: SIM_ROBUSTNESS }, more.signal, local ? runOne : undefined) : undefined;
  try {
    const r = await searchRandom(
      { seed: 1, runs, constraints: { nodes: 3 }, robustness: SIM_ROBUSTNESS, maxShrinks: 20, confirmRuns: 1, greedyTries: 1, ...(pool ? { prefetch: pool } : {}), ...more },
      runOne,
    );
    // The worker threads' share of the runs (virtual time they simulated): 0 when none ran any.
    workerMs = pool?.simulatedMs() ?? 0;
    return r;
  } finally {
    await pool?.close();
  }
}
let workerMs = 0;

/** Everything a search decided, without its timings. */
const decided = (r: SearchResult) => ({
  counts: r.counts,
  runs: r.runs.map((x) => [x.phase, x.index, x.scenario.name, x.seed, x.verdict, x.failing.join(',')]),
  path: r.failure?.path,
  minimal: r.failure?.minimize.steps,
  stopped: r.stopped,
});

describe('the simulated search in worker threads', () => {
  it('finds the same failure as one thread: same runs in the same order, same counts, same path, same minimal schedule', async () => {
    const one = await search(['vote-twice'], 40, 1);
    const two = await search(['vote-twice'], 40, 2);
    const threads = await search(['vote-twice'], 40, 2, {}, false); // every search-phase run in the two threads
    expect(workerMs).toBeGreaterThan(0);
    expect(one.failure).toBeDefined();
    expect(one.runs.filter((r) => r.phase === 'search').length).toBeGreaterThan(1);
    expect(decided(two)).toEqual(decided(one));
    expect(decided(threads)).toEqual(decided(one));
  }, 120_000);

  it('on the correct node: the same schedules, none failing, counted the same', async () => {
    const one = await search([], 30, 1);
    const two = await search([], 30, 2);
    const threads = await search([], 30, 2, {}, false); // two worker threads, none of it here
    expect(workerMs).toBeGreaterThan(0);
    expect(one.counts.runs).toBe(30);
    expect(one.failure).toBeUndefined();
    expect(decided(two)).toEqual(decided(one));
    expect(decided(threads)).toEqual(decided(one));
  }, 60_000);

  it('--explore-config: the threads run the schedules the search tries (each with its configuration), not default-configuration ones', async () => {
    // Threads that ran other schedules (the default arbitrary's) would leave the search to run
    // each schedule itself (its run seed differs), and hand it another schedule's outcome where
    // the run seeds agree (seed 1: the 25th and 33rd). So: every run done in the threads, none
    // here, the same virtual time simulated, the same runs decided.
    const explored = async (workers: number) => {
      const options = { bugs: [] };
      const runOne = createSimRunOne({ options, minimalFile: join(root, 'minimal.json'), reportConfirm: false });
      const pool = workers > 1 ? simWorkerPool(workers, { options, robustness: SIM_ROBUSTNESS }) : undefined;
      try {
        const r = await searchRandom({ seed: 1, runs: 40, constraints: { nodes: 3 }, exploreConfig: true, robustness: SIM_ROBUSTNESS, maxShrinks: 0, confirmRuns: 1, greedyTries: 1, ...(pool ? { prefetch: pool } : {}) }, runOne);
        return { r, here: runOne.simulatedMs(), threads: pool?.simulatedMs() ?? 0 };
      } finally {
        await pool?.close();
      }
    };
    const one = await explored(1);
    const threads = await explored(2);
    expect(one.r.counts.runs).toBe(40);
    expect(threads.here).toBe(0);
    expect(threads.threads).toBeCloseTo(one.here, 3);
    expect(decided(threads.r)).toEqual(decided(one.r));
  }, 120_000);

  it('Ctrl-C: the search stops as interrupted and every worker is gone', async () => {
    const user = new AbortController();
    const t0 = performance.now();
    const r = await search([], 100_000, 2, {
      signal: user.signal,
      onRun: (e) => {
        if (e.record && e.counts.runs >= 5) user.abort();
      },
    });
    expect(r.stopped).toBe('interrupted');
    expect(r.counts.runs).toBeLessThan(100_000);
    expect(performance.now() - t0).toBeLessThan(30_000);
  }, 60_000);
});

describe('--workers', () => {
  const captured = captureConsole();
  const random = (dir: string, ...argv: string[]) => runRandom(parseScenarioArgs(['random', '--report-dir', join(root, dir), ...argv]));
  const failureOf = (dir: string) => {
    const base = join(root, dir);
    const d = readdirSync(base).find((x) => existsSync(join(base, x, 'search.json')))!;
    const f = JSON.parse(readFileSync(join(base, d, 'search.json'), 'utf8'))['failure'];
    return { path: f.path, runSeed: f.runSeed, minimalSteps: f.minimalSteps, seeds: f.seeds, first: f.first };
  };

  it('1 and 2 workers: the same exit code and the same minimal schedule', async () => {
    const args = ['--runtime', 'sim', '--seed', '1', '--runs', '40', '--bug', 'vote-twice', '--checks', 'safety', '--replay-on', 'none', '--max-shrinks', '20'];
    expect(await random('w1', ...args, '--workers', '1')).toBe(1);
    expect(await random('w2', ...args, '--workers', '2')).toBe(1);
    expect(failureOf('w2')).toEqual(failureOf('w1'));
  }, 120_000);

  it('refused with exit 2 when not a whole number from 1, or off the simulated runtime', async () => {
    expect(await random('bad', '--runtime', 'sim', '--workers', '0')).toBe(2);
    expect(captured.lines.join('\n')).toContain('--workers');
    captured.lines = [];
    expect(await random('bad', '--runtime', 'process', '--workers', '2')).toBe(2);
    expect(captured.lines.join('\n')).toMatch(/--workers is for --runtime sim/);
  });
});
