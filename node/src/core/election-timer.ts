import type { Rng } from './prng.js';

/**
 * Picks the next election timeout: uniform in [min, max] ms, or always `min` under the
 * `fixed-timeout` bug (up to `2 max - min` under `timeout-past-max`). A fresh value each call is what breaks split votes (§5.2).
 */
export function pickElectionTimeout(rng: Rng, min: number, max: number, fixed: boolean, pastMax = false): number {
  // The `timeout-past-max` bug adds the range's width twice: up to 2 max - min.
  return fixed ? min : rng.int(min, pastMax ? max + (max - min) : max);
}

/** The heartbeat period to use: the configured one, or slower than any election timeout under `slow-heartbeat`. */
export function effectiveHeartbeat(interval: number, electionTimeoutMax: number, slow: boolean): number {
  return slow ? electionTimeoutMax * 2 : interval;
}
