import { ConfigError } from './errors.js';

/**
 * Parses a whole number option (digits only, spaces around allowed) in `min..max`. Every error
 * is a ConfigError naming the option: `--nodes must be a whole number from 1 to 15, got "many"`.
 */
export function parseWholeNumber(raw: string, name: string, min: number, max: number): number {
  const n = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

/** `parseWholeNumber` for an option that may be absent (undefined stays undefined). */
export function optionalWholeNumber(raw: string | undefined, name: string, min: number, max: number): number | undefined {
  return raw === undefined ? undefined : parseWholeNumber(raw, name, min, max);
}

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
