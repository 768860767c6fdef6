import { writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { RunOptions } from '../runner/options.js';
import type { RunResult } from '../runner/conclude.js';
import { runScenario } from '../runner/run-scenario.js';
import type { RunOne, RunOutcome } from './run-record.js';

/** Where a search keeps its generated scenarios, and how its runs are run. */
export interface RealRunOptions {
  /** Every generated scenario is written here as `<name>.json` before it runs. */
  scenarioDir: string;
  /** Confirmation runs write the minimal scenario here (and their replay names it). */
  minimalFile: string;
  /** Options of every run (runtime, nodes, bugs, report dir, ...); seed and signal are set per run. */
  options: Omit<RunOptions, 'seed' | 'signal' | 'scenarioRef'>;
  /** Told the runtime actually used (for `auto`). */
  onRuntime?: (name: string) => void;
}

/**
 * A `RunOne` on real clusters: writes the scenario as a JSON file, runs it with `runScenario`
 * (fresh cluster, every checker, a report; the cluster is always torn down), and replays
 * through that file. Never rejects for a run that could not start: runScenario gives unknown.
 */
export function createRunOne(o: RealRunOptions): RunOne {
  return async (scenario, ctx) => {
    const file = ctx.phase === 'confirm' ? o.minimalFile : join(o.scenarioDir, `${scenario.name}.json`);
    writeFileSync(file, `${JSON.stringify(scenario, null, 2)}\n`);
    const r = await runScenario(scenario, { ...o.options, seed: ctx.seed, signal: ctx.signal, scenarioRef: relative(process.cwd(), file) || file });
    if (r.summary.runtime) o.onRuntime?.(r.summary.runtime);
    return outcomeOf(r, r.dir);
  };
}

/** What the search keeps of a run (`dir`: its report directory, '' for none). */
export function outcomeOf(r: RunResult, dir: string): RunOutcome {
  const failing = r.verdict === 'valid' ? [] : r.results.filter((c) => c.verdict === r.verdict);
  const why = r.error?.message ?? failing[0]?.message;
  const unjudged = r.results.filter((c) => c.verdict === 'unknown').map((c) => `${c.name}: ${c.message.split('\n')[0]}`);
  return {
    verdict: r.verdict,
    failing: failing.map((c) => c.name),
    dir,
    runtime: r.summary.runtime,
    replay: r.summary.replay,
    ...(r.interrupted ? { interrupted: r.interrupted } : {}),
    ...(r.error ? { error: r.error.message } : {}),
    ...(why && r.verdict !== 'valid' ? { why: why.split('\n')[0]! } : {}),
    ...(unjudged.length > 0 ? { unjudged } : {}),
  };
}
