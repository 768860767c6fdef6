import { describe, expect, it } from 'vitest';
import type { Scenario, Step } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { dropStep, mergeWaits, minimize } from './minimize.js';
import { exitCode } from '../cli/random-command.js';
import type { RunOne, RunOutcome } from './run-record.js';
import { searchRandom, type SearchOptions } from './search.js';
import { seedRate, seedVariant } from './seed-rate.js';

/** Fake runs: each takes `runMs` of fake time; `verdict` decides from the scenario. */
function fake(verdict: (s: Scenario, n: number) => RunOutcome['verdict'], runMs = 10_000) {
  let t = 0;
  let n = 0;
  const scenarios: Scenario[] = [];
  const runOne: RunOne = async (scenario) => {
    validateScenario(scenario);
    scenarios.push(scenario);
    t += runMs;
    const v = verdict(scenario, n++);
    return { verdict: v, failing: v === 'valid' ? [] : ['one-vote-per-term'], dir: `/reports/${scenario.name}` };
  };
  return { runOne, now: () => t, scenarios };
}

const hasKill = (s: Scenario) => JSON.stringify(s.steps).includes('"kill"');
const hasPartition = (s: Scenario) => JSON.stringify(s.steps).includes('"partition"');
/** Fails under about `share` of seeds: a fixed function of the seed, like a deterministic simulation. */
const bySeed = (seed: number, share: number) => ((Math.imul(seed, 2654435761) >>> 0) % 1000) / 1000 < share;
const opts = (o: Partial<SearchOptions> = {}): SearchOptions => ({ seed: 4, runs: 10, constraints: { nodes: 3 }, ...o });

