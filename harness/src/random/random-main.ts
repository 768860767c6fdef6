/**
 * `npm run scenario random -- --seed S --runs N [--nodes K] [--bug NAME] [--runtime R]
 * [--time-limit SECONDS] [--max-shrinks N] [--path P]`: random fault schedules against real
 * clusters, shrunk and confirmed on a failure. Exit code: 0 no failure found, 1 a failure
 * found (its minimal schedule written as a scenario file), 2 could not run (usage errors,
 * every run failed to start, or interrupted before any failure); see `exitCode`.
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { optInt, type ScenarioArgs } from '../cli/scenario-args.js';
import { makeRunId } from '../runner/run-scenario.js';
import { fileReplayCommand, runFlags, searchReplayCommand } from './commands.js';
import { scheduleBounds, resolveConstraints } from './constraints.js';
import type { RunRecord } from './run-record.js';
import { createRunOne } from './run-one.js';
import { countFaults, stepsMs } from './schedule-arbitrary.js';
import { searchRandom, type RunEvent, type SearchResult } from './search.js';
import { describeSteps } from './to-scenario.js';

/** Defaults of a random search from the command line. */
export const RANDOM_DEFAULTS = { runs: 10, maxShrinks: 20, confirmRuns: 5 } as const;

/** Runs the `random` sub-command; resolves to the exit code. */
export async function runRandom(args: ScenarioArgs): Promise<number> {
  let runs: number;
  let timeLimitS: number | undefined;
  let maxShrinks: number;
  let path: string | undefined;
  try {
    runs = optInt(str(args.rest['runs']), '--runs', 1, 100_000) ?? RANDOM_DEFAULTS.runs;
    timeLimitS = optInt(str(args.rest['time-limit']), '--time-limit', 1, 7 * 24 * 3600);
    maxShrinks = optInt(str(args.rest['max-shrinks']), '--max-shrinks', 0, 10_000) ?? RANDOM_DEFAULTS.maxShrinks;
    path = str(args.rest['path']);
    if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new ConfigError(`--path must look like 3:0:1 (fast-check's path), got "${path}"`);
  } catch (err) {
    console.error(`raft-chaos: ${(err as Error).message}`);
    return 2;
  }
  const seed = args.seed ?? randomInt(1, 2 ** 31);
  const nodes = args.nodes ?? 3;
  const constraints = resolveConstraints({ nodes, electionTimeoutMax: args.electionTimeout?.[1] ?? 300 });
  const bounds = scheduleBounds(constraints);
  const started = performance.now();
  const stamp = makeRunId('random-search', seed, Date.now());
  const searchDir = resolve(args.reportDir, stamp);
  mkdirSync(join(searchDir, 'scenarios'), { recursive: true });
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const say = (line: string) => console.log(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`);

  console.log(
    `random: seed ${seed}, ${runs} schedule(s)${path ? ` replaying path ${path}` : ''}, ${nodes} nodes, runtime ${args.runtime}` +
      `${args.bugs.length ? `, bugs ${args.bugs.join(',')}` : ''}${timeLimitS ? `, time limit ${timeLimitS} s` : ''}`,
  );
  console.log(
    `        schedules: 1-${bounds.maxFaults} faults, holds ${bounds.holdMs[0]}-${bounds.holdMs[1]} ms, gaps 0-${bounds.gapMs[1]} ms, ` +
      `at most ${bounds.maxScheduleMs / 1000} s, then heal and recovery; up to ${maxShrinks} shrink runs; files in ${rel(searchDir)}/`,
  );

  const controller = new AbortController();
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals += 1;
    if (signals > 1) process.exit(130);
    console.error(`\nraft-chaos: ${sig}: stopping the search after cleaning up the current run (again to force)`);
    controller.abort(new Error(`${sig} received`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let runtimeUsed: string = args.runtime;
  const minimalFile = join(searchDir, 'minimal-scenario.json');
  const runOne = createRunOne({
    scenarioDir: join(searchDir, 'scenarios'),
    minimalFile,
    onRuntime: (name) => (runtimeUsed = name),
    options: {
      runtime: args.runtime,
      nodes,
      reportDir: args.reportDir,
      bugs: args.bugs,
      ...(args.electionTimeout ? { electionTimeout: args.electionTimeout } : {}),
      ...(args.heartbeatInterval !== undefined ? { heartbeatInterval: args.heartbeatInterval } : {}),
      ...(args.rpcTimeout !== undefined ? { rpcTimeout: args.rpcTimeout } : {}),
      ...(args.preVote !== undefined ? { preVote: args.preVote } : {}),
      ...(args.checkQuorum !== undefined ? { checkQuorum: args.checkQuorum } : {}),
      ...(args.pollIntervalMs !== undefined ? { pollIntervalMs: args.pollIntervalMs } : {}),
      ...(args.toxiproxyUrl ? { toxiproxyUrl: args.toxiproxyUrl } : {}),
      ...(args.logLevel === 'debug' ? { nodeLogLevel: 'debug', onProgress: (l: string) => say(`  ${l}`) } : {}),
    },
  });

  const onRun = (e: RunEvent) => {
    const tag = e.phase === 'search' ? `run ${e.counts.runs + (e.record ? 0 : 1)}/${runs}` : e.phase;
    if (!e.record) {
      const s = e.scenario.steps;
      say(`${tag.padEnd(10)} ${e.scenario.name}: ${countFaults(s)} fault(s), ${(stepsMs(s) / 1000).toFixed(1)} s: ${describeSteps(s)}`);
      return;
    }
    const r = e.record;
    const what = r.verdict === 'valid' ? 'valid' : `${r.verdict.toUpperCase()} (${r.failing.join(', ') || r.error || 'run'})`;
    const c = e.counts;
    say(
      `${''.padEnd(10)} -> ${what} in ${(r.durationMs / 1000).toFixed(1)} s${r.interrupted ? ` [cut short: ${r.interrupted}]` : ''}; ` +
        `runs ${c.runs}/${runs}, failures ${c.invalid}, unknown ${c.unknown}; report ${rel(r.dir)}`,
    );
  };

  let result: SearchResult;
  try {
    result = await searchRandom(
      {
        seed,
        runs,
        ...(path ? { path } : {}),
        constraints,
        ...(args.electionTimeout ? { electionTimeout: args.electionTimeout } : {}),
        ...(timeLimitS ? { timeLimitMs: timeLimitS * 1000 } : {}),
        maxShrinks,
        confirmRuns: RANDOM_DEFAULTS.confirmRuns,
        signal: controller.signal,
        onRun,
      },
      runOne,
    );
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const replay = result.failure ? searchReplayCommand(args, runtimeUsed, seed, runs, result.failure.path, maxShrinks === RANDOM_DEFAULTS.maxShrinks ? undefined : maxShrinks) : undefined;
  const direct = result.failure ? fileReplayCommand(args, runtimeUsed, rel(minimalFile), result.failure.shrunk.runSeed) : undefined;
  writeFileSync(join(searchDir, 'search.json'), `${JSON.stringify(searchJson(result, args, runtimeUsed, replay, direct), null, 2)}\n`);
  printOutcome(result, { runs, rel, searchDir, minimalFile, replay, direct });
  return exitCode(result);
}

/**
 * 1: a failure was found. 2: could not run: interrupted (Ctrl-C) first, no run at all, or
 * every run failed to start or finish. 0 otherwise: unknown verdicts (a checker that could
 * not tell, e.g. a fault started while there was no leader) are printed and counted, but they
 * are no evidence of a bug, so they do not fail a search.
 */
export function exitCode(r: SearchResult): 0 | 1 | 2 {
  if (r.failure) return 1;
  const searched = r.runs.filter((x) => x.phase === 'search');
  if (r.stopped === 'interrupted' || searched.length === 0 || searched.every((x) => x.error !== undefined)) return 2;
  return 0;
}

function printOutcome(
  r: SearchResult,
  o: { runs: number; rel: (p: string) => string; searchDir: string; minimalFile: string; replay?: string; direct?: string },
): void {
  const c = r.counts;
  console.log('');
  console.log(
    `  searched: ${c.runs} of ${o.runs} schedule(s) in ${(r.elapsedMs / 1000).toFixed(1)} s: ${c.valid} valid, ${c.invalid} invalid, ${c.unknown} unknown` +
      `${r.stopped ? ` (stopped: ${r.stopped})` : ''}`,
  );
  if (c.unknown > 0) {
    console.log('  unknown runs (not counted as failures; the history could not tell):');
    for (const u of r.runs.filter((x) => x.phase === 'search' && x.verdict === 'unknown')) {
      console.log(`    ${u.scenario.name}: ${u.failing.join(', ') || u.error || 'run'}  ${o.rel(u.dir)}`);
    }
  }
  const f = r.failure;
  if (!f) {
    console.log(`  no failure found. Details: ${o.rel(join(o.searchDir, 'search.json'))}`);
    return;
  }
  const m = f.minimize;
  console.log(`\n  FAILURE first in ${f.first.scenario.name} (${f.first.failing.join(', ')}): ${o.rel(f.first.dir)}`);
  console.log(`    original: ${countFaults(f.first.scenario.steps)} fault(s), ${(stepsMs(f.first.scenario.steps) / 1000).toFixed(1)} s: ${describeSteps(f.first.scenario.steps)}`);
  console.log(`    shrunk:   ${countFaults(f.shrunkSteps)} fault(s), ${(stepsMs(f.shrunkSteps) / 1000).toFixed(1)} s after ${f.numShrinks} shrink(s) in ${f.shrinkRuns} run(s): ${describeSteps(f.shrunkSteps)}`);
  console.log(
    `    minimal:  ${countFaults(m.steps)} fault(s), ${(stepsMs(m.steps) / 1000).toFixed(1)} s after the greedy pass ` +
      `(${m.dropped.length} step(s) dropped in ${m.greedyRuns} run(s)${m.greedyComplete ? '' : ', budget ran out'}): ${describeSteps(m.steps)}`,
  );
  const failing = [...new Set(m.confirmRecords.filter((x) => x.verdict === 'invalid').flatMap((x) => x.failing))];
  console.log(`    reproduced ${m.reproduced} of ${m.confirmed} re-run(s)${failing.length ? ` (${failing.join(', ')})` : ''}`);
  if (m.reproduced === 0) {
    console.log('    (not reproduced: the failure depends on timing the minimal schedule did not hit again; see the first run\'s report)');
  }
  console.log(`\n  minimal scenario: ${o.rel(o.minimalFile)}`);
  console.log(`  run it again:     ${o.direct}`);
  console.log(`  replay search:    ${o.replay}`);
}

function searchJson(r: SearchResult, args: ScenarioArgs, runtime: string, replay?: string, direct?: string): Record<string, unknown> {
  const run = (x: RunRecord) => ({
    index: x.index,
    phase: x.phase,
    scenario: x.scenario.name,
    seed: x.seed,
    verdict: x.verdict,
    failing: x.failing,
    durationMs: Math.round(x.durationMs),
    dir: x.dir,
    ...(x.interrupted ? { interrupted: x.interrupted } : {}),
    ...(x.error ? { error: x.error } : {}),
    steps: x.scenario.steps,
  });
  const f = r.failure;
  return {
    seed: r.seed,
    flags: runFlags(args, runtime),
    counts: r.counts,
    elapsedMs: Math.round(r.elapsedMs),
    ...(r.stopped ? { stopped: r.stopped } : {}),
    ...(f
      ? {
          failure: {
            first: f.first.scenario.name,
            path: f.path,
            numShrinks: f.numShrinks,
            shrinkRuns: f.shrinkRuns,
            runSeed: f.shrunk.runSeed,
            shrunkSteps: f.shrunkSteps,
            minimalSteps: f.minimize.steps,
            dropped: f.minimize.dropped,
            reproduced: f.minimize.reproduced,
            confirmed: f.minimize.confirmed,
            replay,
            direct,
          },
        }
      : {}),
    runs: r.runs.map(run),
  };
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}
