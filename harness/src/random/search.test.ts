import { describe, expect, it } from 'vitest';
import type { Scenario, Step } from '../scenario/types.js';
import { validateScenario } from '../scenario/validate.js';
import { dropStep, mergeWaits } from './minimize.js';
import { exitCode } from './random-main.js';
import type { RunOne, RunOutcome } from './run-record.js';
import { searchRandom, type SearchOptions } from './search.js';

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

  it('every run failing to start is exit 2', async () => {
    const r = await searchRandom(opts({ runs: 2 }), async () => {
      throw new Error('no runtime');
    });
    expect(r.runs.every((x) => x.error === 'no runtime')).toBe(true);
    expect(exitCode(r)).toBe(2);
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
