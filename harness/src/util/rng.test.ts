import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from './rng.js';

describe('createRng', () => {
  it('replays the same sequence for the same seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const xs = Array.from({ length: 20 }, () => a.next());
    expect(Array.from({ length: 20 }, () => b.next())).toEqual(xs);
    expect(createRng(43).next()).not.toBe(xs[0]);
  });

  it('next() stays in [0, 1) and int(n) in [0, n)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 1, max: 1000 }), (seed, n) => {
        const r = createRng(seed);
        for (let i = 0; i < 50; i++) {
          const x = r.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          const k = r.int(n);
          expect(Number.isInteger(k) && k >= 0 && k < n).toBe(true);
        }
      }),
    );
  });

  it('rejects bad arguments', () => {
    const r = createRng(1);
    expect(() => r.int(0)).toThrow(RangeError);
    expect(() => r.int(1.5)).toThrow(RangeError);
    expect(() => r.pick([])).toThrow(RangeError);
    expect(() => createRng(Number.NaN)).toThrow(RangeError);
  });

  it('shuffle returns a permutation and leaves the input alone', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { maxLength: 30 }), (seed, xs) => {
        const copy = xs.slice();
        const out = createRng(seed).shuffle(xs);
        expect(xs).toEqual(copy);
        expect(out.slice().sort((p, q) => p - q)).toEqual(copy.sort((p, q) => p - q));
      }),
    );
  });

  it('fork depends on seed and label only, not on draws made before', () => {
    const a = createRng(7);
    const b = createRng(7);
    b.next();
    b.next();
    expect(a.fork('nemesis').next()).toBe(b.fork('nemesis').next());
    expect(a.fork('nemesis').next()).not.toBe(a.fork('poller').next());
  });

  it('spreads picks roughly evenly', () => {
    const r = createRng(123);
    const counts = [0, 0, 0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[r.int(5)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(1800);
  });
});
