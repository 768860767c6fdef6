import fc from 'fast-check';
import type { Scenario, Step } from '../scenario/types.js';
import type { RandomConstraints } from './constraints.js';
import { judgeableFailure } from './judgeable.js';
import { minimize, type MinimizeResult } from './minimize.js';
import type { RunOne, RunOutcome, RunRecord, SearchPhase } from './run-record.js';
import { seedRate, type SeedRate, type SeedRobustness } from './seed-rate.js';
import { compileSchedule, exploringScheduleArb, randomScheduleArb, type RandomSchedule } from './schedule-arbitrary.js';
import type { ClusterConfig } from './config-arbitrary.js';
import { toScenario, type ScenarioIdentity } from './to-scenario.js';

/** How to search; `resolveSearchOptions` in cli/random-command.ts fills the CLI's defaults. */
export interface SearchOptions {
  /** fast-check's seed: the same seed gives the same schedules, in the same order. */
  seed: number;
  /** How many schedules to try (fast-check's numRuns). */
  runs: number;
  /** fast-check's path of a counterexample: replay it (and shrink from it) instead of searching. */
  path?: string;
  constraints: Partial<RandomConstraints> & { nodes: number };
  /** Election timeout the user gave, written into generated scenarios. */
  electionTimeout?: readonly [number, number];
  /** Schedules also choose the configuration (size, Pre-Vote, CheckQuorum, timers); see exploringScheduleArb. */
  exploreConfig?: boolean;
  /** Bound of the whole search, shrinking and confirmation included (default none). */
  timeLimitMs?: number;
  /** Most real runs spent shrinking (default 20). */
  maxShrinks?: number;
  /** Re-runs of the minimal schedule to say how often it fails (default 5). */
  confirmRuns?: number;
  /** Tries per candidate in the greedy pass: it is kept when one of them fails (default 2). */
  greedyTries?: number;
  /**
   * Judge failures by how many run seeds reproduce them (for the simulated runtime, where runs
   * are cheap and deterministic); see `SeedRobustness`. Absent: one run decides, as on processes.
   */
  robustness?: SeedRobustness;
  /** Ctrl-C: cuts the current run short and ends the search. */
  signal?: AbortSignal;
  /**
   * Runs the search phase's schedules ahead of the search, elsewhere (worker threads:
   * `random/workers.ts`); the search then takes each schedule's runs from it in order, so its
   * result is the one it would have had running them itself. Unused with `path`.
   */
  prefetch?: SearchPrefetch;
  onRun?: (event: RunEvent) => void;
  /**
   * Told how each invalid run of the search phase was judged: `failure` (shrunk now), `weak`
   * (collected: too few seeds), `variance` (only timing bounds, too few seeds: not a failure).
   * Without `robustness` every invalid run is a `failure`.
   */
  onJudged?: (judged: JudgedRun) => void;
  /** Monotonic ms (tests inject one). */
  now?: () => number;
}

/** Progress: a run is about to start (`record` absent) or has ended. */
export interface RunEvent {
  phase: SearchPhase;
  index: number;
  scenario: Scenario;
  record?: RunRecord;
  counts: SearchCounts;
  elapsedMs: number;
}

/** How an invalid run of the search phase counted (see `SearchOptions.onJudged`). */
export interface JudgedRun {
  record: RunRecord;
  as: 'failure' | 'weak' | 'variance';
  /** With `robustness`: how many of its run seeds made it fail. */
  rate?: SeedRate;
}

/** One search-phase schedule to run ahead: fast-check's call number, its scenario and run seed. */
export interface PrefetchJob {
  call: number;
  scenario: Scenario;
  seed: number;
}

/** One run done ahead, as the search would have done it (`seed`: its run seed). */
export interface PrefetchedRun {
  seed: number;
  outcome: RunOutcome;
  durationMs: number;
}

/** The search phase's jobs in order (`searchJobs`): `next` resolves to undefined past the last. */
export interface JobFeed {
  next(): Promise<PrefetchJob | undefined>;
  /** No more jobs: resolves when the feed has ended. */
  stop(): Promise<void>;
}

/**
 * Runs search-phase schedules ahead (`searchPhaseRuns` for each job) and hands their runs over
 * by call number, whatever order they finished in.
 */
