import { describe, expect, it } from 'vitest';
import { durationChart } from './charts.js';

const W = 620;
const CHAR_W = 6.8;

/** Where each value label of a chart ends, from its x, anchor and length. */
function valueEnds(svg: string): Array<{ text: string; end: number }> {
  return [...svg.matchAll(/<text x="([\d.]+)" y="[\d.]+"( text-anchor="end")?[^>]*class="bar-value">([^<]*)<\/text>/g)].map((m) => ({
    text: m[3]!,
    end: m[2] ? Number(m[1]) : Number(m[1]) + m[3]!.length * CHAR_W,
  }));
}

describe('durationChart', () => {
  it('draws a judged miss full length in red with its label inside the chart, an unjudged one as a short grey stub', () => {
    const svg = durationChart(
      [
        { label: 'isolate n1', ms: 200 },
        { label: 'isolate n2', ms: null, missing: 'no leader within the bound' },
        { label: 'isolate n3', ms: null, judged: false, missing: 'healed before a new leader' },
      ],
      { boundMs: 850 },
    ).toString();
    const rects = [...svg.matchAll(/<rect x="190" y="[\d.]+" width="([\d.]+)"[^>]*fill="(#[0-9a-f]+)"/g)].map((m) => [Number(m[1]), m[2]]);
    expect(rects[0]).toEqual([expect.any(Number), '#43a047']);
    expect(rects[1]).toEqual([350, '#d32f2f']);
    expect(rects[2]).toEqual([8, '#b0bec5']);
    const ends = valueEnds(svg);
    expect(ends.map((e) => e.text)).toEqual(['200 ms', 'no leader within the bound', 'not judged: healed before a new leader']);
    for (const e of ends) expect(e.end, e.text).toBeLessThanOrEqual(W);
    expect(svg).toContain('data-judged="no"');
  });
});
