/**
 * `npm run scenario random -- --seed S --runs N [--nodes K] [--bug NAME] [--runtime R]
 * [--time-limit MS|90s] [--max-shrinks N] [--path P] [--checks LIST] [--replay-on R]
 * [--replay-runs K] [--workers N] [--triggers] [--disk-faults] [--jitter K]`: random fault schedules against real clusters, shrunk and confirmed on a
 * failure. Exit code: 0 no failure found, 1 a failure found (its minimal schedule written as a
 * scenario file), 2 usage errors or interrupted before any failure, 3 could not run (every run
 * failed to start); see `exitCode`.
 *
 * With `--runtime sim` every schedule runs in memory on virtual time (a few ms each, no file
 * per run): thousands of schedules, up to 200 shrink runs, one confirmation (the simulation is
 * deterministic), the search's schedules spread over `--workers` threads (random/workers.ts; the
 * same result as one thread). Only the minimal schedule is written, as a scenario file with a report, and
 * then (unless `--replay-on none`) replayed `--replay-runs` times on processes to say whether
 * the failure is real there too. A simulated failure is judged under `--seeds` run seeds (see
 * random/seed-rate.ts): a schedule that fails under most of them fails because of its faults,
 * not the luck of one seed's timing, and replays on processes; with `--jitter K` a seed counts
 * only when its failure also survives K timing perturbations of that seed (`timingRobust`).
 */
import { randomInt } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { defaultCheckers } from '../checkers/compose.js';
import { EXIT_CODES } from '../checkers/types.js';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../scenario/load.js';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { optionalDurationMs, optionalWholeNumber } from '../../../common/src/cli-numbers.js';
import { runOptionsFrom, type ScenarioArgs } from './scenario-args.js';
import { makeRunId } from '../runner/run-scenario.js';
import { fileReplayCommand, runFlags, searchReplayCommand } from '../random/commands.js';
import { scheduleBounds, resolveConstraints } from '../random/constraints.js';
import type { RunOne, RunRecord } from '../random/run-record.js';
import { createRunOne } from '../random/run-one.js';
import { robustnessFor, SIM_ROBUSTNESS, type SeedRobustness } from '../random/seed-rate.js';
import { SAFETY_CHECKS } from '../checkers/compose.js';
import { countingOnly, createSimRunOne, timingRobust } from '../random/sim-run-one.js';
import { countFaults, stepsMs } from '../random/schedule-arbitrary.js';
import { judgeableFailure } from '../random/judgeable.js';
import { defaultWorkers, simWorkerPool } from '../random/workers.js';
import { searchRandom, type JudgedRun, type RunEvent, type SearchCounts, type SearchResult } from '../random/search.js';
import { describeSteps } from '../random/to-scenario.js';
import { CONFIG_RANGES, DEFAULT_CLUSTER_CONFIG, describeConfig, isDefaultConfig } from '../random/config-arbitrary.js';
import { testbedCapabilities } from '../runtime/testbeds.js';
import { consoleStamp } from '../util/time-format.js';
import { handleInterrupts } from './interrupts.js';
import { commandPrefix } from './run-main.js';

/** Defaults of a random search from the command line. */
export const RANDOM_DEFAULTS = { runs: 10, maxShrinks: 20, confirmRuns: 5 } as const;
/** With `--runtime sim`: runs are milliseconds and deterministic (one confirmation, one greedy try). */
export const SIM_DEFAULTS = { runs: 1000, maxShrinks: 200, confirmRuns: 1, greedyTries: 1, replayOn: 'process', replayRuns: 3 } as const;

/** Parses `--checks`: `all` (undefined: every check counts), `safety`, or a comma list of check names. */
export function parseChecks(raw: string | undefined): string[] | undefined {
  if (raw === undefined || raw === 'all') return undefined;
  const known = defaultCheckers.map((c) => c.name);
  const out = raw.split(',').map((x) => x.trim()).filter(Boolean).flatMap((x) => (x === 'safety' ? [...SAFETY_CHECKS] : [x]));
  const bad = out.filter((x) => !known.includes(x));
  if (out.length === 0 || bad.length > 0) throw new ConfigError(`--checks must be all, safety, or a comma list of ${known.join(', ')}; got "${raw}"`);
  return [...new Set(out)];
}

