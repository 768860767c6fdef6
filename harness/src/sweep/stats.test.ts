import { describe, expect, it } from 'vitest';
import { expectedElection, expectedFailover } from './expectation.js';
import { cdf, percentile, summarize } from './stats.js';

describe('summarize', () => {
  it('gives min, nearest-rank median and p99, mean and max', () => {
    const xs = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 shuffled order
    expect(summarize(xs)).toEqual({ n: 100, min: 1, median: 50, mean: 50.5, p99: 99, max: 100 });
  });
  it('is NaN, not zero, for no data', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect([s.min, s.median, s.mean, s.p99, s.max].every(Number.isNaN)).toBe(true);
    expect(percentile([], 0.5)).toBeNaN();
  });
});

describe('cdf', () => {
  it('steps once per distinct value, ending at 100%', () => {
    expect(cdf([30, 10, 20, 20])).toEqual([{ ms: 10, fraction: 0.25 }, { ms: 20, fraction: 0.75 }, { ms: 30, fraction: 1 }]);
  });
  it('stays below 100% when some trials never finished', () => {
    expect(cdf([10, 20], 4).at(-1)).toEqual({ ms: 20, fraction: 0.5 });
    expect(cdf([], 0)).toEqual([]);
  });
});

describe('expectedElection', () => {
  it('for 5 nodes at 150-300 ms: near the paper (median ~171) and rarely split', () => {
    const e = expectedElection({ nodes: 5, min: 150, max: 300, heartbeatMs: 50, samples: 5000 });
    expect(e.median).toBeGreaterThan(150);
    expect(e.median).toBeLessThan(200);
    expect(e.min).toBeGreaterThanOrEqual(100);
    expect(e.splitShare).toBeLessThan(0.05);
    expect(e.meanRounds).toBeGreaterThanOrEqual(1);
  });
  it('splits far more often with a narrow range, and takes longer', () => {
    const narrow = expectedElection({ nodes: 5, min: 150, max: 155, heartbeatMs: 50, rttMs: 4, samples: 5000 });
    const wide = expectedElection({ nodes: 5, min: 150, max: 300, heartbeatMs: 50, rttMs: 4, samples: 5000 });
    expect(narrow.splitShare).toBeGreaterThan(wide.splitShare + 0.1);
    expect(narrow.p99).toBeGreaterThan(wide.p99);
  });
  it('is deterministic (fixed seed)', () => {
    const a = expectedElection({ nodes: 3, min: 12, max: 24, heartbeatMs: 4, samples: 1000 });
    const b = expectedElection({ nodes: 3, min: 12, max: 24, heartbeatMs: 4, samples: 1000 });
    expect(a).toEqual(b);
  });
  it('agrees with the bench model when nobody splits', () => {
    const old = expectedFailover(5, 150, 300, 50, 1);
    const e = expectedElection({ nodes: 5, min: 150, max: 300, heartbeatMs: 50, rttMs: 1 });
    expect(Math.abs(old.median - e.median)).toBeLessThan(5);
  });
});
