import { html, raw, type SafeHtml } from '../report/escape.js';
import { htmlPage } from '../report/html-page.js';
import { cdfChart, SERIES_COLORS, type CdfSeries } from './cdf-chart.js';
import { expectedCdf } from './expected-cdf.js';
import type { RangeResult, SweepResult } from './result.js';
import { cdf } from './stats.js';

const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(x)}`);
const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');

/** The chart's curves: each range measured (solid) and expected (dashed), one colour per range. */
export function sweepSeries(s: SweepResult): CdfSeries[] {
  return s.ranges.flatMap((r, i) => {
    const color = SERIES_COLORS[i % SERIES_COLORS.length]!;
    const elected = r.trials.flatMap((t) => (t.electedMs === null ? [] : [t.electedMs]));
    return [
      { label: `${r.label} ms measured (median ${ms(r.elected.median)})`, color, points: cdf(elected, r.trials.length) },
      { label: `${r.label} ms expected (median ${ms(r.expectation.median)})`, color, points: expectedCdf(r.expectation), dashed: true },
    ];
  });
}

function rangeRows(r: RangeResult): SafeHtml {
  const p = r.paper;
  return html`<tbody data-range="${r.label}">
<tr><th rowspan="${p ? 4 : 3}">${r.label} ms<div class="hint">heartbeat ${r.heartbeatMs} ms · ${r.trials.length}${r.trials.length < r.planned ? ` of ${r.planned}` : ''} trials</div></th>
<td>measured: to <code>become-leader</code></td><td>${r.elected.n}</td><td>${ms(r.elected.min)}</td><td>${ms(r.elected.median)}</td><td>${ms(r.elected.mean)}</td><td>${ms(r.elected.p99)}</td><td>${ms(r.elected.max)}</td><td>${pct(r.splitShare)}</td><td>${r.noLeader}</td></tr>
<tr><td>measured: to a settled leader</td><td>${r.settled.n}</td><td>${ms(r.settled.min)}</td><td>${ms(r.settled.median)}</td><td>${ms(r.settled.mean)}</td><td>${ms(r.settled.p99)}</td><td>${ms(r.settled.max)}</td><td></td><td></td></tr>
<tr class="model"><td>expected from the timeouts</td><td></td><td>${ms(r.expectation.min)}</td><td>${ms(r.expectation.median)}</td><td>${ms(r.expectation.mean)}</td><td>${ms(r.expectation.p99)}</td><td>${ms(r.expectation.max)}</td><td>${pct(r.expectation.splitShare)}</td><td></td></tr>
${p ? html`<tr class="paper"><td>Raft paper <span class="hint">${p.source}</span></td><td></td><td>—</td><td>${ms(p.medianMs)}</td><td>${ms(p.meanMs)}</td><td>${ms(p.p99Ms)}</td><td>${ms(p.maxMs)}</td><td></td><td></td></tr>` : ''}
${r.notes.length ? html`<tr class="notes"><td colspan="10">${r.notes.map((n) => html`<div>note: ${n}</div>`)}</td></tr>` : ''}
</tbody>`;
}

/**
 * The sweep's page: one self-contained HTML document (inline CSS and SVG, no script, no
 * network): the CDF chart of every range, the table beside the paper's figures and the
 * expectation, notes, and links to the raw data (`trials.csv`, `sweep.json`).
 */
export function renderSweepPage(s: SweepResult): string {
  const chart = cdfChart(sweepSeries(s), { title: 'time from removing the leader to a new leader, per election timeout range' });
  const body = html`<h1>Election timeout sweep <small>the Raft paper's Figure 16, on this machine</small></h1>
<p class="facts">${s.nodes} nodes on <b>${s.runtime}</b> · leader removed by ${s.faults.join(' / ')} · seed ${s.seed} · polls every ${s.pollIntervalMs} ms · ${s.machine.cpus} cores, load ${s.machine.loadAverage.map((x) => x.toFixed(1)).join(' ')} · started ${s.startedAt}${s.interrupted ? html` · <b class="warn">interrupted: ${s.interrupted}</b>` : ''}</p>
<figure>${chart}<figcaption>Solid: measured time from the fault to the new leader's own <code>become-leader</code> event (what the paper measured), as a share of all trials (a curve that stops short of 100% had trials with no leader). Dashed: what the timeouts alone predict (Monte Carlo, split votes included).</figcaption></figure>
<h2>Per range <small>ms</small></h2>
<table><thead><tr><th>range</th><th></th><th>n</th><th>min</th><th>median</th><th>mean</th><th>p99</th><th>max</th><th>split votes</th><th>no leader</th></tr></thead>
${s.ranges.map(rangeRows)}</table>
<p class="hint">Split votes: elections that needed more than one term. Timings are from one shared machine and are noisy; the settled time adds up to a poll interval to the election. Raw data: <a href="trials.csv">trials.csv</a>, <a href="sweep.json">sweep.json</a>.</p>`;
  return htmlPage({ title: html`Election timeout sweep · ${s.ranges.map((r) => r.label).join(', ')}`, css: CSS, body });
}

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#222;max-width:1100px}
h1{font-size:22px;margin:0 0 4px}h1 small,h2 small{font-weight:400;color:#666;font-size:14px}
.facts{color:#444}.hint{color:#777;font-size:12px}.warn{color:#b71c1c}
figure{margin:12px 0}figcaption{color:#555;font-size:12px;max-width:900px}
table{border-collapse:collapse;margin:8px 0}th,td{border-bottom:1px solid #e5e5e5;padding:4px 10px;text-align:right}
th:first-child,td:nth-child(1),td:nth-child(2){text-align:left}tbody th{text-align:left;vertical-align:top;border-right:1px solid #e5e5e5}
tr.model td{color:#555;font-style:italic}tr.paper td{color:#1a237e}tr.notes td{text-align:left;color:#8a4b00;font-size:12px}
code{font-size:12px;background:#f3f3f3;padding:0 3px;border-radius:3px}`;