/** Runs the `random` sub-command; resolves to the exit code. `onResult` is told the search's counts when it ran. */
export async function runRandom(args: ScenarioArgs, onResult?: (counts: SearchCounts) => void): Promise<number> {
  let runs: number;
  let timeLimitMs: number | undefined;
  let maxShrinks: number;
  let path: string | undefined;
  let checks: string[] | undefined;
  let replayOn: string;
  let replayRuns: number;
  let robustness: SeedRobustness | undefined;
  let workers: number;
  let jitter: number;
  const sim = testbedCapabilities(args.runtime).simulated;
  const exploreConfig = args.rest['explore-config'] === true;
  const diskFaults = args.rest['disk-faults'] === true;
  try {
    if (diskFaults && !sim) throw new ConfigError(`--disk-faults: disk-fail and corrupt-state run only on --runtime sim (the simulated disk of our node); ${args.runtime} cannot take them`);
    runs = optionalWholeNumber(str(args.rest['runs']), '--runs', 1, 1_000_000) ?? (sim ? SIM_DEFAULTS.runs : RANDOM_DEFAULTS.runs);
    timeLimitMs = optionalDurationMs(str(args.rest['time-limit']), '--time-limit', 1000, 7 * 24 * 3_600_000);
    maxShrinks = optionalWholeNumber(str(args.rest['max-shrinks']), '--max-shrinks', 0, 100_000) ?? (sim ? SIM_DEFAULTS.maxShrinks : RANDOM_DEFAULTS.maxShrinks);
    path = str(args.rest['path']);
    if (path !== undefined && !/^\d+(:\d+)*$/.test(path)) throw new ConfigError(`--path must look like 3:0:1 (fast-check's path), got "${path}"`);
    checks = parseChecks(str(args.rest['checks']));
    replayOn = str(args.rest['replay-on']) ?? (sim && !diskFaults ? SIM_DEFAULTS.replayOn : 'none');
    if (diskFaults && replayOn !== 'none') throw new ConfigError(`--replay-on ${replayOn}: a schedule with disk faults replays only on the simulator; give --replay-on none with --disk-faults`);
    if (!['process', 'docker', 'none'].includes(replayOn)) throw new ConfigError(`--replay-on must be process, docker or none, got "${replayOn}"`);
    if (!sim && replayOn !== 'none') throw new ConfigError('--replay-on is for --runtime sim (a search on processes or Docker confirms its failure there already)');
    replayRuns = optionalWholeNumber(str(args.rest['replay-runs']), '--replay-runs', 1, 1000) ?? SIM_DEFAULTS.replayRuns;
    const seeds = optionalWholeNumber(str(args.rest['seeds']), '--seeds', 1, 1000);
    if (!sim && seeds !== undefined) throw new ConfigError('--seeds is for --runtime sim (real runs are not deterministic: a process search re-runs its minimal schedule instead)');
    const workersGiven = optionalWholeNumber(str(args.rest['workers']), '--workers', 1, 64);
    if (!sim && workersGiven !== undefined) throw new ConfigError('--workers is for --runtime sim (a search on processes or Docker runs one cluster at a time)');
    workers = workersGiven ?? defaultWorkers();
    const jitterGiven = optionalWholeNumber(str(args.rest['jitter']), '--jitter', 0, 100);
    if (!sim && jitterGiven !== undefined) throw new ConfigError('--jitter is for --runtime sim (a run on processes or Docker has timing of its own)');
    jitter = jitterGiven ?? 0;
    if (sim && seeds !== 1) robustness = seeds === undefined ? SIM_ROBUSTNESS : robustnessFor(seeds);
    const fixed = exploringConflicts(args);
    if (exploreConfig && fixed.length > 0) {
      throw new ConfigError(`--explore-config chooses the configuration itself; drop ${fixed.join(', ')} (or drop --explore-config to search that one configuration)`);
    }
  } catch (err) {
    console.error(`${commandPrefix('scenario')} ${(err as Error).message}`);
    return 2;
  }
  const seed = args.flags.seed ?? randomInt(1, 2 ** 31);
  const nodes = args.flags.nodes ?? 3;
  const triggers = args.rest['triggers'] === true;
  const constraints = resolveConstraints({ nodes, electionTimeoutMax: args.flags.electionTimeout?.[1] ?? 300, triggers, diskFaults });
  const bounds = scheduleBounds(constraints);
  const started = performance.now();
  const stamp = makeRunId('random-search', seed, Date.now());
  const searchDir = resolve(args.reportDir, stamp);
  mkdirSync(join(searchDir, 'scenarios'), { recursive: true });
  const rel = (p: string) => relative(process.cwd(), p) || p;
  const say = (line: string) => console.log(`${consoleStamp(performance.now() - started)} ${line}`);

  console.log(
    `random: seed ${seed}, ${runs} schedule(s)${path ? ` replaying path ${path}` : ''}, ${nodes} nodes, runtime ${args.runtime}` +
      `${args.flags.bugs?.length ? `, bugs ${args.flags.bugs.join(',')}` : ''}${timeLimitMs ? `, time limit ${timeLimitMs / 1000} s` : ''}`,
  );
  if (exploreConfig) console.log(`        configuration explored: ${exploredRanges()}; shrinks toward ${describeConfig(DEFAULT_CLUSTER_CONFIG)}`);
  console.log(
    `        schedules: 1-${bounds.maxFaults} faults, holds ${bounds.holdMs[0]}-${bounds.holdMs[1]} ms, gaps 0-${bounds.gapMs[1]} ms, ` +
      `at most ${bounds.maxScheduleMs / 1000} s, then heal and recovery; up to ${maxShrinks} shrink runs; files in ${rel(searchDir)}/`,
  );
  console.log(`        failing checks: ${checks ? checks.join(', ') : 'all'}${sim ? `; in memory on virtual time, replay of a failure on: ${replayOn}${replayOn !== 'none' ? ` (${replayRuns}x)` : ''}` : ''}`);
  if (robustness) {
    console.log(
      `        a failure is judged under ${robustness.seeds} run seeds: one failing under ${robustness.target} or more is shrunk keeping that rate; ` +
        `weaker ones are collected (up to ${robustness.maxWeak}) and the most robust is shrunk; ` +
        `one where only timing bounds failed must fail under ${robustness.boundsFloor} (fewer: randomized-timeout variance, not a failure)`,
    );
  }
  if (jitter > 0) console.log(`        a run seed counts as failing only when it fails again under ${jitter} timing perturbation(s) of that seed (--jitter: links, fsyncs, boots drawn anew; timeouts kept)`);

  const interrupts = handleInterrupts({
    first: (sig) => console.error(`\n${commandPrefix('scenario')} ${sig}: stopping the search after cleaning up the current run (again to force)`),
  });

  let runtimeUsed: string = args.runtime;
  const minimalFile = join(searchDir, 'minimal-scenario.json');
  // The simulator has no Toxiproxy and no node logs: those options do not apply there.
  // Exploring, each scenario carries its own size and settings: no option may override them.
  const { toxiproxyUrl: _toxiproxyUrl, nodeLogLevel: _nodeLogLevel, ...runOptions } = { ...runOptionsFrom(args), ...(exploreConfig ? {} : { nodes }) };
  const simRunOne = sim ? createSimRunOne({ options: runOptions, minimalFile }) : undefined;
  const realRunOne: RunOne = simRunOne ?? createRunOne({
    scenarioDir: join(searchDir, 'scenarios'),
    minimalFile,
    onRuntime: (name) => (runtimeUsed = name),
    options: {
      ...runOptionsFrom(args),
      runtime: args.runtime,
      ...(exploreConfig ? {} : { nodes }),
      ...(args.logLevel === 'debug' ? { onProgress: (l: string) => say(`  ${l}`) } : {}),
    },
  });

  const runOne = timingRobust(countingOnly(realRunOne, checks), jitter);
  // Worker threads (and this one) run the search phase's schedules ahead; shrinking stays here.
  const pool = sim && workers > 1 && path === undefined
    ? simWorkerPool(workers, { options: runOptions, ...(checks ? { checks } : {}), ...(robustness ? { robustness } : {}), ...(jitter ? { jitter } : {}) }, interrupts.signal, runOne)
    : undefined;
  const simulatedMs = () => (simRunOne?.simulatedMs() ?? 0) + (pool?.simulatedMs() ?? 0);

  let lastProgress = 0;
  // Shrinking prints a line only when what still fails changes (runs are counted in the summary).
  let lastShrink = '';
  let shrinkRepeats = 0;
  const onSimRun = (e: RunEvent) => {
    const r = e.record;
    if (!r) return;
    const c = e.counts;
    if (e.phase === 'search') {
      // An invalid run is printed once judged (`onJudged`): only what counts gets a line.
      if (performance.now() - lastProgress < 1000 && c.runs < runs) return;
      lastProgress = performance.now();
      const x = simulatedMs() / Math.max(1, e.elapsedMs);
      const judged = [c.weak ? `${c.weak} weak: too few seeds` : '', c.variance ? `${c.variance} timing variance: not failures` : ''].filter(Boolean).join(', ');
      say(`${c.runs}/${runs} schedules, ${c.invalid} invalid${judged ? ` (${judged})` : ''}, ${c.unknown} unknown; ${Math.round(x)}x real time`);
    } else if (judgeableFailure(r) && (e.phase === 'shrink' || e.phase === 'greedy')) {
      const line = `${e.phase.padEnd(7)} ${countFaults(r.scenario.steps)} fault(s), ${(stepsMs(r.scenario.steps) / 1000).toFixed(1)} s still fails (${r.failing.join(', ')})`;
      if (line === lastShrink) {
        shrinkRepeats += 1;
        return;
      }
      if (shrinkRepeats > 0) say(`${''.padEnd(7)} (the same ${shrinkRepeats} more time(s))`);
      shrinkRepeats = 0;
      lastShrink = line;
      say(line);
    }
  };
  /**
   * One line per failure once judged: the failure shrunk, and a weak one only when it is the most
   * robust so far (the one that would be shrunk); the rest are counted in the progress line.
   */
  let bestWeak = -1;
  const onJudged = (j: JudgedRun) => {
    if (j.as === 'variance') return;
    if (j.as === 'weak' && (j.rate?.failed ?? 0) <= bestWeak) return;
    if (j.as === 'weak') bestWeak = j.rate?.failed ?? 0;
    const r = j.record;
    const rate = j.rate ? `, failing under ${j.rate.failed} of ${j.rate.tried} run seeds` : '';
    const as = j.as === 'failure' ? 'FAILURE (shrinking it)' : 'weak failure, the most robust so far (too few seeds to shrink at once)';
    say(`run ${r.index}: ${as}: ${r.failing.join(', ')}${rate} in ${r.scenario.name}: ${describeSteps(r.scenario.steps)}`);
    if (r.why) say(`${''.padEnd(7)} why: ${r.why}`);
  };
  const onRun = sim ? onSimRun : (e: RunEvent) => {
    const tag = e.phase === 'search' ? `run ${e.counts.runs + (e.record ? 0 : 1)}/${runs}` : e.phase;
    if (!e.record) {
      const s = e.scenario.steps;
      say(`${tag.padEnd(10)} ${e.scenario.name}: ${countFaults(s)} fault(s), ${(stepsMs(s) / 1000).toFixed(1)} s: ${describeSteps(s)}`);
      return;
    }
    const r = e.record;
    const what = r.verdict === 'valid' ? 'valid' : `${r.verdict.toUpperCase()} (${r.failing.join(', ') || r.error || 'run'}${r.verdict === 'unknown' && r.why ? `: ${r.why}` : ''})`;
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
        ...(args.flags.electionTimeout ? { electionTimeout: args.flags.electionTimeout } : {}),
        ...(exploreConfig ? { exploreConfig } : {}),
        ...(timeLimitMs ? { timeLimitMs } : {}),
        maxShrinks,
        confirmRuns: sim ? SIM_DEFAULTS.confirmRuns : RANDOM_DEFAULTS.confirmRuns,
        ...(sim ? { greedyTries: SIM_DEFAULTS.greedyTries } : {}),
        ...(robustness ? { robustness } : {}),
        signal: interrupts.signal,
        ...(pool ? { prefetch: pool } : {}),
        onRun,
        ...(sim ? { onJudged } : {}),
      },
      runOne,
    );
  } finally {
    await pool?.close();
    interrupts.pause();
  }
  const defaultShrinks = sim ? SIM_DEFAULTS.maxShrinks : RANDOM_DEFAULTS.maxShrinks;
  // Everything that shapes the search's judging goes into its replay (the seeds judged, the checks counted).
  const seedsGiven = str(args.rest['seeds']);
  const extra = [
    ...(checks ? [`--checks ${checks.join(',')}`] : []),
    ...(seedsGiven !== undefined ? [`--seeds ${seedsGiven}`] : []),
    ...(jitter > 0 ? [`--jitter ${jitter}`] : []),
    ...(exploreConfig ? ['--explore-config'] : []),
    ...(triggers ? ['--triggers'] : []),
    ...(diskFaults ? ['--disk-faults'] : []),
  ];
  const replay = result.failure
    ? // --max-shrinks 0: the replay starts from the shrunk counterexample and stops there, so it
      // reaches the same minimal (a replay with budget left would shrink further than the search did).
      searchReplayCommand(args, runtimeUsed, seed, runs, result.failure.path, 0, [...extra, ...(sim ? ['--replay-on none'] : [])])
    : undefined;
  const runSeed = result.failure?.minimize.replaySeed;
  const direct = runSeed !== undefined ? fileReplayCommand(args, sim ? 'process' : runtimeUsed, rel(minimalFile), runSeed) : undefined;
  const elsewhere = sim && runSeed !== undefined
    ? { docker: fileReplayCommand(args, 'docker', rel(minimalFile), runSeed), sim: fileReplayCommand(args, 'sim', rel(minimalFile), runSeed) }
    : undefined;
  // The process search writes the minimal file on every confirmation; the simulated one only here.
  if (sim && result.failure) writeFileSync(minimalFile, `${JSON.stringify(result.failure.minimize.scenario, null, 2)}\n`);
  // Judged on every run: the filter below drops the valid ones.
  const code = exitCode(result);
  onResult?.(result.counts);
  // search.json keeps the failures, shrinking and confirmation; not every valid schedule or extra seed.
  if (sim) result.runs = result.runs.filter((x) => x.phase !== 'seeds' && (x.phase !== 'search' || x.verdict !== 'valid'));
  printOutcome(result, { runs, rel, searchDir, minimalFile, replay, direct, sim, ...(robustness ? { robustness } : {}), ...(elsewhere ? { elsewhere } : {}), ...(simRunOne ? { simulatedMs: simulatedMs() } : {}) });

  let replayed: ReplayResult | undefined;
  if (sim && result.failure && replayOn !== 'none' && !interrupts.signal.aborted) {
    console.log(`\n  replaying the minimal schedule on ${replayOn === 'process' ? 'processes' : 'Docker'}, ${replayRuns} run(s):`);
    interrupts.listen();
    try {
      replayed = await replayElsewhere(minimalFile, replayOn, replayRuns, runSeed!, { ...runOptions, ...(args.flags.toxiproxyUrl ? { toxiproxyUrl: args.flags.toxiproxyUrl } : {}) }, checks, interrupts.signal, say, rel);
    } finally {
      interrupts.pause();
    }
    const by = Object.entries(replayed.by).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(
      `  reproduced ${replayed.reproduced} of ${replayed.runs} on ${replayOn === 'process' ? 'processes' : 'Docker'}${by ? ` (${by})` : ''}` +
        `${replayed.runs < replayRuns ? ` (stopped after ${replayed.runs})` : ''}`,
    );
  }
  writeFileSync(join(searchDir, 'search.json'), `${JSON.stringify({ ...searchJson(result, args, runtimeUsed, replay, direct), ...(simRunOne ? { simulatedMs: Math.round(simulatedMs()) } : {}), ...(replayed ? { replayedOn: { runtime: replayOn, ...replayed } } : {}) }, null, 2)}\n`);
  return code;
}

