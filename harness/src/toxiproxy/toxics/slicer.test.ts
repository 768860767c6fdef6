import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slicePieces } from './slicer.js';

describe('slicePieces', () => {
  it('covers the chunk exactly with pieces within average ± variation (last may be shorter)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 299 }), (length, average, v) => {
        const variation = Math.min(v, average - 1);
        const pieces = slicePieces(length, average, variation);
        expect(pieces.reduce((a, b) => a + b, 0)).toBe(length);
        pieces.forEach((size, i) => {
          expect(size).toBeGreaterThanOrEqual(1);
          expect(size).toBeLessThanOrEqual(average + variation);
          if (i < pieces.length - 1) expect(size).toBeGreaterThanOrEqual(average - variation);
        });
      }),
    );
  });
});