describe('searchRandom', () => {
  it('runs N schedules named random-<seed>-<index> and finds nothing on a correct system', async () => {
    const f = fake(() => 'valid');
    const r = await searchRandom(opts({ now: f.now }), f.runOne);
    expect(r.counts).toEqual({ runs: 10, valid: 10, invalid: 0, unknown: 0 });
    expect(r.failure).toBeUndefined();
    expect(f.scenarios.map((s) => s.name)).toEqual(Array.from({ length: 10 }, (_, i) => `random-4-${i + 1}`));
    expect(exitCode(r)).toBe(0);
  });

  it('same seed, same schedules', async () => {
    const a = fake(() => 'valid');
    const b = fake(() => 'valid');
    await searchRandom(opts({ now: a.now }), a.runOne);
    await searchRandom(opts({ now: b.now }), b.runOne);
    expect(b.scenarios).toEqual(a.scenarios);
  });

  it('unknown is counted apart and is not a failure', async () => {
    const f = fake((_, n) => (n % 2 === 0 ? 'unknown' : 'valid'));
    const r = await searchRandom(opts({ now: f.now }), f.runOne);
    expect(r.counts).toEqual({ runs: 10, valid: 5, invalid: 0, unknown: 5 });
    expect(exitCode(r)).toBe(0);
  });

  it('every run unknown (none judged, e.g. each could not finish) is exit 2, not valid', async () => {
    const f = fake(() => 'unknown');
    const r = await searchRandom(opts({ now: f.now }), f.runOne);
    expect(r.counts).toMatchObject({ valid: 0, invalid: 0, unknown: 10 });
    expect(exitCode(r)).toBe(2);
  });

  it('every run failing to start is exit 3 (could not run)', async () => {
    const r = await searchRandom(opts({ runs: 2 }), async () => {
      throw new Error('no runtime');
    });
    expect(r.runs.every((x) => x.error === 'no runtime')).toBe(true);
    expect(exitCode(r)).toBe(3);
  });

  it('on a failure: shrinks, drops steps greedily, confirms, and gives a replayable path', async () => {
    const f = fake((s) => (hasKill(s) ? 'invalid' : 'valid'));
    const r = await searchRandom(opts({ seed: 2, runs: 30, maxShrinks: 40, now: f.now }), f.runOne);
    expect(exitCode(r)).toBe(1);
    const x = r.failure!;
    expect(hasKill(x.first.scenario)).toBe(true);
    expect(x.shrinkRuns).toBeLessThanOrEqual(40);
    expect(x.path).toMatch(/^\d+(:\d+)*$/);
    // Minimal: the kill alone, at the shortest hold.
    expect(x.minimize.steps).toHaveLength(1);
    expect(x.minimize.steps[0]).toMatchObject({ fault: { kind: 'kill' }, holdMs: 90 });
    expect(x.minimize.scenario.name).toBe('random-2-min');
    expect([x.minimize.reproduced, x.minimize.confirmed]).toEqual([5, 5]);
    expect(r.runs.filter((y) => y.phase === 'confirm').every((y) => y.seed === x.shrunk.runSeed)).toBe(true);

    // Replaying the path runs the counterexample first.
    const g = fake((s) => (hasKill(s) ? 'invalid' : 'valid'));
    const again = await searchRandom(opts({ seed: 2, runs: 30, path: x.path, maxShrinks: 0, now: g.now }), g.runOne);
    expect(g.scenarios[0]!.steps).toEqual(x.shrunkSteps);
    expect(again.failure?.shrunkSteps).toEqual(x.shrunkSteps);
  });

  it('says how often a flaky failure reproduced', async () => {
    const f = fake((s, n) => (hasKill(s) && n % 2 === 0 ? 'invalid' : 'valid'));
    const r = await searchRandom(opts({ seed: 2, runs: 30, maxShrinks: 5, now: f.now }), f.runOne);
    const m = r.failure!.minimize;
    expect(m.confirmed).toBe(5);
    expect(m.reproduced).toBeGreaterThan(0);
    expect(m.reproduced).toBeLessThan(5);
  });

  it('the time limit bounds the search and shrinking; confirmation runs at least once', async () => {
    const f = fake(() => 'valid');
    const r = await searchRandom(opts({ runs: 100, timeLimitMs: 35_000, now: f.now }), f.runOne);
    expect(r.counts.runs).toBe(4);
    expect(r.stopped).toBe('time limit');
    expect(exitCode(r)).toBe(0);

    const g = fake((s) => (hasKill(s) ? 'invalid' : 'valid'));
    const found = await searchRandom(opts({ seed: 2, runs: 100, timeLimitMs: 60_000, now: g.now }), g.runOne);
    expect(found.failure).toBeDefined();
    expect(found.runs.filter((x) => x.phase === 'confirm').length).toBeGreaterThanOrEqual(1);
    expect(found.runs.length).toBeLessThanOrEqual(7);
  });

  it('max shrinks bounds the real runs spent shrinking', async () => {
    const f = fake((s) => (hasKill(s) ? 'invalid' : 'valid'));
    const r = await searchRandom(opts({ seed: 2, runs: 30, maxShrinks: 3, now: f.now }), f.runOne);
    expect(r.runs.filter((x) => x.phase === 'shrink')).toHaveLength(3);
    expect(r.failure!.shrinkRuns).toBe(3);
  });

  it('Ctrl-C stops the search and is exit 2 without a failure', async () => {
    const ac = new AbortController();
    const f = fake((_, n) => {
      if (n === 1) ac.abort(new Error('SIGINT received'));
      return 'valid';
    });
    const r = await searchRandom(opts({ signal: ac.signal, now: f.now }), f.runOne);
    expect(r.counts.runs).toBe(2);
    expect(r.stopped).toBe('interrupted');
    expect(exitCode(r)).toBe(2);
  });
});

const robustness = { seeds: 10, target: 8, maxWeak: 5, boundsFloor: 3, safety: ['election-safety'] };

