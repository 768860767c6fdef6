import fc from 'fast-check';
import type { FaultSpec, Step } from '../scenario/types.js';
import { resolveConstraints, scheduleBounds, type RandomConstraints } from './constraints.js';
import { faultKindOf } from '../faults/registry.js';
import { DISK_RANDOM_KINDS, faultSpecArb, isProcessFault } from './fault-arbitraries.js';
import { clusterConfigArb, type ClusterConfig } from './config-arbitrary.js';
import { triggeredFaultArb, type TriggeredFault } from '../faults/trigger-arbitrary.js';

/**
 * One fault of a random schedule: a quiet gap, then the fault, held `holdMs`. `overlap: true`
 * keeps it in force through the next fault too (started with an id, healed by an explicit
 * `{ heal: id }` step after the next one, or `{ heal: 'all' }` at the end), which is how two
 * faults combine (a partition with a kill inside it). Two process faults never overlap (a
 * pause cannot aim at a node that is down), so `overlap` is ignored there.
 */
export interface ScheduleItem {
  gapMs: number;
  fault: FaultSpec;
  holdMs: number;
  overlap: boolean;
  /**
   * With `triggers`: a second fault fired by a node event while this one holds (its wait for
   * the event bounded by `holdMs`); this fault is then healed once that one has run.
   */
  then?: TriggeredFault;
}

/**
 * A generated schedule: its faults, the seed the run uses (nemesis choices, node timeouts),
 * and, when the search explores configuration, the cluster configuration it runs on.
 */
export interface RandomSchedule {
  items: readonly ScheduleItem[];
  runSeed: number;
  config?: ClusterConfig;
}

/** Time a schedule spends in holds and gaps (the budget that `maxScheduleMs` bounds). */
export function itemsMs(items: readonly ScheduleItem[]): number {
  return items.reduce((sum, it) => sum + it.gapMs + it.holdMs + (it.then ? it.then.delayMaxMs + it.then.holdMs : 0), 0);
}

/**
 * Random fault schedules under the constraints: 1 to `maxFaults` faults, holds in
 * `holdFactor` x electionTimeoutMax, gaps up to `gapFactor` x, total at most `maxScheduleMs`,
 * each with a run seed. Shrinking comes from `fc.array` and `fc.integer`: fewer faults,
 * shorter holds and gaps, plainer faults; the run seed never shrinks (it is not a size). A
 * shrunk schedule stays within the constraints, since shrinking only removes and shortens.
 */
export function randomScheduleArb(partial: Partial<RandomConstraints> = {}, preVote?: boolean): fc.Arbitrary<RandomSchedule> {
  const c = resolveConstraints(partial);
  const b = scheduleBounds(c);
  const fields = {
    gapMs: fc.integer({ min: b.gapMs[0], max: b.gapMs[1] }),
    fault: c.diskFaults ? faultSpecArb(c.nodes, c.electionTimeoutMax, DISK_RANDOM_KINDS) : faultSpecArb(c.nodes, c.electionTimeoutMax),
    holdMs: fc.integer({ min: b.holdMs[0], max: b.holdMs[1] }),
    overlap: fc.boolean(),
  };
  // Without triggers the record is the one it always was: every seed gives the same schedules.
  const item: fc.Arbitrary<ScheduleItem> = c.triggers
    ? fc
        .record({ ...fields, then: fc.option(triggeredFaultArb(c.electionTimeoutMax, preVote), { nil: undefined, freq: 2 }) })
        .map((it) => (it.then === undefined || faultKindOf(it.fault).run ? (({ then: _then, ...rest }) => rest)(it) : it))
    : fc.record(fields);
  const items = fc
    .array(item, { minLength: 1, maxLength: c.maxFaults })
    // With the defaults the longest schedule fits anyway; larger timeouts need the filter.
    .filter((xs) => itemsMs(xs) <= c.maxScheduleMs);
  return fc.record({ items, runSeed: fc.noBias(fc.noShrink(fc.integer({ min: 1, max: 2 ** 31 - 1 }))) });
}

