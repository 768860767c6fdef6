import type { Verdict } from '../checkers/types.js';
import type { Scenario } from '../scenario/types.js';

/**
 * Why a run happened: the search itself, fast-check shrinking, the greedy pass, confirmation,
 * or another run seed of a schedule that one of those is judging (with `robustness`).
 */
export type SearchPhase = 'search' | 'shrink' | 'greedy' | 'confirm' | 'seeds';

/** What one real run gave, as the search needs it. */
export interface RunOutcome {
  verdict: Verdict;
  /** Checks that were invalid (or unknown, for an unknown verdict). */
  failing: string[];
  /** The run's report directory. */
  dir: string;
  /** The runtime that ran it (`process`, `docker`, ...), when it started. */
  runtime?: string;
  /** The command that runs this scenario again. */
  replay?: string;
  /** Set when the run was cut short (time limit, Ctrl-C) or could not finish. */
  interrupted?: string;
  error?: string;
  /** For a run that was not valid: why, in one line (the run's error, else the first failing check's message). */
  why?: string;
  /**
   * Checks that said unknown, as `check: first line of its message` (whatever the verdict: an
   * invalid run may have them too). A shrink or greedy candidate with any is not kept as
   * failing: a minimal schedule must replay judgeable (invalid, not unknown).
   */
  unjudged?: string[];
  /** Invalid checks that do not count in this search (`--checks`): the run counted as valid. */
  ignored?: string[];
  /**
   * Failing checks whose violation was complete before the first fault (its last witness came
   * earlier): the schedule cannot have caused them. Set by the simulated runs.
   */
  beforeFaults?: string[];
  /**
   * Failing checks that did not fail again under every timing perturbation of the run's seed
   * (`--jitter`, `timingRobust`): a failure that hinges on a few ms of machine timing, which a
   * replay on processes seldom meets. Invalid all the same, but it does not count for the
   * schedule's rate.
   */
  fragile?: string[];
}

/**
 * Runs one scenario on a real cluster and checks it (cli/random-command.ts wraps `runScenario`; tests
 * pass a fake). Must clean up its cluster before resolving, and should resolve (not reject)
 * with verdict `unknown` for a run that could not run; aborting `signal` cuts the run short.
 */
export type RunOne = (scenario: Scenario, ctx: RunContext) => Promise<RunOutcome>;

/** What a `RunOne` is asked to run. */
export interface RunContext {
  seed: number;
  phase: SearchPhase;
  signal: AbortSignal;
  /**
   * A timing perturbation of `seed` (simulated runs only; 0 or absent: the seed itself): the
   * machine's draws anew, the node's election timeouts kept (sim-testbed.ts `jitter`).
   */
  jitter?: number;
}

/** One run of a search, in order. */
export interface RunRecord extends RunOutcome {
  index: number;
  phase: SearchPhase;
  scenario: Scenario;
  seed: number;
  durationMs: number;
}
