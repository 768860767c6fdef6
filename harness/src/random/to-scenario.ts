import { faultKindOf } from '../faults/registry.js';
import type { FaultSpec, Scenario, Step } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { compileSchedule, countFaults, stepsMs, type ScheduleItem } from './schedule-arbitrary.js';
import { configFields, describeConfig, type ClusterConfig } from './config-arbitrary.js';

/** What names and sizes a generated scenario. */
export interface ScenarioIdentity {
  /** The search's seed (fast-check's). */
  seed: number;
  /** Which run of the search (1-based), or a label such as `min`. */
  index: number | string;
  nodes: number;
  /** Set only when the user gave one: the scenario file then carries it. */
  electionTimeout?: readonly [number, number];
  /**
   * The configuration the schedule chose (a search exploring configuration): the scenario
   * carries all of it (size, timeouts, heartbeat, Pre-Vote, CheckQuorum) and `nodes` and
   * `electionTimeout` above are ignored, so the scenario file replays on that configuration.
   */
  config?: ClusterConfig;
}

/**
 * A generated schedule as a Scenario named `random-<seed>-<index>`, validated (a ConfigError
 * here is a bug of the arbitraries, not of the user). Its steps are followed by the runner's
 * final heal and recovery window like any scenario's.
 */
export function toScenario(items: readonly ScheduleItem[], id: ScenarioIdentity): Scenario {
  return stepsToScenario(compileSchedule(items), id);
}

/** Steps (e.g. after a greedy pass dropped some) as a named, validated Scenario. */
export function stepsToScenario(steps: readonly Step[], id: ScenarioIdentity): Scenario {
  const name = `random-${id.seed}-${id.index}`;
  const scenario: Scenario = {
    name,
    description:
      `Random fault schedule (fast-check seed ${id.seed}, ${id.index}): ${countFaults(steps)} fault(s) over ${(stepsMs(steps) / 1000).toFixed(1)} s, then heal and recovery` +
      `${id.config ? `, on ${describeConfig(id.config)}` : ''}.`,
    ...(id.config
      ? configFields(id.config)
      : { nodes: id.nodes, ...(id.electionTimeout ? { electionTimeout: [id.electionTimeout[0], id.electionTimeout[1]] as const } : {}) }),
    steps: steps.map((s) => structuredClone(s) as Step),
  };
  return validateScenario(scenario, name);
}

/** A schedule in one line: `wait 300 · isolate leader 820ms · kill follower [f3 open] · heal f3`. */
export function describeSteps(steps: readonly Step[]): string {
  if (steps.length === 0) return '(no steps)';
  return steps
    .map((s) => {
      if ('wait' in s) return `wait ${s.wait}`;
      if ('heal' in s) return `heal ${s.heal}`;
      if ('repeat' in s) return `repeat ${s.repeat}x (${describeSteps(s.steps)})`;
      const hold = s.holdMs !== undefined ? ` ${s.holdMs}ms` : s.id ? ` [${s.id} open]` : '';
      const on = s.on ? `on ${s.on.event}${s.on.node && s.on.node !== 'any' ? ` of ${s.on.node}` : ''} +${typeof s.delayMs === 'number' ? s.delayMs : s.delayMs ? `${s.delayMs[0]}-${s.delayMs[1]}` : 0}ms: ` : '';
      return `${on}${describeFault(s.fault)}${hold}`;
    })
    .join(' · ');
}

/** A fault in a few words (its kind's `describe`). */
export function describeFault(f: FaultSpec): string {
  return faultKindOf(f).describe(f);
}