/**
 * Random schedules that also choose the cluster's configuration (`clusterConfigArb`: size 3-7,
 * Pre-Vote, CheckQuorum, timeout range, heartbeat), with faults drawn for that size and holds
 * scaled to that timeout. `fc.chain` regenerates the faults from the same random stream when
 * the configuration shrinks, so shrinking moves the configuration toward the defaults wherever
 * the failure does not need it, then shrinks the faults as `randomScheduleArb` does.
 * `nodes` and `electionTimeoutMax` of `partial` are ignored (the configuration sets them).
 */
export function exploringScheduleArb(partial: Partial<RandomConstraints> = {}): fc.Arbitrary<RandomSchedule> {
  // With triggers the RPC deadline is explored too: a delayed reply or request then lands in a
  // later election instead of being given up (without, every seed draws what it always drew).
  return clusterConfigArb({ rpcTimeout: partial.triggers === true }).chain((config) =>
    randomScheduleArb({ ...partial, nodes: config.nodes, electionTimeoutMax: config.electionTimeout[1] }, config.preVote).map((s): RandomSchedule => ({ ...s, config })),
  );
}

/**
 * The steps of a schedule, in the scenario vocabulary. Per item: `{ wait: gap }` (when > 0),
 * then either `{ fault, holdMs }`, or, for an overlapping one, `{ fault, id }` and
 * `{ wait: hold }` (ids `o<i>`, never the runner's own `f<n>`); a rolling restart is `{ fault }` then `{ wait: hold }` (it takes its own
 * time). Overlapping faults are healed right after the next item, or by `{ heal: 'all' }` at
 * the end. The runner's final heal and recovery window follow in every case.
 */
export function compileSchedule(items: readonly ScheduleItem[]): Step[] {
  const steps: Step[] = [];
  let open: string | undefined;
  items.forEach((it, i) => {
    if (it.gapMs > 0) steps.push({ wait: it.gapMs });
    const next = items[i + 1];
    const runs = faultKindOf(it.fault).run !== undefined;
    const overlaps = it.overlap && !runs && !(isProcessFault(it.fault) && next && isProcessFault(next.fault));
    // Not `f<n>`: the runner names faults without an id `f1`, `f2`, ... itself, and a step id
    // equal to one of those would replace that fault in its table, so it would never be healed.
    const id = `o${i + 1}`;
    if (it.then && !runs) {
      // The fault in force while the triggered one waits for its event (at most the hold).
      const t = it.then;
      steps.push({ fault: it.fault, id });
      steps.push({ fault: t.fault, on: t.on, delayMs: [0, t.delayMaxMs], withinMs: it.holdMs, holdMs: t.holdMs });
      steps.push({ heal: id });
      if (open) steps.push({ heal: open });
      open = undefined;
      return;
    }
    if (runs) {
      steps.push({ fault: it.fault });
      steps.push({ wait: it.holdMs });
    } else if (overlaps) {
      steps.push({ fault: it.fault, id });
      steps.push({ wait: it.holdMs });
    } else {
      steps.push({ fault: it.fault, holdMs: it.holdMs });
    }
    if (open) steps.push({ heal: open });
    open = overlaps ? id : undefined;
  });
  if (open) steps.push({ heal: 'all' });
  return steps;
}

/** Faults in a list of steps (inner steps of `repeat` counted once per repetition). */
export function countFaults(steps: readonly Step[]): number {
  return steps.reduce((n, s) => n + ('fault' in s ? 1 : 'repeat' in s ? s.repeat * countFaults(s.steps) : 0), 0);
}

/** Time a list of steps spends in holds and waits (not counting rolling restarts' own time). */
export function stepsMs(steps: readonly Step[]): number {
  return steps.reduce(
    (ms, s) => ms + ('wait' in s ? s.wait : 'fault' in s ? (s.holdMs ?? 0) : 'repeat' in s ? s.repeat * stepsMs(s.steps) : 0),
    0,
  );
}
