/**
 * mulberry32 (Tommy Ettinger's 32-bit generator: tiny, fast, passes gjrand/PractRand at the
 * sizes this project uses): a function giving floats in [0, 1), seeded with `seed` modulo
 * 2^32. The one PRNG of the project: the node's core (`node/src/core/prng.ts`) and the harness
 * (`harness/src/util/rng.ts`) both wrap it, so the same seed gives the same sequence on every
 * platform. Not for cryptography. Callers must not change it: every simulated history (and
 * every replay command's seed) depends on this exact sequence.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 15), z | 1);
    z ^= z + Math.imul(z ^ (z >>> 7), z | 61);
    return ((z ^ (z >>> 14)) >>> 0) / 4294967296;
  };
}
