import { mulberry32 } from '../../../common/src/mulberry32.js';

/** A seeded source of randomness; the core never calls Math.random. */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both inclusive; requires min <= max. */
  int(min: number, max: number): number;
}

/**
 * The core's generator over the project's one PRNG (common/src/mulberry32.ts). The same seed
 * gives the same sequence on every platform. Not for cryptography.
 */
export function seededRng(seed: number): Rng {
  const next = mulberry32(seed);
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
  };
}