describe('searchRandom judging failures by run seeds (robustness)', () => {
  function seeded(verdict: (s: Scenario, seed: number) => boolean) {
    const seeds: Array<{ scenario: string; seed: number }> = [];
    const runOne: RunOne = async (scenario, ctx) => {
      seeds.push({ scenario: scenario.name, seed: ctx.seed });
      const bad = verdict(scenario, ctx.seed);
      return { verdict: bad ? 'invalid' : 'valid', failing: bad ? ['election-safety'] : [], dir: '' };
    };
    return { runOne, seeds };
  }
  it('a failure under too few seeds is counted weak and the search goes on; a robust one is shrunk keeping its rate', async () => {
    // Kills fail under every seed; partitions only under some (timing luck).
    const f = seeded((s, seed) => hasKill(s) || (hasPartition(s) && bySeed(seed, 0.2)));
    const r = await searchRandom(opts({ seed: 2, runs: 200, maxShrinks: 30, robustness }), f.runOne);
    const x = r.failure!;
    expect(hasKill(x.first.scenario)).toBe(true);
    expect(x.firstRate).toMatchObject({ failed: 10, tried: 10 });
    expect(x.seedsNeeded).toBe(8);
    expect(x.minimize.steps).toHaveLength(1);
    expect(x.minimize.steps[0]).toMatchObject({ fault: { kind: 'kill' } });
    expect(x.minimize.rate).toMatchObject({ failed: 10, tried: 10 });
    expect(x.minimize.replaySeed).toBe(x.shrunk.runSeed);
    // Judging a failing schedule takes its other seeds; a valid run takes one.
    expect(r.runs.filter((y) => y.phase === 'seeds').length).toBeGreaterThanOrEqual(9);
    expect(r.counts.runs).toBe(r.runs.filter((y) => y.phase === 'search').length);
  });

  it('with no failure reaching the target, the most robust of the weak ones is shrunk under its own rate', async () => {
    const f = seeded((s, seed) => hasPartition(s) && bySeed(seed, 0.3));
    const r = await searchRandom(opts({ seed: 3, runs: 500, maxShrinks: 40, robustness }), f.runOne);
    expect(r.counts.weak).toBe(5);
    const x = r.failure!;
    expect(x.firstRate!.failed).toBeLessThan(8);
    expect(x.seedsNeeded).toBe(x.firstRate!.failed);
    expect(x.minimize.rate!.failed).toBeGreaterThanOrEqual(x.seedsNeeded!);
    expect(hasPartition(x.minimize.scenario)).toBe(true);
    // The replay seed is one under which the minimal schedule failed, and the confirmation ran with it.
    const confirm = r.runs.filter((y) => y.phase === 'confirm');
    expect(confirm).toHaveLength(1);
    expect(confirm[0]!).toMatchObject({ seed: x.minimize.replaySeed, verdict: 'invalid' });
    // Its path replays the shrunk schedule first.
    const g = seeded((s, seed) => hasPartition(s) && bySeed(seed, 0.3));
    const again = await searchRandom(opts({ seed: 3, runs: 500, path: x.path, maxShrinks: 0, robustness }), g.runOne);
    expect(again.failure?.shrunkSteps).toEqual(x.shrunkSteps);
  });
});

describe('searchRandom: a violation seen is never exit 0, whatever the shrink budget', () => {
  const safetyOnce = (bad: (s: Scenario, seed: number) => boolean): RunOne => async (scenario, ctx) => {
    const b = bad(scenario, ctx.seed);
    return { verdict: b ? 'invalid' : 'valid', failing: b ? ['election-safety'] : [], dir: '' };
  };
  for (const maxShrinks of [0, 1, 20]) {
    it(`weak failures only, --max-shrinks ${maxShrinks}: the most robust is reported, exit 1`, async () => {
      const r = await searchRandom(opts({ seed: 3, runs: 300, maxShrinks, robustness }), safetyOnce((s, seed) => hasPartition(s) && bySeed(seed, 0.3)));
      expect(r.counts.weak).toBe(5);
      expect(r.failure).toBeDefined();
      expect(r.failure!.shrinkRuns).toBeLessThanOrEqual(maxShrinks);
      expect(hasPartition(r.failure!.first.scenario)).toBe(true);
      expect(exitCode(r)).toBe(1);
    });
    it(`one run decides (processes), --max-shrinks ${maxShrinks}: exit 1`, async () => {
      const f = fake((s) => (hasKill(s) ? 'invalid' : 'valid'));
      const r = await searchRandom(opts({ seed: 2, runs: 30, maxShrinks, now: f.now }), f.runOne);
      expect(r.counts.invalid).toBeGreaterThan(0);
      expect(r.failure).toBeDefined();
      expect(exitCode(r)).toBe(1);
    });
  }

  it('weak failures cut short by the time limit before they were re-checked: still exit 1', () => {
    const r = { seed: 1, counts: { runs: 3, valid: 2, invalid: 1, unknown: 0, weak: 1 }, runs: [], stopped: 'time limit', elapsedMs: 1 };
    expect(exitCode(r)).toBe(1);
  });
});

