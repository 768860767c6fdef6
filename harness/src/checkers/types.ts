import type { HistoryEntry, RunConfig, RunSubject } from '../history/types.js';

/**
 * Three-valued verdicts, as Jepsen has them. `unknown` means the history cannot tell (too few
 * observations, a checker that threw, a fault with nothing to measure): it is never a pass.
 */
export type Verdict = 'valid' | 'invalid' | 'unknown';

/** What a checker found. */
export interface CheckResult {
  /** The checker's name, e.g. `election-safety`. */
  name: string;
  verdict: Verdict;
  /** One or two sentences a person can act on: what held or what broke, where, when. */
  message: string;
  /** The history entries that show it (bounded: at most a few dozen). */
  witnesses: HistoryEntry[];
  /** Measurements worth reporting (durations, counts), keyed by name. */
  details?: Record<string, unknown>;
}

/** What every checker knows besides the history itself. */
export interface CheckContext {
  nodes: string[];
  config: RunConfig;
  /** The run's subject when it was not the project's own node (run-start's `subject`). */
  subject?: RunSubject;
}

/**
 * Why a check cannot judge this run's subject, or null when it can: `needs` names what the
 * check needs of the node (`votedFor`, `events`, ...); absent subject = our node, which has all.
 */
export function subjectLacks(ctx: CheckContext, needs: readonly (keyof RunSubject['capabilities'])[], what: string): string | null {
  const s = ctx.subject;
  if (s === undefined) return null;
  const missing = needs.filter((n) => !s.capabilities[n]);
  return missing.length === needs.length && needs.length > 0 ? `subject ${s.name} ${what}` : null;
}

/**
 * A checker: a pure function of a history. It must not throw for a malformed or short history
 * (say `unknown` instead); if it does throw, `checkAll` turns that into `unknown`.
 */
export interface Checker {
  name: string;
  /** One line for reports: what the checker promises. */
  description: string;
  check(history: readonly HistoryEntry[], ctx: CheckContext): CheckResult;
}

/** Verdict order for composition: the worst wins. */
export const VERDICT_RANK: Record<Verdict, number> = { valid: 0, unknown: 1, invalid: 2 };

/** The worst of some verdicts (`invalid` > `unknown` > `valid`); `valid` for none. */
export function worstVerdict(verdicts: Iterable<Verdict>): Verdict {
  let worst: Verdict = 'valid';
  for (const v of verdicts) if (VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v;
  return worst;
}

/**
 * The exit codes of every command, one table (README "Exit codes", `--help`):
 * 0 valid; 1 invalid (a violation seen); 2 unknown (the run ran but its history cannot tell)
 * and usage errors (bad options, a scenario the runtime or cluster cannot run: refused before
 * anything starts or is written); 3 could not run (setup failed or the environment lacks
 * something: no engine, a port taken, a run that errored before its end).
 */
export const EXIT_CODES = { valid: 0, invalid: 1, unknown: 2, usage: 2, couldNotRun: 3 } as const;

/** Process exit code for a verdict: 0 valid, 1 invalid, 2 unknown. */
export function exitCodeFor(verdict: Verdict): 0 | 1 | 2 {
  return verdict === 'valid' ? 0 : verdict === 'invalid' ? 1 : 2;
}

/**
 * Exit code of one run: a violation seen is 1 whatever else happened; a run that could not
 * start or finish (`error` set: setup failed, environment) is 3, not the unknown of a run
 * whose history could not tell; otherwise the verdict's code.
 */
export function exitCodeForRun(r: { verdict: Verdict; error?: unknown }): 0 | 1 | 2 | 3 {
  if (r.verdict === 'invalid') return EXIT_CODES.invalid;
  if (r.error !== undefined) return EXIT_CODES.couldNotRun;
  return exitCodeFor(r.verdict);
}

/**
 * How a valid result is to be shown: `ok` when the check judged something and found it held;
 * `not applicable` when its property does not apply to this run (Pre-Vote off, a subject that
 * exposes no votes: `details.applicable === false`); `not judged` when nothing happened that it
 * could judge (`details.judged === false`). The last two never read as a pass (the CLI prints
 * `n/a`), and never fail a run either. Invalid and unknown results are shown as such.
 */
export function judgement(r: Pick<CheckResult, 'verdict' | 'details'>): 'ok' | 'not applicable' | 'not judged' | 'invalid' | 'unknown' {
  if (r.verdict !== 'valid') return r.verdict;
  if (r.details?.['applicable'] === false) return 'not applicable';
  if (r.details?.['judged'] === false) return 'not judged';
  return 'ok';
}

/** A valid result that says its property does not apply to this run, and why (one sentence). */
export function notApplicable(name: string, why: string, details: Record<string, unknown> = {}): CheckResult {
  return { name, verdict: 'valid', message: `Not applicable: ${why}`, witnesses: [], details: { ...details, applicable: false } };
}

/**
 * A valid result that says the check saw nothing it could judge in this run, and why (one
 * sentence): the vacuous-pass guard every checker uses instead of an `ok` over nothing. It is
 * shown `n/a`/"not judged", never as a pass, and does not fail the run.
 */
export function notJudged(name: string, why: string, details: Record<string, unknown> = {}): CheckResult {
  return { name, verdict: 'valid', message: `Not judged: ${why}`, witnesses: [], details: { ...details, judged: false } };
}
