import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FaultSpec, Step } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { resolveConstraints, scheduleBounds } from './constraints.js';
import { compileSchedule, countFaults, itemsMs, randomScheduleArb, stepsMs, type RandomSchedule, type ScheduleItem } from './schedule-arbitrary.js';
import { toScenario } from './to-scenario.js';
import { defaultRpcTimeout } from '../../../common/src/election-settings.js';

const kill: FaultSpec = { kind: 'kill', target: 'leader' };
const cut: FaultSpec = { kind: 'partition', partition: { isolate: 'leader' } };
const item = (fault: FaultSpec, o: Partial<ScheduleItem> = {}): ScheduleItem => ({ gapMs: 0, fault, holdMs: 500, overlap: false, ...o });

/** Every fault step in a list of steps. */
function faults(steps: readonly Step[]): FaultSpec[] {
  return steps.flatMap((s) => ('fault' in s ? [s.fault] : 'repeat' in s ? faults(s.steps) : []));
}

describe('randomScheduleArb', () => {
  it.each([3, 4, 5, 7])('every generated schedule is a valid scenario within the bounds (%i nodes)', (nodes) => {
    const c = resolveConstraints({ nodes });
    const b = scheduleBounds(c);
    fc.assert(
      fc.property(randomScheduleArb({ nodes }), fc.nat(1000), (s, index) => {
        const scenario = toScenario(s.items, { seed: 7, index, nodes });
        expect(validateScenario(JSON.parse(JSON.stringify(scenario)))).toBeTruthy();
        expect(scenario.name).toBe(`random-7-${index}`);
        expect(s.items.length).toBeGreaterThanOrEqual(1);
        expect(s.items.length).toBeLessThanOrEqual(c.maxFaults);
        expect(countFaults(scenario.steps)).toBe(s.items.length);
        expect(stepsMs(scenario.steps)).toBe(itemsMs(s.items));
        expect(itemsMs(s.items)).toBeLessThanOrEqual(c.maxScheduleMs);
        for (const it of s.items) {
          expect(it.holdMs).toBeGreaterThanOrEqual(b.holdMs[0]);
          expect(it.holdMs).toBeLessThanOrEqual(b.holdMs[1]);
          expect(it.gapMs).toBeLessThanOrEqual(b.gapMs[1]);
        }
        // Targets name only nodes of this cluster; a ring only from 4 nodes.
        const ids = JSON.stringify(scenario.steps).match(/"n\d+"/g) ?? [];
        for (const id of ids) expect(Number(id.slice(2, -1))).toBeLessThanOrEqual(nodes);
        if (nodes < 4) expect(JSON.stringify(scenario.steps)).not.toContain('majorities');
      }),
      { numRuns: 300, seed: nodes },
    );
  });

  it('holds are 0.3x to 4x the election timeout, scaled with it', () => {
    expect(scheduleBounds(resolveConstraints({ electionTimeoutMax: 300 })).holdMs).toEqual([90, 1200]);
    expect(scheduleBounds(resolveConstraints({ electionTimeoutMax: 1000 })).holdMs).toEqual([300, 4000]);
  });

  it('with long timeouts the total still fits the budget', () => {
    fc.assert(
      fc.property(randomScheduleArb({ electionTimeoutMax: 2000 }), (s) => itemsMs(s.items) <= 15_000),
      { numRuns: 100, seed: 3 },
    );
  });

  it('covers the whole fault vocabulary', () => {
    const seen = new Set<string>();
    for (const s of fc.sample(randomScheduleArb({ nodes: 5 }), { seed: 11, numRuns: 400 })) {
      for (const f of faults(compileSchedule(s.items))) {
        seen.add(f.kind);
        if (f.kind === 'partition') seen.add(`partition:${Object.keys(f.partition)[0]}`);
      }
      if (compileSchedule(s.items).some((x) => 'heal' in x)) seen.add('explicit heal');
    }
    for (const k of ['partition', 'one-way', 'latency', 'bandwidth', 'timeout', 'kill', 'stop', 'pause', 'rolling-restart', 'explicit heal']) {
      expect(seen).toContain(k);
    }
    for (const p of ['isolate', 'halves', 'ring', 'bridge', 'groups']) expect(seen).toContain(`partition:${p}`);
  });

  it('the same seed gives the same schedules; another seed other ones', () => {
    const a = fc.sample(randomScheduleArb(), { seed: 42, numRuns: 20 });
    const b = fc.sample(randomScheduleArb(), { seed: 42, numRuns: 20 });
    const c = fc.sample(randomScheduleArb(), { seed: 43, numRuns: 20 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('run seeds are spread out, not biased to the ends of the range', () => {
    const seeds = fc.sample(randomScheduleArb(), { seed: 5, numRuns: 50 }).map((s) => s.runSeed);
    expect(new Set(seeds).size).toBe(50);
    expect(seeds.filter((x) => x > 2 ** 31 - 100 || x < 100)).toEqual([]);
  });

  it('shrinking gives fewer faults and shorter holds, each still a valid scenario', () => {
    // A property failing whenever a schedule holds a kill. fast-check's array shrinker drops
    // leading items and shrinks each one; a fault after the kill may stay (the greedy pass in
    // minimize.ts drops it, see search.test.ts).
    const hasKill = (s: RandomSchedule) => s.items.some((i) => i.fault.kind === 'kill');
    const seen: RandomSchedule[] = [];
    const out = fc.check(
      fc.property(randomScheduleArb(), (s) => {
        seen.push(s);
        validateScenario(toScenario(s.items, { seed: 1, index: seen.length, nodes: 3 }));
        return !hasKill(s);
      }),
      { seed: 9, numRuns: 200 },
    );
    expect(out.failed).toBe(true);
    const first = seen.find(hasKill)!;
    const [min] = out.counterexample!;
    expect(first.items.length).toBeGreaterThan(2);
    expect(min.items.length).toBeLessThanOrEqual(2);
    expect(min.items[0]).toEqual({ gapMs: 0, fault: { kind: 'kill', target: 'leader' }, holdMs: 90, overlap: false });
    for (const i of min.items) expect([i.gapMs, i.holdMs]).toEqual([0, 90]);
    expect(min.runSeed).toBe(first.runSeed); // the seed is not a size: never shrunk
    expect(itemsMs(min.items)).toBeLessThan(itemsMs(first.items));
  });
});

describe('compileSchedule', () => {
  it('a held fault is one step, with its gap before it', () => {
    expect(compileSchedule([item(cut, { gapMs: 200, holdMs: 700 })])).toEqual([{ wait: 200 }, { fault: cut, holdMs: 700 }]);
  });

  it('an overlapping fault stays through the next one and is healed explicitly after it', () => {
    expect(compileSchedule([item(cut, { overlap: true, holdMs: 300 }), item(kill, { holdMs: 400 })])).toEqual([
      { fault: cut, id: 'o1' },
      { wait: 300 },
      { fault: kill, holdMs: 400 },
      { heal: 'o1' },
    ]);
  });

  it('an overlapping last fault is healed by heal all', () => {
    expect(compileSchedule([item(cut, { overlap: true, holdMs: 300 })])).toEqual([{ fault: cut, id: 'o1' }, { wait: 300 }, { heal: 'all' }]);
  });

  it('two process faults never overlap (a pause cannot aim at a node that is down)', () => {
    const pause: FaultSpec = { kind: 'pause', target: 'random' };
    expect(compileSchedule([item(kill, { overlap: true }), item(pause)])).toEqual([
      { fault: kill, holdMs: 500 },
      { fault: pause, holdMs: 500 },
    ]);
  });

  it('a rolling restart runs, then the hold is a wait', () => {
    const rr: FaultSpec = { kind: 'rolling-restart', target: 'leader', graceful: true };
    expect(compileSchedule([item(rr, { overlap: true, holdMs: 250 })])).toEqual([{ fault: rr }, { wait: 250 }]);
  });
});

describe('resolveConstraints', () => {
  it('names the bad option', () => {
    expect(() => resolveConstraints({ nodes: 2 })).toThrow(/nodes must be a whole number from 3 to 15, got 2/);
    expect(() => resolveConstraints({ holdFactor: [2, 1] })).toThrow(/holdFactor/);
    expect(() => resolveConstraints({ maxScheduleMs: 10 })).toThrow(/does not fit in maxScheduleMs 10/);
  });
});

describe('triggered faults that delay (--triggers)', () => {
  it('slow the links around, into or out of the node as it pre-campaigns or campaigns, 0.3x-1.2x the timeout; every one a valid scenario', () => {
    const xs = fc.sample(randomScheduleArb({ triggers: true }), { seed: 3, numRuns: 400 }).flatMap((s) => s.items.flatMap((it) => (it.then ? [it.then] : [])));
    const slow = xs.filter((t) => t.fault.kind === 'latency');
    expect(slow.length).toBeGreaterThan(xs.length / 5);
    const ways = new Set(slow.map((t) => JSON.stringify((t.fault as { links: unknown }).links)));
    expect(ways).toEqual(new Set(['{"around":"trigger"}', '{"from":"all","to":"trigger"}', '{"from":"trigger","to":"all"}']));
    for (const t of slow) {
      expect(['pre-campaign', 'campaign']).toContain(t.on.event);
      const l = (t.fault as { latencyMs: number }).latencyMs;
      expect(l).toBeGreaterThanOrEqual(90);
      expect(l).toBeLessThanOrEqual(360);
      expect(t.holdMs).toBeGreaterThanOrEqual(300);
    }
    const withSlow = fc.sample(randomScheduleArb({ triggers: true }), { seed: 3, numRuns: 50 }).find((s) => s.items.some((it) => it.then?.fault.kind === 'latency'))!;
    expect(() => validateScenario(toScenario(withSlow.items, { seed: 1, index: 0, nodes: 3 }))).not.toThrow();
  });

  it('--explore-config --triggers also draws the RPC deadline; without --triggers never', async () => {
    const { exploringScheduleArb } = await import('./schedule-arbitrary.js');
    const withTriggers = fc.sample(exploringScheduleArb({ triggers: true }), { seed: 5, numRuns: 200 }).map((s) => s.config!);
    const rpc = withTriggers.filter((c) => c.rpcTimeout !== undefined);
    // The default deadline one time in four; long enough to outlive the next election (the
    // default plus at least the largest timeout) about one time in two.
    expect(rpc.length).toBeGreaterThan(120);
    expect(rpc.length).toBeLessThan(180);
    for (const c of rpc) expect(c.rpcTimeout!).toBeLessThanOrEqual(100 + 2 * c.electionTimeout[1]);
    const long = rpc.filter((c) => c.rpcTimeout! >= defaultRpcTimeout(c.electionTimeout[0]) + c.electionTimeout[1]);
    expect(long.length).toBeGreaterThan(80);
    expect(long.length).toBeLessThan(140);
    expect(fc.sample(exploringScheduleArb({}), { seed: 5, numRuns: 200 }).every((s) => s.config!.rpcTimeout === undefined)).toBe(true);
  });

  it('an explored configuration without Pre-Vote delays its nodes only as they campaign (a pre-campaign never comes)', async () => {
    const { exploringScheduleArb } = await import('./schedule-arbitrary.js');
    const slowOn = (preVote: boolean) =>
      fc
        .sample(exploringScheduleArb({ triggers: true }), { seed: 7, numRuns: 400 })
        .filter((s) => s.config!.preVote === preVote)
        .flatMap((s) => s.items.flatMap((it) => (it.then?.fault.kind === 'latency' ? [it.then.on.event] : [])));
    const off = slowOn(false);
    expect(off.length).toBeGreaterThan(20);
    expect(off.every((e) => e === 'campaign')).toBe(true);
    const on = slowOn(true);
    expect(on).toContain('pre-campaign');
    expect(on).toContain('campaign');
  });
});
