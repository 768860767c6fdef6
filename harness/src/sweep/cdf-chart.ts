import { html, raw, type SafeHtml } from '../report/escape.js';
import type { CdfPoint } from './stats.js';

/** One curve of a CDF chart. */
export interface CdfSeries {
  label: string;
  color: string;
  points: readonly CdfPoint[];
  /** Dashed, thinner: a model rather than a measurement. */
  dashed?: boolean;
}

/** Tick values for a log axis between lo and hi: 1, 2, 5 x powers of ten. */
function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let p = Math.floor(Math.log10(lo)); p <= Math.ceil(Math.log10(hi)); p++) {
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** p;
      if (v >= lo && v <= hi) ticks.push(v);
    }
  }
  return ticks;
}

/** Round linear ticks (about 8) from 0 to hi. */
function linearTicks(hi: number): number[] {
  const raw = hi / 8;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = 0; v <= hi + 1e-9; v += step) ticks.push(Math.round(v));
  return ticks;
}

/**
 * Cumulative distribution curves on one static SVG, in the style of the Raft paper's Figure 16:
 * x is milliseconds (linear from 0, or log when `scale` says so or the values span more than
 * 8x), y is the cumulative share of trials in percent. Each curve is a step line; a curve that
 * ends below 100% had trials that never finished. Every label is escaped.
 */
export function cdfChart(series: readonly CdfSeries[], options: { scale?: 'linear' | 'log' | 'auto'; title?: string; width?: number; height?: number } = {}): SafeHtml {
  const W = options.width ?? 900;
  const H = options.height ?? 440;
  const m = { left: 56, right: 24, top: 28, bottom: 46 };
  const all = series.flatMap((s) => s.points.map((p) => p.ms)).filter((x) => Number.isFinite(x) && x > 0);
  const lo = all.length ? Math.min(...all) : 1;
  const hi = all.length ? Math.max(...all) : 10;
  const log = options.scale === 'log' || ((options.scale ?? 'auto') === 'auto' && hi / Math.max(lo, 1e-3) > 8);
  const xLo = log ? 10 ** Math.floor(Math.log10(Math.max(lo, 0.1))) : 0;
  const xHi = log ? Math.max(xLo * 10, hi * 1.25) : Math.max(1, hi * 1.05);
  const pw = W - m.left - m.right;
  const ph = H - m.top - m.bottom;
  const x = (v: number): number => m.left + (log ? (Math.log10(Math.max(v, xLo)) - Math.log10(xLo)) / (Math.log10(xHi) - Math.log10(xLo)) : v / xHi) * pw;
  const y = (f: number): number => m.top + (1 - f) * ph;
  const xt = log ? logTicks(xLo, xHi) : linearTicks(xHi);
  const grid = [
    ...xt.map((v) => html`<line x1="${x(v).toFixed(1)}" x2="${x(v).toFixed(1)}" y1="${m.top}" y2="${m.top + ph}" class="grid"/><text x="${x(v).toFixed(1)}" y="${m.top + ph + 16}" text-anchor="middle">${v}</text>`),
    ...[0, 0.2, 0.4, 0.6, 0.8, 1].map((f) => html`<line x1="${m.left}" x2="${m.left + pw}" y1="${y(f).toFixed(1)}" y2="${y(f).toFixed(1)}" class="grid"/><text x="${m.left - 6}" y="${(y(f) + 4).toFixed(1)}" text-anchor="end">${Math.round(f * 100)}%</text>`),
  ];
  const curves = series.map((s) => {
    if (s.points.length === 0) return raw('');
    let d = `M${x(s.points[0]!.ms).toFixed(1)},${y(0).toFixed(1)}`;
    let prev = 0;
    for (const p of s.points) {
      d += ` L${x(p.ms).toFixed(1)},${y(prev).toFixed(1)} L${x(p.ms).toFixed(1)},${y(p.fraction).toFixed(1)}`;
      prev = p.fraction;
    }
    d += ` L${x(xHi).toFixed(1)},${y(prev).toFixed(1)}`;
    return html`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.dashed ? 1.5 : 2.5}"${s.dashed ? raw(' stroke-dasharray="6 4" opacity="0.8"') : ''} data-series="${s.label}"><title>${s.label}</title></path>`;
  });
  const legend = series.map((s, i) => {
    const ly = m.top + ph - series.length * 18 - 4 + i * 18 + 10;
    const lx = m.left + pw - 250;
    return html`<line x1="${lx}" x2="${lx + 26}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="${s.dashed ? 1.5 : 2.5}"${s.dashed ? raw(' stroke-dasharray="6 4"') : ''}/><text x="${lx + 32}" y="${ly + 4}">${s.label}</text>`;
  });
  const legendBox = html`<rect x="${m.left + pw - 258}" y="${m.top + ph - series.length * 18 - 10}" width="252" height="${series.length * 18 + 6}" fill="#fff" opacity="0.9" stroke="#ccc"/>`;
  return html`<svg class="cdf" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${options.title ?? 'cumulative distribution'}" font-family="system-ui, sans-serif" font-size="12">
<style>.grid{stroke:#e3e3e3;stroke-width:1}</style>
<rect x="${m.left}" y="${m.top}" width="${pw}" height="${ph}" fill="none" stroke="#999"/>
${grid}${curves}${legendBox}${legend}
<text x="${m.left + pw / 2}" y="${H - 8}" text-anchor="middle" font-weight="600">time without a leader (ms${log ? ', log scale' : ''})</text>
<text transform="translate(14 ${m.top + ph / 2}) rotate(-90)" text-anchor="middle" font-weight="600">cumulative % of trials</text>
</svg>`;
}

/** Distinct, colour-blind-friendly colours (Okabe-Ito), in order. */
export const SERIES_COLORS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#F0E442'];