/** How a minimal schedule found in simulation fared on a real runtime. */
export interface ReplayResult {
  runs: number;
  reproduced: number;
  /** Counted checks that said invalid, with how many runs each. */
  by: Record<string, number>;
  dirs: string[];
}

/** Runs the minimal scenario file `k` times on `runtime` with the search's run seed and settings. */
async function replayElsewhere(
  file: string,
  runtime: string,
  k: number,
  seed: number,
  options: Parameters<typeof runScenario>[1] & object,
  checks: readonly string[] | undefined,
  signal: AbortSignal,
  say: (line: string) => void,
  rel: (p: string) => string,
): Promise<ReplayResult> {
  const scenario = await loadScenario(file);
  const out: ReplayResult = { runs: 0, reproduced: 0, by: {}, dirs: [] };
  for (let i = 0; i < k && !signal.aborted; i++) {
    const r = await runScenario(scenario, { ...options, runtime, seed, signal, scenarioRef: rel(file) });
    const invalid = r.results.filter((c) => c.verdict === 'invalid' && (checks === undefined || checks.includes(c.name))).map((c) => c.name);
    out.runs += 1;
    out.dirs.push(r.dir);
    if (invalid.length > 0) out.reproduced += 1;
    for (const c of invalid) out.by[c] = (out.by[c] ?? 0) + 1;
    // Every unknown says why, in one line.
    const others = r.results
      .filter((c) => c.verdict !== 'valid' && !invalid.includes(c.name))
      .map((c) => `${c.name} ${c.verdict}${c.verdict === 'unknown' ? ` (${c.message.split('\n')[0]})` : ''}`);
    say(`  ${runtime} run ${i + 1}/${k}: ${invalid.length ? `INVALID (${invalid.join(', ')})` : r.verdict === 'invalid' ? 'valid in the counted checks' : r.error ? `could not run: ${r.error.message.split('\n')[0]}` : r.verdict}` +
      `${others.length ? `; also ${others.join(', ')}` : ''}; report ${rel(r.dir)}`);
  }
  return out;
}