describe('searchRandom: timing bounds overrun under few seeds', () => {
  /** A run that overruns the election-time bound (no safety check) when `bad` says so. */
  const timing = (bad: (s: Scenario, seed: number) => boolean): RunOne => async (scenario, ctx) => {
    const b = bad(scenario, ctx.seed);
    return { verdict: b ? 'invalid' : 'valid', failing: b ? ['election-time'] : [], dir: '' };
  };

  it('under fewer than boundsFloor seeds are variance: counted apart, no failure, nothing shrunk', async () => {
    // Partitions overrun the bound under about 1 seed in 20, as a correct node's split votes do.
    // Seed 3: the schedules a seed draws changed when `reset` joined the vocabulary; under seed 2 one partition schedule now fails 3 of 10 seeds by chance (share 0.05).
    const r = await searchRandom(opts({ seed: 3, runs: 100, robustness }), timing((s, seed) => hasPartition(s) && bySeed(seed, 0.05)));
    expect(r.counts.invalid).toBeGreaterThan(0);
    expect(r.counts.variance).toBe(r.counts.invalid);
    expect(r.counts.weak).toBeUndefined();
    expect(r.failure).toBeUndefined();
    expect(r.runs.some((x) => x.phase === 'shrink' || x.phase === 'greedy' || x.phase === 'confirm')).toBe(false);
  });

  it('under boundsFloor seeds or more are failures, shrunk under their rate (a liveness bug)', async () => {
    const r = await searchRandom(opts({ seed: 2, runs: 100, maxShrinks: 30, robustness }), timing((s, seed) => hasPartition(s) && bySeed(seed, 0.6)));
    const x = r.failure!;
    expect(x.firstRate!.failed).toBeGreaterThanOrEqual(3);
    expect(hasPartition(x.minimize.scenario)).toBe(true);
    expect(x.minimize.rate!.failed).toBeGreaterThanOrEqual(x.seedsNeeded!);
  });

  it('a safety check failing under one seed in ten still counts (weak, then shrunk)', async () => {
    const r = await searchRandom(
      opts({ seed: 2, runs: 100, maxShrinks: 10, robustness: { ...robustness, maxWeak: 2 } }),
      async (scenario, ctx) => {
        const b = hasPartition(scenario) && bySeed(ctx.seed, 0.1);
        return { verdict: b ? 'invalid' : 'valid', failing: b ? ['election-safety', 'election-time'] : [], dir: '' };
      },
    );
    expect(r.counts.variance).toBeUndefined();
    expect(r.counts.weak).toBeGreaterThan(0);
    expect(r.failure).toBeDefined();
  });
});

describe('searchRandom: failures complete before the first fault', () => {
  it('do not count for a schedule under any seed; the search still reports one, judged by its own seed', async () => {
    // Every run fails at the cluster's first election, before any fault: no schedule causes it.
    const runOne: RunOne = async () => ({ verdict: 'invalid', failing: ['election-safety'], beforeFaults: ['election-safety'], dir: '' });
    const r = await searchRandom(opts({ seed: 2, runs: 50, maxShrinks: 10, robustness: { ...robustness, maxWeak: 3 } }), runOne);
    expect(r.counts.weak).toBe(3);
    const x = r.failure!;
    expect(x.firstRate).toMatchObject({ failed: 0 });
    expect(x.seedsNeeded).toBe(0);
    // Judged by one seed, it shrinks to nothing: the failure needs no fault.
    expect(x.minimize.steps).toEqual([]);
    expect(x.minimize.rate).toBeUndefined();
    expect(x.minimize.reproduced).toBe(x.minimize.confirmed);
  });

  it('a failure after the faults began counts even when another check failed before them', async () => {
    const runOne: RunOne = async (s) => ({
      verdict: 'invalid',
      failing: hasKill(s) ? ['election-safety', 'one-vote-per-term'] : ['one-vote-per-term'],
      beforeFaults: ['one-vote-per-term'],
      dir: '',
    });
    const r = await searchRandom(opts({ seed: 2, runs: 50, maxShrinks: 20, robustness: { ...robustness, maxWeak: 3 } }), runOne);
    expect(hasKill(r.failure!.first.scenario)).toBe(true);
    expect(r.failure!.firstRate).toMatchObject({ failed: 10 });
    expect(r.failure!.minimize.steps.some((st) => 'fault' in st && st.fault.kind === 'kill')).toBe(true);
  });
});

