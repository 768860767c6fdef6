import type { Scenario, Step } from '../scenario/types.js';
import type { RunRecord, SearchPhase } from './run-record.js';
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
}

/**
 * Keeps only steps that keep the schedule failing, then says how often it fails. Greedy pass:
 * from the last step to the first, drop one step (a fault started with an id takes its
 * `{ heal: id }` along) and re-run up to `greedyTries` times; the drop stays when a run is
 * invalid. Real timing varies, so a step kept here may not be needed every time, and a drop
 * is only as sure as the tries that kept it. Then the result runs `confirmRuns` times
 * (at least once, even past the deadline, unless the user interrupted).
 */
export async function minimize(start: readonly Step[], ctx: MinimizeContext): Promise<MinimizeResult> {
  let steps = [...start];
  const dropped: Step[] = [];
  let greedyRuns = 0;
  let greedyComplete = true;
  for (let i = steps.length - 1; i >= 0; i--) {
    if (ctx.outOfTime(ctx.greedyUntil())) {
      greedyComplete = false;
      break;
    }
    const candidate = dropStep(steps, i);
    if (candidate.length === steps.length) continue;
    let fails = false;
    for (let k = 0; k < ctx.greedyTries && !fails && !ctx.outOfTime(ctx.greedyUntil()); k++) {
      greedyRuns += 1;
      const r = await ctx.run(stepsToScenario(candidate, ctx.identity(ctx.nextIndex())), ctx.seed, 'greedy');
      fails = r.verdict === 'invalid';
    }
    if (fails) {
      dropped.push(steps[i]!);
      steps = candidate; // a heal taken along was later in the list: indices below i hold
    }
  }
  const scenario = stepsToScenario(steps, ctx.identity('min'));
  const confirmRecords: RunRecord[] = [];
  for (let k = 0; k < ctx.confirmRuns; k++) {
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
    reproduced: confirmRecords.filter((r) => r.verdict === 'invalid').length,
    confirmed: confirmRecords.length,
    confirmRecords,
  };
}

/** The steps without step `i`; a fault started with an id also loses its `{ heal: id }` steps. */
export function dropStep(steps: readonly Step[], i: number): Step[] {
  const s = steps[i];
  if (s === undefined) return [...steps];
  const id = 'fault' in s ? s.id : undefined;
  return steps.filter((x, j) => j !== i && !(id !== undefined && 'heal' in x && x.heal === id));
}