/**
 * 1: a failure was found. 2: interrupted (Ctrl-C) before any failure: nothing is known.
 * 3: could not run: no run at all, or every run failed to start or finish. 0 otherwise:
 * unknown verdicts (a checker that could not tell, e.g. a fault started while there was no
 * leader) are printed with their reasons and counted, but they are no evidence of a bug, so
 * they do not fail a search. (EXIT_CODES in checkers/types.ts.)
 */
export function exitCode(r: SearchResult): 0 | 1 | 2 | 3 {
  // A violation seen is exit 1 even when it could not be shrunk (time limit, Ctrl-C).
  if (r.failure || (r.counts.weak ?? 0) > 0) return EXIT_CODES.invalid;
  const searched = r.runs.filter((x) => x.phase === 'search');
  if (r.stopped === 'interrupted') return EXIT_CODES.unknown;
  if (searched.length === 0 || searched.every((x) => x.error !== undefined)) return EXIT_CODES.couldNotRun;
  // Not one run judged (every one unknown: a run that could not finish, checks that could not
  // tell): the search saw nothing valid, so it cannot say valid.
  if (r.counts.valid === 0 && r.counts.invalid === 0) return EXIT_CODES.unknown;
  return EXIT_CODES.valid;
}

/**
 * What the invalid runs of the search phase counted as, when not all of them were failures
 * (with run seeds: timing variance and weak ones), e.g. ` (1 a failure, 3 weak: too few seeds, 26 timing variance: not failures)`.
 */