export interface SearchPrefetch {
  /** Starts taking jobs from `jobs`, in its order. */
  start(jobs: JobFeed): void;
  /** The runs of call `call`, once done; empty when they could not be done (the search runs them itself). */
  runs(call: number): Promise<PrefetchedRun[]>;
  /** The search phase is over: run nothing more. */
  stop(): void;
}

/**
 * Whether a run's failure counts for its schedule's rate: some failing check was violated
 * after the faults began (a split vote at the cluster's first election fails under some seeds
 * whatever the schedule, and the process replay's first election is its own) and, with
 * `--jitter`, again under every timing perturbation of the seed (not `fragile`).
 */
export const causedBySchedule = (r: RunOutcome): boolean =>
  r.verdict === 'invalid' && r.failing.some((c) => !r.beforeFaults?.includes(c) && !r.fragile?.includes(c));

/**
 * The runs one search-phase schedule takes in `searchRandom` without a deadline: its own run,
 * then, with `rob` and an invalid verdict, its other seed variants in order. What a prefetcher
 * runs for a job.
 */
export async function searchPhaseRuns(runOne: RunOne, job: PrefetchJob, rob: SeedRobustness | undefined, signal: AbortSignal, now: () => number = () => performance.now()): Promise<PrefetchedRun[]> {
  const out: PrefetchedRun[] = [];
  const one = async (seed: number, phase: SearchPhase) => {
    const t0 = now();
    const outcome = await runOne(job.scenario, { seed, phase, signal });
    out.push({ seed, outcome, durationMs: now() - t0 });
    return outcome;
  };
  const first = await one(job.seed, 'search');
  if (rob && first.verdict === 'invalid') {
    await seedRate(job.seed, rob.seeds, async (s) => (signal.aborted ? undefined : causedBySchedule(await one(s, 'seeds'))), { known: causedBySchedule(first) });
  }
  return out;
}

/** Counts of the search phase's runs (shrinking and confirmation are counted apart). */
export interface SearchCounts {
  runs: number;
  valid: number;
  invalid: number;
  unknown: number;
  /** With `robustness`: invalid runs whose schedule failed under fewer than `target` seeds. */
  weak?: number;
  /**
   * With `robustness`: invalid runs where only timing bounds failed, under fewer than
   * `boundsFloor` seeds (the variance of randomized timeouts): not failures, not in `weak`.
   */
  variance?: number;
}

/** A failure the search found, shrunk, trimmed and confirmed. */
export interface FoundFailure {
  /** The first failing run of the search. */
  first: RunRecord;
  /** fast-check's path of the shrunk counterexample (replay with `--seed` and `--path`). */
  path: string;
  /** fast-check's successful shrinks, and the real runs shrinking took. */
  numShrinks: number;
  shrinkRuns: number;
  /** The shrunk schedule as fast-check left it, and its steps. */
  shrunk: RandomSchedule;
  shrunkSteps: Step[];
  minimize: MinimizeResult;
  /**
   * With `robustness`: the seeds that had to fail for a candidate to count as failing while
   * shrinking, and how many seeds made the first failing schedule fail.
   */
  seedsNeeded?: number;
  firstRate?: SeedRate;
}

export interface SearchResult {
  seed: number;
  counts: SearchCounts;
  /** Every real run, in order, all phases. */
  runs: RunRecord[];
  failure?: FoundFailure;
  /** Why the search stopped early: `time limit`, `interrupted`; absent when it ran to its end. */
  stopped?: string;
  elapsedMs: number;
}

/**
 * Tries `runs` random schedules (fast-check `fc.check` with `numRuns` and `seed`), each a real
 * run through `runOne`; the property fails when a verdict is `invalid`. `unknown` is not a
 * failure (a run that could not tell is no evidence of a bug; it is counted and reported
 * apart). On a failure fast-check shrinks by running real clusters again, up to `maxShrinks`
 * runs; then `minimize` drops steps greedily and re-runs the result `confirmRuns` times.
 *
 * Budget: the time limit is enforced here, not by fast-check's interrupt plugin, because that
 * plugin races the predicate and would leave a cluster running in the background. Past the
 * deadline (less a reserve for confirmation while shrinking) no run starts, the run in
 * progress is cut short, and every further candidate counts as passing, so the last real
 * failure stays the counterexample. Runs are strictly one at a time.
 */
