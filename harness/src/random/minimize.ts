import type { Scenario, Step } from '../scenario/types.js';
import type { RunRecord, SearchPhase } from './run-record.js';
import type { SeedRate } from './seed-rate.js';
import { judgeableFailure } from './judgeable.js';
import { stepsToScenario, type ScenarioIdentity } from './to-scenario.js';

/** What the greedy pass and the confirmation need from the search. */
export interface MinimizeContext {
  /** The run seed of the shrunk schedule (every re-run uses it, as the scenario file's replay does). */
  seed: number;
  identity(index: number | string): ScenarioIdentity;
  confirmRuns: number;
  greedyTries: number;
  /** No greedy run starts at or after this time (the search keeps a reserve for confirming). */
  greedyUntil(): number;
  outOfTime(until: number): boolean;
  /** Whether the user interrupted (Ctrl-C). */
  interrupted(): boolean;
  deadline: number;
  nextIndex(): number;
  run(scenario: Scenario, seed: number, phase: SearchPhase, until?: number): Promise<RunRecord>;
  /** Whether a candidate still fails, when the search judges by seeds (replaces `greedyTries` runs). */
  judge?(scenario: Scenario, until: number): Promise<boolean>;
  /** How many seeds make the minimal schedule fail (replaces `confirmRuns` runs with one seed). */
  rate?(scenario: Scenario): Promise<SeedRate>;
}

export interface MinimizeResult {
  /** The minimal schedule: the shrunk one less every step whose removal kept it failing. */
  steps: Step[];
  /** It as a scenario named `random-<seed>-min`. */
  scenario: Scenario;
  /** Steps the greedy pass removed. */
  dropped: Step[];
  greedyRuns: number;
  /** False when the budget ran out before every step was tried. */
  greedyComplete: boolean;
  /** Confirmation: how many re-runs were invalid, of how many. */
  reproduced: number;
  confirmed: number;
  confirmRecords: RunRecord[];
  /** The run seed to replay the minimal schedule with: the search's, or (judged by seeds) the first that failed. */
  replaySeed: number;
  /** Judged by seeds: how many of the seeds tried made the minimal schedule fail. */
  rate?: SeedRate;
}

/**
 * Keeps only steps that keep the schedule failing, then says how often it fails. Adjacent
 * waits are merged first (same timing, fewer steps). Greedy pass: each fault step, from the
 * last to the first (a fault started with an id takes its `{ heal: id }` along), then each
 * wait, is dropped and the rest re-run up to `greedyTries` times; the drop stays when a run
 * is invalid. Real timing varies, so a drop is only as sure as the tries that kept it. Then
 * the result runs `confirmRuns` times (at least once, even past the deadline, unless the user
 * interrupted).
 */
export async function minimize(start: readonly Step[], ctx: MinimizeContext): Promise<MinimizeResult> {
  let steps = mergeWaits(start);
  const dropped: Step[] = [];
  let greedyRuns = 0;
  let greedyComplete = true;
  for (const kind of ['fault', 'wait'] as const) {
    for (let i = steps.length - 1; i >= 0 && greedyComplete; i--) {
      if (!(kind in steps[i]!)) continue;
      if (ctx.outOfTime(ctx.greedyUntil())) {
        greedyComplete = false;
        break;
      }
      const candidate = mergeWaits(dropStep(steps, i));
      let fails = false;
      if (ctx.judge) {
        greedyRuns += 1;
        fails = await ctx.judge(stepsToScenario(candidate, ctx.identity(ctx.nextIndex())), ctx.greedyUntil());
      }
      for (let k = 0; k < ctx.greedyTries && !ctx.judge && !fails && !ctx.outOfTime(ctx.greedyUntil()); k++) {
        greedyRuns += 1;
        const r = await ctx.run(stepsToScenario(candidate, ctx.identity(ctx.nextIndex())), ctx.seed, 'greedy');
        // Invalid and judgeable (no check unknown): a drop that leaves the replay unknown is not kept.
        fails = judgeableFailure(r);
      }
      if (fails) {
        dropped.push(steps[i]!);
        // Steps below i are unchanged, except that a wait at i-1 may have absorbed one at i+1.
        steps = candidate;
      }
    }
  }
  const scenario = stepsToScenario(steps, ctx.identity('min'));
  const confirmRecords: RunRecord[] = [];
  let rate: SeedRate | undefined;
  let replaySeed = ctx.seed;
  if (ctx.rate && !ctx.interrupted()) {
    // Every seed, then one confirmation run (the one with a report) under the first failing seed.
    rate = await ctx.rate(scenario);
    replaySeed = rate.failingSeed ?? ctx.seed;
    ctx.nextIndex();
    confirmRecords.push(await ctx.run(scenario, replaySeed, 'confirm', Infinity));
  }
  for (let k = 0; k < ctx.confirmRuns && !ctx.rate; k++) {
    const late = ctx.outOfTime(ctx.deadline);
    if (ctx.interrupted() || (late && k > 0)) break;
    ctx.nextIndex();
    confirmRecords.push(await ctx.run(scenario, ctx.seed, 'confirm', late ? Infinity : ctx.deadline));
  }
  return {
    steps,
    scenario,
    dropped,
    greedyRuns,
    greedyComplete,
    reproduced: rate?.failed ?? confirmRecords.filter((r) => r.verdict === 'invalid').length,
    confirmed: rate?.tried ?? confirmRecords.length,
    confirmRecords,
    replaySeed,
    ...(rate ? { rate } : {}),
  };
}

/** The steps without step `i`; a fault started with an id also loses its `{ heal: id }` steps. */
export function dropStep(steps: readonly Step[], i: number): Step[] {
  const s = steps[i];
  if (s === undefined) return [...steps];
  const id = 'fault' in s ? s.id : undefined;
  return steps.filter((x, j) => j !== i && !(id !== undefined && 'heal' in x && x.heal === id));
}

/** Adjacent `{ wait }` steps merged into one (the same timing); zero waits removed. */
export function mergeWaits(steps: readonly Step[]): Step[] {
  const out: Step[] = [];
  for (const s of steps) {
    const last = out[out.length - 1];
    if ('wait' in s && s.wait === 0) continue;
    if ('wait' in s && last && 'wait' in last) out[out.length - 1] = { wait: last.wait + s.wait };
    else out.push(s);
  }
  return out;
}