export function whatCounts(r: Pick<SearchResult, 'counts' | 'failure'>): string {
  const c = r.counts;
  if (!c.variance && !c.weak) return '';
  const shrunk = r.failure && (c.weak ?? 0) === 0 ? 1 : 0;
  const failures = c.invalid - (c.variance ?? 0) - (c.weak ?? 0);
  const parts = [
    failures > 0 || shrunk ? `${failures} a failure` : '',
    c.weak ? `${c.weak} weak: too few seeds${r.failure && !failures ? ', the most robust shrunk' : ''}` : '',
    c.variance ? `${c.variance} timing variance: not failures` : '',
  ].filter(Boolean);
  return ` (${parts.join(', ')})`;
}

function printOutcome(
  r: SearchResult,
  o: {
    runs: number;
    rel: (p: string) => string;
    searchDir: string;
    minimalFile: string;
    replay?: string;
    direct?: string;
    sim?: boolean;
    elsewhere?: { docker: string; sim: string };
    simulatedMs?: number;
    robustness?: SeedRobustness;
  },
): void {
  const c = r.counts;
  console.log('');
  const speed = o.simulatedMs !== undefined ? `; ${r.runs.length > 0 || c.runs > 0 ? `${Math.round(o.simulatedMs / 1000)} s simulated, ${Math.round(o.simulatedMs / r.elapsedMs)}x real time` : ''}` : '';
  console.log(
    `  searched: ${c.runs} of ${o.runs} schedule(s) in ${(r.elapsedMs / 1000).toFixed(1)} s: ${c.valid} valid, ${c.invalid} invalid${whatCounts(r)}, ${c.unknown} unknown` +
      `${r.stopped ? ` (stopped: ${r.stopped})` : ''}${speed}`,
  );
  if (c.variance) {
    console.log(
      `  ${c.variance} schedule(s) overran only a timing bound, under fewer than ${o.robustness?.boundsFloor} of ${o.robustness?.seeds} run seeds: ` +
        `the variance of randomized timeouts (split votes in a row), which a correct node shows too; not counted as failures`,
    );
  }
  if (c.weak) {
    console.log(`  ${c.weak} of the invalid schedule(s) failed under too few run seeds to be shrunk at once (timing luck of one seed as much as the schedule)`);
  }
  const ignored = r.runs.filter((x) => x.phase === 'search' && x.ignored?.length);
  if (ignored.length > 0) {
    const by: Record<string, number> = {};
    for (const x of ignored) for (const n of x.ignored!) by[n] = (by[n] ?? 0) + 1;
    console.log(`  not counted (--checks): ${Object.entries(by).map(([k, v]) => `${k} invalid in ${v} run(s)`).join(', ')}`);
  }
  if (c.unknown > 0) {
    const unknown = r.runs.filter((x) => x.phase === 'search' && x.verdict === 'unknown');
    console.log(`  unknown runs (not counted as failures; the history could not tell): ${unknown.length}${unknown.length > 20 ? ', the first 20 (all in search.json)' : ''}:`);
    for (const u of unknown.slice(0, 20)) {
      console.log(`    ${u.scenario.name}: ${u.failing.join(', ') || 'run'}: ${u.why ?? u.error ?? ''}${u.dir ? `  ${o.rel(u.dir)}` : ''}`);
    }
  }
  const f = r.failure;
  if (!f) {
    if (c.weak) console.log(`  FAILURE seen but not shrunk${r.stopped ? ` (stopped: ${r.stopped})` : ''}: the invalid runs are in ${o.rel(join(o.searchDir, 'search.json'))}`);
    else console.log(`  no failure found. Details: ${o.rel(join(o.searchDir, 'search.json'))}`);
    return;
  }
  const m = f.minimize;
  const where = f.first.dir ? `: ${o.rel(f.first.dir)}` : '';
  console.log(`\n  FAILURE in ${f.first.scenario.name} (${f.first.failing.join(', ')}${f.firstRate ? `, failing under ${f.firstRate.failed} of ${f.firstRate.tried} run seeds` : ''}), the one shrunk${where}`);
  if (f.first.why) console.log(`    why:      ${f.first.why}`);
  console.log(`    original: ${countFaults(f.first.scenario.steps)} fault(s), ${(stepsMs(f.first.scenario.steps) / 1000).toFixed(1)} s: ${describeSteps(f.first.scenario.steps)}`);
  console.log(`    shrunk:   ${countFaults(f.shrunkSteps)} fault(s), ${(stepsMs(f.shrunkSteps) / 1000).toFixed(1)} s after ${f.numShrinks} shrink(s) in ${f.shrinkRuns} run(s): ${describeSteps(f.shrunkSteps)}`);
  console.log(
    `    minimal:  ${countFaults(m.steps)} fault(s), ${(stepsMs(m.steps) / 1000).toFixed(1)} s after the greedy pass ` +
      `(${m.dropped.length} step(s) dropped in ${m.greedyRuns} run(s)${m.greedyComplete ? '' : ', budget ran out'}): ${describeSteps(m.steps)}`,
  );
  if (f.shrunk.config) {
    const first = f.first.scenario;
    console.log(`    configuration: ${describeConfig(f.shrunk.config)}${isDefaultConfig(f.shrunk.config) ? ' (the default one)' : ''} (first failing run: ${first.nodes} nodes, Pre-Vote ${first.preVote ? 'on' : 'off'}, CheckQuorum ${first.checkQuorum ? 'on' : 'off'}, ${first.electionTimeout?.join('-')} ms, heartbeat ${first.heartbeatInterval} ms)`);
  }
  const failing = [...new Set(m.confirmRecords.filter((x) => x.verdict === 'invalid').flatMap((x) => x.failing))];
  if (o.sim) {
    const report = m.confirmRecords.find((x) => x.dir)?.dir;
    const again = m.rate
      ? `fails under ${m.rate.failed} of ${m.rate.tried} run seeds (the first schedule: ${f.firstRate?.failed ?? '?'} of ${f.firstRate?.tried ?? '?'}; shrinking kept ${f.seedsNeeded ?? 1} or more), and again on replay with seed ${m.replaySeed}: ${m.confirmRecords[0]?.verdict ?? 'not run'}`
      : m.reproduced === m.confirmed && m.confirmed > 0 ? 'fails again on replay (deterministic)' : `failed ${m.reproduced} of ${m.confirmed} replay(s)`;
    if (f.seedsNeeded === 0) {
      console.log('    (every failure seen was complete before the faults began, e.g. at the first election: no schedule causes it, so its own seed decided; on processes it depends on that election\'s timing)');
    }
    console.log(`    in simulation: ${again}${failing.length ? ` (${failing.join(', ')})` : ''}${report ? `; report ${o.rel(report)}/index.html` : ''}`);
    console.log(`\n  minimal scenario: ${o.rel(o.minimalFile)}`);
    console.log(`  run it on processes: ${o.direct}`);
    if (o.elsewhere) console.log(`  on Docker:           ${o.elsewhere.docker}`);
    console.log(`  replay search:       ${o.replay}`);
    return;
  }
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
    ...(x.ignored?.length ? { ignored: x.ignored } : {}),
    durationMs: Math.round(x.durationMs),
    dir: x.dir,
    ...(x.interrupted ? { interrupted: x.interrupted } : {}),
    ...(x.error ? { error: x.error } : {}),
    ...(x.why ? { why: x.why } : {}),
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
            runSeed: f.minimize.replaySeed,
            ...(f.minimize.rate ? { seeds: { first: f.firstRate, needed: f.seedsNeeded, minimal: f.minimize.rate } } : {}),
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

/** The options that fix what `--explore-config` would choose, as the user gave them. */
export function exploringConflicts(args: ScenarioArgs): string[] {
  return [
    args.flags.nodes !== undefined ? '--nodes' : '',
    args.flags.electionTimeout ? '--election-timeout' : '',
    args.flags.heartbeatInterval !== undefined ? '--heartbeat-interval' : '',
    args.flags.preVote !== undefined ? (args.flags.preVote ? '--pre-vote' : '--no-pre-vote') : '',
    args.flags.checkQuorum !== undefined ? (args.flags.checkQuorum ? '--check-quorum' : '--no-check-quorum') : '',
  ].filter(Boolean);
}

function exploredRanges(): string {
  const r = CONFIG_RANGES;
  return `sizes ${r.nodes[0]}-${r.nodes[1]}, Pre-Vote and CheckQuorum on/off, timeouts from ${r.timeoutMin[0]}-${r.timeoutMin[1]} ms wide ${r.timeoutWidth[0]}-${r.timeoutWidth[1]} ms, heartbeat ${r.heartbeat[0]}-${r.heartbeat[1]} ms (at most a third of the lower timeout); with --triggers also the RPC deadline (default, or up to 2x the largest timeout longer)`;
}

function str(x: unknown): string | undefined {
  return typeof x === 'string' ? x : undefined;
}