export async function searchRandom(options: SearchOptions, runOne: RunOne): Promise<SearchResult> {
  const now = options.now ?? (() => performance.now());
  const started = now();
  const deadline = options.timeLimitMs === undefined ? Infinity : started + options.timeLimitMs;
  const maxShrinks = options.maxShrinks ?? 20;
  const confirmRuns = options.confirmRuns ?? 5;
  const identity = (index: number | string, config?: ClusterConfig): ScenarioIdentity => ({
    seed: options.seed,
    index,
    nodes: options.constraints.nodes,
    ...(options.electionTimeout ? { electionTimeout: options.electionTimeout } : {}),
    ...(config ? { config } : {}),
  });
  const counts: SearchCounts = { runs: 0, valid: 0, invalid: 0, unknown: 0 };
  const runs: RunRecord[] = [];
  let stopped: string | undefined;
  let index = 0;

  const prefetch = options.path === undefined ? options.prefetch : undefined;
  /** The current search-phase call's runs done ahead by `prefetch`, not yet taken. */
  let ahead: PrefetchedRun[] = [];
  /** One real run, cut short at `until` (default: the deadline) or by the user's signal. */
  const run = async (scenario: Scenario, seed: number, phase: SearchPhase, until = deadline): Promise<RunRecord> => {
    options.onRun?.({ phase, index, scenario, counts: { ...counts }, elapsedMs: now() - started });
    const pre = (phase === 'search' || phase === 'seeds') && ahead[0]?.seed === seed ? ahead.shift() : undefined;
    if (pre) return record(scenario, seed, phase, pre.outcome, pre.durationMs);
    const abort = new AbortController();
    const onUser = () => abort.abort(new Error('interrupted'));
    options.signal?.addEventListener('abort', onUser, { once: true });
    const timer = Number.isFinite(until) ? setTimeout(() => abort.abort(new Error('time limit')), Math.max(0, until - now())) : undefined;
    const t0 = now();
    let outcome: RunOutcome;
    try {
      outcome = await runOne(scenario, { seed, phase, signal: abort.signal });
    } catch (err) {
      outcome = { verdict: 'unknown', failing: ['run'], dir: '', error: (err as Error).message };
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onUser);
    }
    if (abort.signal.aborted) stopped ??= (abort.signal.reason as Error).message;
    return record(scenario, seed, phase, outcome, now() - t0);
  };
  const record = (scenario: Scenario, seed: number, phase: SearchPhase, outcome: RunOutcome, durationMs: number): RunRecord => {
    const record: RunRecord = { ...outcome, index, phase, scenario, seed, durationMs };
    runs.push(record);
    if (phase === 'search') {
      counts.runs += 1;
      counts[record.verdict] += 1;
    }
    options.onRun?.({ phase, index, scenario, record, counts: { ...counts }, elapsedMs: now() - started });
    return record;
  };
  const meanRunMs = () => (runs.length === 0 ? 15_000 : runs.reduce((s, r) => s + r.durationMs, 0) / runs.length);
  /** What confirmation needs, kept free while shrinking and trimming. */
  const reserve = () => confirmRuns * meanRunMs();
  const outOfTime = (until: number) => options.signal?.aborted === true || now() >= until;

  const rob = options.robustness;
  /** With `rob`: how many seeds must fail for a shrink candidate (or greedy drop) to count as failing. */
  let need = 1;
  let firstRate: SeedRate | undefined;
  /** Search failures under fewer than `rob.target` seeds, with fast-check's index of each. */
  const weak: Array<{ call: number; rate: SeedRate; record: RunRecord }> = [];
  let calls = 0;
  /**
   * Runs `scenario` under its seed variants (variant 0's outcome may be known). Shrinking and
   * the greedy pass count a run only when it fails judgeably (`judgeableFailure`): a kept step
   * must not make the replay unknown. The search phase and the minimal's rate (`anyFailure`)
   * count every failure the faults caused, a check unknown or not, so the two rates printed
   * side by side count alike: a first schedule that failed only with a check unknown (nothing
   * of it could be shrunk away) is not said to fail under 0 seeds and then fail on replay.
   */
  const rateOf = (scenario: Scenario, seed: number, phase: SearchPhase, o: { need?: number; known?: boolean; until?: number; anyFailure?: boolean } = {}) =>
    seedRate(seed, rob!.seeds, async (s, i) => {
      if (stopped || outOfTime(o.until ?? deadline)) return undefined;
      const r = await run(scenario, s, i === 0 ? phase : 'seeds', o.until);
      return causedBySchedule(r) && (phase === 'search' || o.anyFailure === true || judgeableFailure(r));
    }, o);

  let first: RunRecord | undefined;
  let shrinkRuns = 0;
  /** The weak failure whose replay (the first call of the second `fc.check`) starts shrinking. */
  let recheck: RunRecord | undefined;
  const arbitrary = options.exploreConfig ? exploringScheduleArb(options.constraints) : randomScheduleArb(options.constraints);
  const property = fc.asyncProperty(arbitrary, async (schedule) => {
    const call = calls++;
    if (recheck && call === 0) {
      // The replayed weak failure: already run and judged in the search phase, so it fails
      // again without a run and without spending the shrink budget (`--max-shrinks 0` included).
      const same = schedule.runSeed === recheck.seed && JSON.stringify(compileSchedule(schedule.items)) === JSON.stringify(recheck.scenario.steps);
      recheck = undefined;
      if (same) return false;
    }
    const phase: SearchPhase = first ? 'shrink' : 'search';
    const until = phase === 'search' ? deadline : deadline - reserve();
    const enoughWeak = phase === 'search' && rob !== undefined && weak.length >= rob.maxWeak;
    if (prefetch && phase === 'search') {
      if (enoughWeak) prefetch.stop();
      // Runs done ahead (worker threads): wait for this call's, then `run` takes them in order
      // (its scenario is named with index call + 1, as every earlier call ran).
      else ahead = index === call ? await prefetch.runs(call) : [];
    }
    if (enoughWeak || stopped || outOfTime(until) || (phase === 'shrink' && shrinkRuns >= maxShrinks)) {
      if (!enoughWeak && (phase === 'search' || shrinkRuns < maxShrinks)) stopped ??= options.signal?.aborted ? 'interrupted' : 'time limit';
      return true; // budget spent: not run, so not a failure; the last real failure stands
    }
    index += 1;
    const scenario = toScenario(schedule.items, identity(index, schedule.config));
    if (phase === 'shrink') {
      shrinkRuns += 1;
      if (rob && need > 0) return (await rateOf(scenario, schedule.runSeed, 'shrink', { need, until })).failed < need;
    }
    const r = await run(scenario, schedule.runSeed, phase);
    if (r.verdict !== 'invalid') return true;
    // A shrink candidate with an unknown check is not kept (its replay could come back unknown).
    if (phase === 'shrink') return !judgeableFailure(r);
    if (rob) {
      const rate = await rateOf(scenario, schedule.runSeed, 'search', { known: causedBySchedule(r) });
      // A replayed path is the user's choice: shrink it whatever its rate.
      const boundsOnly = !r.failing.some((c) => rob.safety.includes(c));
      if (boundsOnly && rate.failed < rob.boundsFloor && options.path === undefined) {
        counts.variance = (counts.variance ?? 0) + 1;
        options.onJudged?.({ record: r, as: 'variance', rate });
        return true;
      }
      if (rate.failed < rob.target && options.path === undefined) {
        counts.weak = (counts.weak ?? 0) + 1;
        weak.push({ call, rate, record: r });
        options.onJudged?.({ record: r, as: 'weak', rate });
        return true;
      }
      need = Math.min(rate.failed, rob.target);
      firstRate = rate;
    }
    options.onJudged?.({ record: r, as: 'failure', ...(firstRate ? { rate: firstRate } : {}) });
    first = r;
    return false;
  });
  const checkOptions = { seed: options.seed, numRuns: options.runs, ...(options.path ? { path: options.path } : {}) };
  const feed = prefetch ? searchJobs(options, identity) : undefined;
  if (feed) prefetch!.start(feed);
  let details: fc.RunDetails<[RandomSchedule]>;
  try {
    details = await fc.check(property, checkOptions);
  } finally {
    prefetch?.stop();
    await feed?.stop();
    ahead = [];
  }
  if (!details.failed && rob && weak.length > 0 && !options.signal?.aborted) {
    // No failure reached the target: shrink the most robust weak one, keeping at least its rate
    // (none at all, when every one failed before its faults began: then its own seed decides).
    const best = weak.reduce((a, b) => (b.rate.failed > a.rate.failed ? b : a));
    need = best.rate.failed;
    firstRate = best.rate;
    first = best.record;
    recheck = options.path === undefined ? best.record : undefined;
    calls = 0;
    details = await fc.check(property, { ...checkOptions, path: options.path ?? String(best.call) });
  }

  let failure: FoundFailure | undefined;
  if (details.failed && details.counterexample && first) {
    const shrunk = details.counterexample[0];
    const shrunkSteps = compileSchedule(shrunk.items);
    const result = await minimize(shrunkSteps, {
      seed: shrunk.runSeed,
      ...(rob && need > 0
        ? {
            judge: async (scenario: Scenario, until: number) => (await rateOf(scenario, shrunk.runSeed, 'greedy', { need, until })).failed >= need,
            rate: (scenario: Scenario) => rateOf(scenario, shrunk.runSeed, 'seeds', { until: Infinity, anyFailure: true }),
          }
        : {}),
      identity: (i: number | string) => identity(i, shrunk.config),
      confirmRuns,
      greedyTries: options.greedyTries ?? 2,
      greedyUntil: () => deadline - reserve(),
      outOfTime,
      interrupted: () => options.signal?.aborted === true,
      deadline,
      nextIndex: () => ++index,
      run,
    });
    failure = {
      first,
      path: details.counterexamplePath ?? '',
      numShrinks: details.numShrinks,
      shrinkRuns,
      shrunk,
      shrunkSteps,
      minimize: result,
      ...(rob ? { seedsNeeded: need, ...(firstRate ? { firstRate } : {}) } : {}),
    };
  } else if (details.failed && !first) {
    // Not a verdict: the property itself broke (a bug of the arbitraries or of this file).
    throw new Error(`the random search failed without a failing run: ${String(details.errorInstance)}`);
  }
  if (options.signal?.aborted) stopped = 'interrupted';
  return { seed: options.seed, counts, runs, ...(failure ? { failure } : {}), ...(stopped ? { stopped } : {}), elapsedMs: now() - started };
}

