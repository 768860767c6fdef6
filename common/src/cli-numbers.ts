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

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Parses a duration option: whole milliseconds like every other duration (`90000`, `90000ms`),
 * or with a unit for convenience (`90s`, `5m`, `1h`). A bare number under 1000 is refused: it
 * reads as seconds (what `--time-limit` once took), so the message asks for `60s` or `60ms`.
 * Every error is a ConfigError naming the option and quoting what was given.
 */
export function parseDurationMs(raw: string, name: string, minMs: number, maxMs: number): number {
  const m = /^\s*(\d+)\s*(ms|s|m|h)?\s*$/.exec(raw);
  if (!m) throw new ConfigError(`${name} must be a duration in ms or with a unit (90000, 90s, 5m, 1h), got "${raw}"`);
  const n = Number(m[1]);
  if (m[2] === undefined && n > 0 && n < 1000) {
    throw new ConfigError(`${name} ${n} would be ${n} ms (durations are ms): write ${n}s for seconds, or ${n}ms if you mean it`);
  }
  const ms = n * UNIT_MS[(m[2] ?? 'ms') as keyof typeof UNIT_MS];
  if (!Number.isSafeInteger(ms) || ms < minMs || ms > maxMs) {
    throw new ConfigError(`${name} must be from ${fmtDuration(minMs)} to ${fmtDuration(maxMs)}, got "${raw.trim()}"`);
  }
  return ms;
}

/** `parseDurationMs` for an option that may be absent (undefined stays undefined). */
export function optionalDurationMs(raw: string | undefined, name: string, minMs: number, maxMs: number): number | undefined {
  return raw === undefined ? undefined : parseDurationMs(raw, name, minMs, maxMs);
}

/** A bound for messages: `1s`, `168h`, whole hours, minutes or seconds when exact, else `N ms` for messages: whole hours, minutes or seconds when exact, else ms. */
function fmtDuration(ms: number): string {
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  return `${ms} ms`;
}