describe('seedVariant and seedRate', () => {
  it('variant 0 is the seed; the others differ, stay in 1..2^31-1 and repeat', () => {
    const v = Array.from({ length: 50 }, (_, i) => seedVariant(12345, i));
    expect(v[0]).toBe(12345);
    expect(new Set(v).size).toBe(50);
    expect(v.every((x) => Number.isInteger(x) && x >= 1 && x <= 2 ** 31 - 1)).toBe(true);
    expect(Array.from({ length: 50 }, (_, i) => seedVariant(12345, i))).toEqual(v);
    // Node k runs with run seed + k: neighbouring variants must not share node seeds.
    expect(v.slice(1).every((x) => Math.abs(x - 12345) > 100)).toBe(true);
  });

  it('counts failures, stops once the answer to "at least need?" is known, and uses a known first outcome', async () => {
    const calls: number[] = [];
    const fails = async (_s: number, i: number) => (calls.push(i), i % 2 === 0);
    expect(await seedRate(7, 10, fails)).toMatchObject({ failed: 5, tried: 10, failingSeed: 7 });
    calls.length = 0;
    expect(await seedRate(7, 10, fails, { need: 2 })).toMatchObject({ failed: 2, tried: 3 });
    expect(calls).toEqual([0, 1, 2]);
    calls.length = 0;
    // 9 of 10 is out of reach once two have passed (the 2nd and 4th).
    expect((await seedRate(7, 10, fails, { need: 9 })).tried).toBe(4);
    calls.length = 0;
    expect(await seedRate(7, 4, fails, { known: false })).toMatchObject({ failed: 1, tried: 4, failingSeed: seedVariant(7, 2) });
    expect(calls).toEqual([1, 2, 3]);
    expect(await seedRate(7, 10, async (_s, i) => (i < 3 ? true : undefined))).toMatchObject({ failed: 3, tried: 3 });
  });
});

describe('dropStep', () => {
  const cut: Step = { fault: { kind: 'partition', partition: { isolate: 'leader' } }, id: 'f1' };
  const steps: Step[] = [cut, { wait: 300 }, { fault: { kind: 'kill', target: 'leader' }, holdMs: 90 }, { heal: 'f1' }];
  it('drops one step; a fault with an id takes its heal along', () => {
    expect(dropStep(steps, 1)).toEqual([cut, steps[2], steps[3]]);
    expect(dropStep(steps, 0)).toEqual([steps[1], steps[2]]);
    expect(dropStep(steps, 9)).toEqual(steps);
  });
});

describe('mergeWaits', () => {
  it('merges adjacent waits and drops zero ones, keeping the timing', () => {
    const k: Step = { fault: { kind: 'kill', target: 'leader' }, holdMs: 90 };
    expect(mergeWaits([{ wait: 10 }, { wait: 0 }, { wait: 5 }, k, { wait: 0 }, { heal: 'all' }, { wait: 3 }, { wait: 4 }])).toEqual([
      { wait: 15 },
      k,
      { heal: 'all' },
      { wait: 7 },
    ]);
  });
});

