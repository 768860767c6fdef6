import { expectedSamples, type Expectation } from './expectation.js';
import { cdf, type CdfPoint } from './stats.js';

/** An expectation as a CDF (2000 samples, thinned to at most 200 steps for the chart). */
export function expectedCdf(e: Pick<Expectation, 'input'>): CdfPoint[] {
  const all = cdf(expectedSamples({ ...e.input, samples: 2000 }));
  const step = Math.max(1, Math.ceil(all.length / 200));
  return all.filter((_, i) => i % step === 0 || i === all.length - 1);
}
