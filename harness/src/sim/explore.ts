import fc from 'fast-check';
import type { Verdict } from '../checkers/types.js';
import type { RunResult } from '../runner/run-scenario.js';
import type { Scenario, Step } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { runSimScenario, type SimRunOptions } from './run-sim-scenario.js';

/** Settings of every simulated run of an exploration (no files are written). */
export type ExploreRunOptions = Omit<SimRunOptions, 'seed' | 'writeReport' | 'writeHistory' | 'signal' | 'onProgress'>;

export interface ExploreOptions {
  /** fast-check's seed: the same seed tries the same schedules in the same order. */
  seed: number;
  /** Schedules to try (fast-check's numRuns). */
  numRuns: number;
  /** Cluster size of the generated scenarios (default 3). */
  nodes?: number;
  /** Node bugs, timeouts, etc. of every run. */
  run?: ExploreRunOptions;
  /** Which verdicts count as a failure (default only `invalid`). */
  failOn?: readonly Verdict[];
  /** Only these checks count (e.g. `['election-safety', 'one-vote-per-term']`); default all. */
  checks?: readonly string[];
  /** Stop trying new schedules after this long (wall ms); shrinking a failure still finishes. */
  timeLimitMs?: number;
  /** Most shrink runs (default 200; simulated runs are cheap). */
  maxShrinks?: number;
}

/** A failing schedule, shrunk by fast-check. */
export interface ExploreFailure {
  /** The shrunk schedule as a scenario (`sim-explore-<seed>`), ready to write as JSON. */
  scenario: Scenario;
  /** The run seed that makes it fail in simulation. */
  runSeed: number;
  /** The checks that failed. */
  failing: string[];
  /** fast-check's path of the counterexample (replay with the same seed and `path`). */
  path: string;
  numShrinks: number;
  /** The failing run of the shrunk schedule. */
  result: RunResult;
}

export interface ExploreResult {
  seed: number;
  /** Schedules run (search and shrinking). */
  runs: number;
  /** Virtual ms simulated over all runs. */
  simulatedMs: number;
  elapsedMs: number;
  failure?: ExploreFailure;
}

/**
 * Tries schedules drawn from `steps` on simulated clusters (fast-check `fc.check`, one
 * in-memory run per schedule, each with its own run seed) and shrinks the first failing one.
 * Thousands of schedules take seconds. The failure's scenario, written as a JSON file, runs
 * on processes with `npm run scenario <file> -- --runtime process --seed <runSeed> ...`
 * (see `processReplayCommand`).
 */
export async function exploreSim(steps: fc.Arbitrary<readonly Step[]>, options: ExploreOptions): Promise<ExploreResult> {
  const started = performance.now();
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;
  const failOn = new Set<Verdict>(options.failOn ?? ['invalid']);
  const nodes = options.nodes ?? 3;
  let runs = 0;
  let simulatedMs = 0;
  let failing = false;
  let shrinks = 0;
  const failingChecks = (r: RunResult) =>
    r.results.filter((c) => failOn.has(c.verdict) && (options.checks === undefined || options.checks.includes(c.name))).map((c) => c.name);
  let last: { scenario: Scenario; runSeed: number; result: RunResult } | undefined;
  const scenarioOf = (s: readonly Step[]): Scenario =>
    validateScenario(
      { name: `sim-explore-${options.seed}`, description: `A schedule found by exploreSim (fast-check seed ${options.seed}).`, nodes, steps: s.map((x) => structuredClone(x) as Step) },
      'exploreSim',
    );
  const property = fc.asyncProperty(steps, fc.noShrink(fc.integer({ min: 1, max: 2 ** 31 - 1 })), async (s, runSeed) => {
    if (!failing && performance.now() > deadline) return true;
    if (failing && shrinks++ >= (options.maxShrinks ?? 200)) return true;
    const scenario = scenarioOf(s);
    const result = await runSimScenario(scenario, { ...options.run, seed: runSeed, writeReport: false, writeHistory: false });
    runs++;
    simulatedMs += result.summary.durationMs;
    if (failingChecks(result).length === 0) return true;
    failing = true;
    last = { scenario, runSeed, result };
    return false;
  });
  const details = await fc.check(property, { seed: options.seed, numRuns: options.numRuns });
  const out: ExploreResult = { seed: options.seed, runs, simulatedMs, elapsedMs: performance.now() - started };
  if (details.failed && last) {
    const [s, runSeed] = details.counterexample!;
    // The last failing run is the shrunk counterexample's run (fast-check ends on it).
    const result = last.runSeed === runSeed && JSON.stringify(last.scenario.steps) === JSON.stringify(s) ? last.result
      : await runSimScenario(scenarioOf(s), { ...options.run, seed: runSeed, writeReport: false, writeHistory: false });
    out.failure = {
      scenario: scenarioOf(s),
      runSeed,
      failing: failingChecks(result),
      path: details.counterexamplePath ?? '',
      numShrinks: details.numShrinks,
      result,
    };
  } else if (details.failed) {
    throw new Error(`exploreSim: the property broke without a failing run: ${String(details.errorInstance)}`);
  }
  return out;
}

/** The flags that make a process run the same cluster as a simulated one. */
export function runFlags(options: ExploreRunOptions & { nodes?: number }): string[] {
  const f: string[] = [];
  if (options.nodes !== undefined) f.push(`--nodes ${options.nodes}`);
  if (options.electionTimeout) f.push(`--election-timeout ${options.electionTimeout[0]}-${options.electionTimeout[1]}`);
  if (options.heartbeatInterval !== undefined) f.push(`--heartbeat-interval ${options.heartbeatInterval}`);
  if (options.rpcTimeout !== undefined) f.push(`--rpc-timeout ${options.rpcTimeout}`);
  if (options.preVote !== undefined) f.push(options.preVote ? '--pre-vote' : '--no-pre-vote');
  if (options.checkQuorum !== undefined) f.push(options.checkQuorum ? '--check-quorum' : '--no-check-quorum');
  if (options.pollIntervalMs !== undefined) f.push(`--poll-interval ${options.pollIntervalMs}`);
  for (const b of options.bugs ?? []) f.push(`--bug ${b}`);
  return f;
}

/** The one command that runs a scenario file found in simulation on local processes. */
export function processReplayCommand(file: string, runSeed: number, options: ExploreRunOptions & { nodes?: number } = {}): string {
  const q = /^[\w./-]+$/.test(file) ? file : JSON.stringify(file);
  return `npm run scenario ${q} -- --runtime process --seed ${runSeed} ${runFlags(options).join(' ')}`.trimEnd();
}
