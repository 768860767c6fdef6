/** Summary figures of a sample of durations (ms). Every figure is NaN for an empty sample. */
export interface Summary {
  n: number;
  min: number;
  median: number;
  mean: number;
  p99: number;
  max: number;
}

/** Nearest-rank percentile of an ascending array (`q` in [0, 1]); NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** min, median, mean, p99 and max (nearest-rank percentiles, as the bench always used). */
export function summarize(xs: readonly number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  const mean = s.length === 0 ? NaN : s.reduce((a, b) => a + b, 0) / s.length;
  return { n: s.length, min: s[0] ?? NaN, median: percentile(s, 0.5), mean, p99: percentile(s, 0.99), max: s.at(-1) ?? NaN };
}

/** One step of an empirical CDF: `fraction` of all trials took at most `ms`. */
export interface CdfPoint {
  ms: number;
  fraction: number;
}

/**
 * The empirical cumulative distribution of `xs` as steps, one per distinct value, ascending.
 * `total` (default xs.length) is the denominator: pass the number of trials to make trials
 * that never finished (not in `xs`) keep the curve below 100%, as they should.
 */
export function cdf(xs: readonly number[], total = xs.length): CdfPoint[] {
  if (total <= 0) return [];
  const s = [...xs].sort((a, b) => a - b);
  const points: CdfPoint[] = [];
  s.forEach((ms, i) => {
    const fraction = (i + 1) / total;
    if (points.length > 0 && points.at(-1)!.ms === ms) points.at(-1)!.fraction = fraction;
    else points.push({ ms, fraction });
  });
  return points;
}