describe('shrinking keeps only judgeable failures', () => {
  it('never keeps a step that makes the run unknown: the minimal replays invalid, not unknown', async () => {
    // Invalid with a kill or a partition; a partition also leaves a check unknown (as a fault
    // with no leader to remove does election-time). The minimal must be the kill alone.
    let withBoth = 0;
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]) {
      let t = 0;
      const runOne: RunOne = async (scenario) => {
        t += 1000;
        const kill = hasKill(scenario);
        const partition = hasPartition(scenario);
        if (!kill && !partition) return { verdict: 'valid', failing: [], dir: '' };
        return {
          verdict: 'invalid',
          failing: ['one-vote-per-term'],
          dir: '',
          ...(partition ? { unjudged: ['election-time: Cannot tell: partition at 1 s started with no leader to remove'] } : {}),
        };
      };
      const r = await searchRandom(opts({ seed, runs: 30, now: () => t, confirmRuns: 1 }), runOne);
      if (!r.failure || !hasKill(r.failure.first.scenario) || !hasPartition(r.failure.first.scenario)) continue;
      withBoth += 1;
      expect(hasPartition(r.failure.minimize.scenario), `seed ${seed}`).toBe(false);
      expect(hasKill(r.failure.minimize.scenario), `seed ${seed}`).toBe(true);
      expect(r.failure.minimize.confirmRecords.every((x) => x.verdict === 'invalid' && !x.unjudged)).toBe(true);
    }
    expect(withBoth).toBeGreaterThan(0);
  });
});

describe('the minimal schedule\'s rate counts as the first schedule\'s did', () => {
  it('a failure seen only with a check unknown: its rate is not 0 of 10 while its replay fails', async () => {
    // Partitions fail under about 3 seeds in 10, always with election-time unknown (a fault with
    // no leader to remove): nothing judgeable to shrink to, so the minimal is the first schedule.
    const runOne: RunOne = async (scenario, ctx) => {
      const bad = hasPartition(scenario) && bySeed(ctx.seed, 0.3);
      if (!bad) return { verdict: 'valid', failing: [], dir: '' };
      return { verdict: 'invalid', failing: ['election-safety'], unjudged: ['election-time: Cannot tell: partition started with no leader to remove'], dir: '' };
    };
    const r = await searchRandom(opts({ seed: 3, runs: 300, maxShrinks: 5, robustness }), runOne);
    const x = r.failure!;
    expect(x.firstRate!.failed).toBeGreaterThan(0);
    expect(x.minimize.rate!.failed).toBe(x.firstRate!.failed);
    // The replay seed is one that failed, and the confirmation run failed with it.
    expect(x.minimize.rate!.failingSeed).toBe(x.minimize.replaySeed);
    expect(x.minimize.confirmRecords[0]).toMatchObject({ verdict: 'invalid', seed: x.minimize.replaySeed });
  });
});

describe('minimize keeps only judgeable drops', () => {
  it('does not drop a step when what is left fails only with an unknown check', async () => {
    const partition: Step = { fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 500 };
    const kill: Step = { fault: { kind: 'kill', target: 'leader' } };
    const runs: Scenario[] = [];
    const r = await minimize([partition, { wait: 300 }, kill], {
      seed: 1,
      identity: (index) => ({ seed: 9, index, nodes: 3 }),
      confirmRuns: 1,
      greedyTries: 1,
      greedyUntil: () => Infinity,
      outOfTime: () => false,
      interrupted: () => false,
      deadline: Infinity,
      nextIndex: () => runs.length,
      run: async (scenario, seed, phase) => {
        runs.push(scenario);
        const invalid = hasKill(scenario) || hasPartition(scenario);
        const base = { index: runs.length, phase, scenario, seed, durationMs: 1, dir: '' };
        if (!invalid) return { ...base, verdict: 'valid', failing: [] };
        return { ...base, verdict: 'invalid', failing: ['one-vote-per-term'], ...(hasPartition(scenario) ? { unjudged: ['election-time: Cannot tell: no leader to remove'] } : {}) };
      },
    });
    // Dropping the kill leaves the partition failing only with election-time unknown: not kept.
    expect(r.steps).toEqual([kill]);
    expect(r.confirmRecords[0]).toMatchObject({ verdict: 'invalid' });
    expect(r.confirmRecords[0]!.unjudged).toBeUndefined();
  });
});
