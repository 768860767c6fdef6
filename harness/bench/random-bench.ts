import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countFaults, stepsMs } from '../src/random/schedule-arbitrary.js';
import { createRunOne } from '../src/random/run-one.js';
import { searchRandom, type SearchResult } from '../src/random/search.js';

/**
 * Random schedules on real processes (3 nodes, default timeouts), about 2.5 minutes:
 * - schedules per minute on the correct node (up to 5 schedules, 60 s);
 * - time to find `forget-vote` and `vote-twice` (up to 10 schedules, 45 s each, no shrinking,
 *   one confirmation run): runs until the first failure, seconds, and its size.
 * Seeds are fixed, so two machines (or two commits) run the same schedules.
 */
export async function benchRandom(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'rc-random-bench-'));
  try {
    const search = async (label: string, bugs: string[], runs: number, timeLimitMs: number, maxShrinks: number): Promise<SearchResult> => {
      const dir = join(root, label);
      mkdirSync(join(dir, 'scenarios'), { recursive: true });
      const runOne = createRunOne({
        scenarioDir: join(dir, 'scenarios'),
        minimalFile: join(dir, 'minimal-scenario.json'),
        options: { runtime: 'process', nodes: 3, reportDir: dir, bugs, writeReport: false },
      });
      return searchRandom({ seed: 1, runs, constraints: { nodes: 3 }, timeLimitMs, maxShrinks, confirmRuns: 1, greedyTries: 0 }, runOne);
    };

    const ok = await search('correct', [], 5, 60_000, 0);
    // A failure ends fast-check's search early: the rate counts every run made.
    const perMin = ok.runs.length / (ok.elapsedMs / 60_000);
    const meanS = ok.runs.reduce((s, r) => s + r.durationMs, 0) / Math.max(1, ok.runs.length) / 1000;
    console.log(
      `random schedules on processes: ${ok.runs.length} in ${(ok.elapsedMs / 1000).toFixed(1)} s = ${perMin.toFixed(1)} schedules/min ` +
        `(mean ${meanS.toFixed(1)} s per run; ${ok.counts.valid} valid, ${ok.counts.invalid} invalid, ${ok.counts.unknown} unknown)`,
    );
    // Not thrown: an invalid run of the correct node is a figure worth seeing (a checker's false positive or a node bug).
    if (ok.failure) console.log(`  the correct node was called invalid by ${ok.failure.first.failing.join(', ')} in ${ok.failure.first.scenario.name}`);

    for (const bug of ['forget-vote', 'vote-twice']) {
      const r = await search(bug, [bug], 10, 45_000, 0);
      const f = r.failure;
      if (!f) {
        console.log(`time to find ${bug}: not found in ${r.counts.runs} schedule(s), ${(r.elapsedMs / 1000).toFixed(1)} s`);
        continue;
      }
      const upTo = r.runs.filter((x) => x.phase === 'search');
      const foundS = upTo.reduce((s, x) => s + x.durationMs, 0) / 1000;
      console.log(
        `time to find ${bug}: schedule ${upTo.length} after ${foundS.toFixed(1)} s (${f.first.failing.join(', ')}); ` +
          `${countFaults(f.first.scenario.steps)} fault(s), ${(stepsMs(f.first.scenario.steps) / 1000).toFixed(1)} s of schedule; ` +
          `re-run failed ${f.minimize.reproduced} of ${f.minimize.confirmed}`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
