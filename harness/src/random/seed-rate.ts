import { SAFETY_CHECKS } from '../checkers/compose.js';

/**
 * How robust a failure is: the share of run seeds under which a schedule fails. A simulated
 * run is deterministic, so one seed that fails may be luck of that seed's timing (two timers
 * firing within a millisecond) rather than something the schedule does. A schedule that fails
 * under most seeds fails because of its faults, and such a schedule also fails again on real
 * processes, whose timing no seed controls.
 */
export interface SeedRobustness {
  /** Run seeds tried for a schedule that failed once (its own seed first). */
  seeds: number;
  /** A failure under at least this many of `seeds` is taken at once; shrinking keeps at least this many. */
  target: number;
  /** Weaker failures to collect before the search gives up on `target` and shrinks the most robust one. */
  maxWeak: number;
  /**
   * A failure where no check of `safety` said invalid (only timing bounds: election time,
   * step-down, stability) counts only under at least this many seeds. Under fewer it is the
   * variance of randomized timeouts (a few split votes in a row), which a correct node shows too:
   * counted apart, neither shrunk nor reported as a failure. Safety failures count at any rate.
   */
  boundsFloor: number;
  /** The checks whose violation counts at any rate. */
  safety: readonly string[];
}

/**
 * The simulated search's defaults: 10 seeds, 8 of them failing, up to 30 weaker failures, and a
 * timing-bound failure must fail under 3. Measured on the correct node (every check, 3 nodes,
 * 2000 schedules): its slow elections each failed under 1 of 10 seeds; the liveness bugs under
 * 6-10 of 10.
 */
export const SIM_ROBUSTNESS: SeedRobustness = { seeds: 10, target: 8, maxWeak: 30, boundsFloor: 3, safety: SAFETY_CHECKS };

/** SIM_ROBUSTNESS scaled to `seeds` run seeds (`--seeds N`). */
export function robustnessFor(seeds: number): SeedRobustness {
  return { ...SIM_ROBUSTNESS, seeds, target: Math.ceil(seeds * 0.8), boundsFloor: Math.max(1, Math.round(seeds * 0.3)) };
}

/** How many of the seeds tried made a schedule fail, and the first that did. */
export interface SeedRate {
  failed: number;
  tried: number;
  /** The first failing seed (the seed to replay with), when one failed. */
  failingSeed?: number;
}

/**
 * The i-th run seed of a schedule whose own seed is `seed` (i = 0 is `seed` itself); the others
 * are spread by a multiplicative hash so that they share no node seeds (node k runs with the run
 * seed + k) with `seed` or each other. Always in 1..2^31-1, like the search's run seeds.
 */
export function seedVariant(seed: number, i: number): number {
  if (i === 0) return seed;
  const mixed = (Math.imul(seed ^ Math.imul(i, 0x9e3779b1), 0x85ebca6b) ^ (i << 16)) >>> 0;
  return (mixed % (2 ** 31 - 1)) + 1;
}

/**
 * Runs a schedule under its seed variants 0..seeds-1 (`fails(seed)` runs one) and counts the
 * failures. With `need`, stops as soon as the answer to "at least `need` fail?" is known.
 * `known` is the outcome of variant 0 when it has run already.
 */
export async function seedRate(
  seed: number,
  seeds: number,
  fails: (seed: number, i: number) => Promise<boolean | undefined>,
  opts: { need?: number; known?: boolean } = {},
): Promise<SeedRate> {
  const out: SeedRate = { failed: 0, tried: 0 };
  for (let i = 0; i < seeds; i++) {
    if (opts.need !== undefined && (out.failed >= opts.need || out.failed + (seeds - i) < opts.need)) break;
    const s = seedVariant(seed, i);
    const failed = i === 0 && opts.known !== undefined ? opts.known : await fails(s, i);
    if (failed === undefined) break; // out of budget
    out.tried += 1;
    if (failed) {
      out.failed += 1;
      out.failingSeed ??= s;
    }
  }
  return out;
}
