import { mulberry32 } from '../../../common/src/mulberry32.js';

/**
 * Seeded randomness for the harness: every random choice (which node, which half, which
 * timeout) comes from an `Rng` the caller passes in, so the same seed replays the same run.
 * Never use `Math.random()` in harness code that makes choices.
 */

/** A seeded source of random numbers. Not cryptographic. */
export interface Rng {
  /** The seed this generator started from (forks report their derived seed). */
  readonly seed: number;
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). Throws RangeError unless n is a positive integer. */
  int(n: number): number;
  /** A uniformly chosen element. Throws RangeError for an empty array. */
  pick<T>(items: readonly T[]): T;
  /** A shuffled copy (Fisher-Yates); the input is not changed. */
  shuffle<T>(items: readonly T[]): T[];
  /**
   * An independent generator for one purpose (`fork('nemesis')`, `fork('n1')`). It depends only
   * on this generator's seed and the label, not on how many numbers were drawn before, so adding
   * a draw in one part of the harness does not change another part's choices. Forking the same
   * label twice gives the same sequence.
   */
  fork(label: string): Rng;
}

/** 32-bit FNV-1a of a string; used to turn fork labels into seeds. */
function fnv1a(text: string, basis = 0x811c9dc5): number {
  let h = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The harness's generator over the project's one PRNG (common/src/mulberry32.ts). `seed` is
 * taken modulo 2^32.
 */
export function createRng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`rng seed must be a finite number, got ${seed}`);
  const start = Math.trunc(seed) >>> 0;
  const next = mulberry32(start);
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`rng.int needs a positive integer, got ${n}`);
    return Math.floor(next() * n);
  };
  return {
    seed: start,
    next,
    int,
    pick<T>(items: readonly T[]): T {
      if (items.length === 0) throw new RangeError('rng.pick from an empty array');
      return items[int(items.length)] as T;
    },
    shuffle<T>(items: readonly T[]): T[] {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = int(i + 1);
        const tmp = out[i] as T;
        out[i] = out[j] as T;
        out[j] = tmp;
      }
      return out;
    },
    fork(label: string): Rng {
      return createRng(fnv1a(label, fnv1a(String(start))));
    },
  };
}
