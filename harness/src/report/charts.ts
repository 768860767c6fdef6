import { html, raw, type SafeHtml } from './escape.js';
import { fmtMs } from './witness.js';

/** One bar of a duration chart. `ms` null draws a "never" bar past the end of the scale. */
export interface Bar {
  label: string;
  ms: number | null;
  /** Where the bar's event happened, for the "show on timeline" link. */
  atMs?: number | null;
  /** Text for a null bar (default `no leader`). */
  missing?: string;
  /**
   * False for a measurement nobody held to the bound (healed first, nothing to remove...): drawn
   * as a short neutral stub with `missing` as its label, never as a failure. Default true.
   */
  judged?: boolean;
}

/**
 * A horizontal bar chart of durations against an optional bound (a dashed red line; judged
 * bars past it, and judged null bars, are red and full length). Unjudged bars are a short grey
 * stub labelled `not judged: <why>`. Every value label stays inside the chart (inside the bar
 * when there is no room after it). Static SVG; every label is escaped. At most `maxBars` bars
 * are drawn (the worst judged ones kept, in time order), the rest counted in a note.
 */
export function durationChart(bars: readonly Bar[], options: { boundMs?: number | null; boundLabel?: string; maxBars?: number } = {}): SafeHtml {
  const maxBars = options.maxBars ?? 60;
  let shown = [...bars];
  if (shown.length > maxBars) {
    const badness = (b: Bar): number => (b.judged === false ? -1 : (b.ms ?? Infinity));
    const worst = new Set([...shown].sort((a, b) => badness(b) - badness(a)).slice(0, maxBars));
    shown = shown.filter((b) => worst.has(b));
  }
  const bound = options.boundMs ?? null;
  const finite = shown.filter((b) => b.judged !== false).map((b) => b.ms).filter((m): m is number => m !== null);
  const scaleMax = Math.max(1, ...finite, bound !== null ? bound * 1.15 : 0) * 1.08;
  const W = 620;
  const labelW = 190;
  const plotW = W - labelW - 80;
  const rowH = 20;
  const top = 22;
  const H = top + shown.length * rowH + 8;
  const xOf = (ms: number): number => labelW + (ms / scaleMax) * plotW;
  const CHAR_W = 6.8; // a generous width of one 12 px character, to keep text inside
  const rows = shown.map((b, i) => {
    const y = top + i * rowH;
    const judged = b.judged !== false;
    const over = judged && (b.ms === null || (bound !== null && b.ms > bound));
    const w = !judged ? 8 : b.ms === null ? plotW : Math.max(2, xOf(b.ms) - labelW);
    const value = !judged
      ? `not judged: ${b.missing ?? 'no measurement'}${b.ms !== null ? ` (${fmtMs(b.ms)})` : ''}`
      : b.ms === null
        ? (b.missing ?? 'no leader')
        : fmtMs(b.ms);
    const label = b.label.length > 30 ? `${b.label.slice(0, 29)}…` : b.label;
    const fill = !judged ? '#b0bec5' : over ? '#d32f2f' : '#43a047';
    const textW = value.length * CHAR_W;
    const inside = labelW + w + 5 + textW > W && w > textW + 10;
    const shown2 = !inside && labelW + w + 5 + textW > W ? `${value.slice(0, Math.max(1, Math.floor((W - labelW - w - 5) / CHAR_W) - 1))}…` : value;
    const valueText = inside
      ? html`<text x="${(labelW + w - 5).toFixed(1)}" y="${y + 14}" text-anchor="end" font-weight="600" fill="#fff" class="bar-value">${value}</text>`
      : html`<text x="${(labelW + w + 5).toFixed(1)}" y="${y + 14}" font-weight="${judged ? 600 : 400}"${judged ? '' : raw(' fill="#5f6b76" font-style="italic"')} class="bar-value">${shown2}</text>`;
    return html`<g class="bar${over ? ' over' : ''}${judged ? '' : ' unjudged'}" data-judged="${judged ? 'yes' : 'no'}"><title>${b.label}: ${value}${b.atMs !== undefined && b.atMs !== null ? ` (at ${fmtMs(b.atMs)})` : ''}</title>
<text x="${labelW - 8}" y="${y + 14}" text-anchor="end">${label}</text>
<rect x="${labelW}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowH - 6}" rx="2" fill="${fill}"/>
${valueText}</g>`;
  });
  const boundLine =
    bound !== null
      ? html`<line x1="${xOf(bound).toFixed(1)}" x2="${xOf(bound).toFixed(1)}" y1="${top - 6}" y2="${H - 4}" stroke="#d32f2f" stroke-width="1.5" stroke-dasharray="5 4"/>
<text x="${xOf(bound).toFixed(1)}" y="${top - 9}" text-anchor="middle" fill="#b71c1c" font-weight="600">${options.boundLabel ?? 'bound'} ${fmtMs(bound)}</text>`
      : raw('');
  const note = bars.length > shown.length ? html`<p class="hint">Showing the ${shown.length} longest of ${bars.length}.</p>` : raw('');
  return html`<div class="chart"><svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="durations">${rows}${boundLine}</svg>${note}</div>`;
}

/** min, median, p99 and max of some numbers (null when there are none). */
export function stats(values: readonly number[]): { n: number; min: number; median: number; p99: number; max: number } | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number): number => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { n: s.length, min: s[0]!, median: q(0.5), p99: q(0.99), max: s[s.length - 1]! };
}
