import { ConfigError } from './errors.js';

/** Bounds a `MIN-MAX` range must keep, in ms. */
export interface MsRangeLimits {
  /** Smallest allowed MIN. */
  least: number;
  /** Largest allowed MAX. */
  most: number;
}

/**
 * Parses `MIN-MAX` in whole milliseconds, e.g. `150-300` (spaces around the numbers allowed).
 * Every error is a ConfigError that starts with `name` and quotes what was given.
 */
export function parseMsRange(raw: string, name: string, limits: MsRangeLimits = { least: 1, most: 60_000 }): [number, number] {
  const m = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(raw);
  if (!m) throw new ConfigError(`${name}: "${raw}" is not MIN-MAX in whole ms (e.g. 150-300)`);
  const min = Number(m[1]);
  const max = Number(m[2]);
  if (min < limits.least) throw new ConfigError(`${name}: "${raw.trim()}": the minimum must be at least ${limits.least} ms`);
  if (max > limits.most) throw new ConfigError(`${name}: "${raw.trim()}": the maximum must be at most ${limits.most} ms`);
  if (min > max) throw new ConfigError(`${name}: "${raw.trim()}": min ${min} is above max ${max}`);
  return [min, max];
}
