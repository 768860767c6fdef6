import { describe, expect, it } from 'vitest';
import type { Scenario } from '../scenario/types.js';
import type { RunContext, RunOne, RunOutcome } from './run-record.js';
import { causedBySchedule } from './search.js';
import { timingRobust } from './sim-run-one.js';

const scenario = { name: 'x', steps: [] } as unknown as Scenario;
const ctx: RunContext = { seed: 7, phase: 'search', signal: new AbortController().signal };
const invalid = (...failing: string[]): RunOutcome => ({ verdict: 'invalid', failing, dir: '' });
const valid: RunOutcome = { verdict: 'valid', failing: [], dir: '' };

/** A RunOne that answers by jitter (0: the seed's own run) and records what it was asked. */
function fake(byJitter: Record<number, RunOutcome>) {
  const asked: RunContext[] = [];
  const runOne: RunOne = async (_s, c) => {
    asked.push(c);
    return byJitter[c.jitter ?? 0]!;
  };
  return { runOne, asked };
}

describe('timingRobust (--jitter): a failure counts only when it survives timing perturbations of its seed', () => {
  it('K = 0 is the run itself', () => {
    const { runOne } = fake({ 0: valid });
    expect(timingRobust(runOne, 0)).toBe(runOne);
  });

  it('a valid run costs no perturbation', async () => {
    const { runOne, asked } = fake({ 0: valid });
    expect(await timingRobust(runOne, 3)(scenario, ctx)).toEqual(valid);
    expect(asked).toHaveLength(1);
  });

  it('a check invalid under every perturbation counts; one that is not is fragile, and the run stays invalid', async () => {
    const { runOne, asked } = fake({ 0: invalid('election-safety', 'one-vote-per-term'), 1: invalid('election-safety', 'one-vote-per-term'), 2: invalid('election-safety'), 3: invalid('election-safety') });
    const r = await timingRobust(runOne, 3)(scenario, ctx);
    expect(r.verdict).toBe('invalid');
    expect(r.failing).toEqual(['election-safety', 'one-vote-per-term']);
    expect(r.fragile).toEqual(['one-vote-per-term']);
    expect(causedBySchedule(r)).toBe(true);
    // Same seed, perturbations 1..3, run as extra runs (no report of their own).
    expect(asked.map((c) => [c.seed, c.jitter ?? 0, c.phase])).toEqual([[7, 0, 'search'], [7, 1, 'seeds'], [7, 2, 'seeds'], [7, 3, 'seeds']]);
  });

  it('a failure one perturbation does not repeat is fragile: invalid, but it does not count for the rate; the rest are not run', async () => {
    const { runOne, asked } = fake({ 0: invalid('election-safety'), 1: valid, 2: invalid('election-safety') });
    const r = await timingRobust(runOne, 3)(scenario, ctx);
    expect(r.verdict).toBe('invalid');
    expect(r.fragile).toEqual(['election-safety']);
    expect(causedBySchedule(r)).toBe(false);
    expect(asked).toHaveLength(2);
  });

  it('a check violated before the faults began is neither perturbed nor fragile (it does not count anyway)', async () => {
    const early = { ...invalid('election-safety'), beforeFaults: ['election-safety'] };
    const { runOne, asked } = fake({ 0: early });
    const r = await timingRobust(runOne, 3)(scenario, ctx);
    expect(r.fragile).toBeUndefined();
    expect(asked).toHaveLength(1);
    expect(causedBySchedule(r)).toBe(false);
  });

  it('a run that is itself a perturbation is not perturbed again', async () => {
    const { runOne, asked } = fake({ 2: invalid('election-safety') });
    await timingRobust(runOne, 3)(scenario, { ...ctx, jitter: 2 });
    expect(asked).toHaveLength(1);
  });
});