/**
 * The search phase's jobs, one at a time as `next` is called: the schedules fast-check's `check`
 * tries with this seed and numRuns, in its order, each with the scenario and run seed the search
 * gives it (its n-th run is named with index n). Made by a check of its own whose property hands
 * each schedule over and waits for the next call (generation does not depend on the property's
 * answers); `stop` ends that check at once (a false answer with `endOnFailure`: no shrinking).
 */
export function searchJobs(options: Pick<SearchOptions, 'seed' | 'runs' | 'constraints' | 'exploreConfig'>, identity: (index: number, config?: ClusterConfig) => ScenarioIdentity): JobFeed {
  let calls = 0;
  let stopped = false;
  let ended = false;
  const takers: Array<(job: PrefetchJob | undefined) => void> = [];
  let offered: { job: PrefetchJob; taken: () => void } | undefined;
  // The search's own arbitrary: with `exploreConfig` each job carries its configuration.
  const arbitrary = options.exploreConfig ? exploringScheduleArb(options.constraints) : randomScheduleArb(options.constraints);
  const collect = fc.asyncProperty(arbitrary, async (schedule) => {
    if (stopped) return false;
    const call = calls++;
    const job = { call, scenario: toScenario(schedule.items, identity(call + 1, schedule.config)), seed: schedule.runSeed };
    const taker = takers.shift();
    if (taker) taker(job);
    else await new Promise<void>((taken) => (offered = { job, taken }));
    return !stopped;
  });
  const done = fc.check(collect, { seed: options.seed, numRuns: options.runs, endOnFailure: true }).then(() => {
    ended = true;
    for (const taker of takers.splice(0)) taker(undefined);
  });
  return {
    next() {
      if (offered) {
        const { job, taken } = offered;
        offered = undefined;
        taken();
        return Promise.resolve(job);
      }
      if (ended || stopped) return Promise.resolve(undefined);
      return new Promise((resolve) => takers.push(resolve));
    },
    async stop() {
      stopped = true;
      offered?.taken();
      offered = undefined;
      for (const taker of takers.splice(0)) taker(undefined);
      await done;
    },
  };
}
