import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdict } from '../checkers/types.js';
import { asset, inlineSafe } from './assets.js';
import { stats } from './charts.js';
import { html, type SafeHtml } from './escape.js';
import { fmtMs } from './witness.js';

/** One run as the index lists it, read from `<reportsDir>/<dir>/summary.json`. */
export interface IndexRun {
  dir: string;
  scenario: string;
  seed: string;
  verdict: Verdict | string;
  /** Epoch ms the run started (summary `startedAt`, else the summary file's mtime). */
  startedAt: number;
  durationMs: number | null;
  /** Failover times of faults (heals excluded), ms. */
  failoversMs: number[];
  /** Names of checks that were not valid. */
  failing: string[];
  runtime: string;
}

/**
 * Reads every run directory of `reportsDir` that holds a readable `summary.json`, newest
 * first. Directories without one (or with a broken one) are skipped, never fatal.
 */
export async function collectRuns(reportsDir: string): Promise<IndexRun[]> {
  const dirs = (await readdir(reportsDir, { withFileTypes: true })).filter((d) => d.isDirectory());
  const runs: IndexRun[] = [];
  for (const d of dirs) {
    const file = join(reportsDir, d.name, 'summary.json');
    let s: Record<string, unknown>;
    let mtime: number;
    try {
      s = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
      mtime = (await stat(file)).mtimeMs;
    } catch {
      continue;
    }
    if (typeof s !== 'object' || s === null) continue;
    const started = typeof s['startedAt'] === 'string' ? Date.parse(s['startedAt']) : NaN;
    const checks = (typeof s['checks'] === 'object' && s['checks'] !== null ? s['checks'] : {}) as Record<string, { verdict?: unknown }>;
    const failovers = Array.isArray(s['failovers']) ? (s['failovers'] as Array<Record<string, unknown>>) : [];
    runs.push({
      dir: d.name,
      scenario: typeof s['scenario'] === 'string' ? s['scenario'] : 'unknown',
      seed: s['seed'] === undefined || s['seed'] === null ? '?' : String(s['seed']),
      verdict: typeof s['verdict'] === 'string' ? s['verdict'] : 'unknown',
      startedAt: Number.isFinite(started) ? started : mtime,
      durationMs: typeof s['durationMs'] === 'number' ? s['durationMs'] : null,
      failoversMs: failovers
        .filter((f) => f && f['kind'] !== 'heal' && !String(f['fault'] ?? '').startsWith('heal of '))
        .map((f) => f['ms'])
        .filter((m): m is number => typeof m === 'number' && Number.isFinite(m)),
      failing: Object.entries(checks)
        .filter(([, c]) => c && c.verdict !== 'valid')
        .map(([name]) => name),
      runtime: typeof s['runtime'] === 'string' ? s['runtime'] : '',
    });
  }
  return runs.sort((a, b) => b.startedAt - a.startedAt || (a.dir < b.dir ? 1 : -1));
}

/** Per scenario and UTC day: runs, verdict counts, failover median and worst. */
export interface TrendPoint {
  day: string;
  runs: number;
  invalid: number;
  unknown: number;
  median: number | null;
  worst: number | null;
}

/** Trends per scenario, days in ascending order. */
export function trends(runs: readonly IndexRun[]): Map<string, TrendPoint[]> {
  const by = new Map<string, Map<string, IndexRun[]>>();
  for (const r of runs) {
    const day = new Date(r.startedAt).toISOString().slice(0, 10);
    const days = by.get(r.scenario) ?? new Map<string, IndexRun[]>();
    by.set(r.scenario, days);
    days.set(day, [...(days.get(day) ?? []), r]);
  }
  const out = new Map<string, TrendPoint[]>();
  for (const [scenario, days] of [...by].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out.set(
      scenario,
      [...days]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([day, rs]) => {
          const st = stats(rs.flatMap((r) => r.failoversMs));
          return {
            day,
            runs: rs.length,
            invalid: rs.filter((r) => r.verdict === 'invalid').length,
            unknown: rs.filter((r) => r.verdict !== 'valid' && r.verdict !== 'invalid').length,
            median: st?.median ?? null,
            worst: st?.max ?? null,
          };
        }),
    );
  }
  return out;
}

function sparkline(points: readonly TrendPoint[]): SafeHtml {
  const W = 220;
  const H = 44;
  const vals = points.flatMap((p) => [p.median, p.worst]).filter((v): v is number => v !== null);
  if (vals.length === 0) return html`<span class="none">no failovers</span>`;
  const max = Math.max(...vals, 1);
  const xOf = (i: number): number => (points.length === 1 ? W / 2 : 6 + (i * (W - 12)) / (points.length - 1));
  const yOf = (v: number): number => H - 4 - (v / max) * (H - 10);
  const line = (key: 'median' | 'worst', color: string): SafeHtml => {
    const pts = points.map((p, i) => (p[key] === null ? null : `${xOf(i).toFixed(1)},${yOf(p[key]!).toFixed(1)}`)).filter((p): p is string => p !== null);
    return html`<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="1.8"/>${pts.map((p) => {
      const [x, y] = p.split(',');
      return html`<circle cx="${x}" cy="${y}" r="2.4" fill="${color}"/>`;
    })}`;
  };
  return html`<svg width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="failover trend"><title>median (green) and worst (red) failover per day; top = ${fmtMs(max)}</title>${line('worst', '#d32f2f')}${line('median', '#2e7d32')}</svg>`;
}

/** The index page as a string (self-contained, like the run reports). */
export function renderIndexPage(runs: readonly IndexRun[], now = new Date()): string {
  const counts = { valid: 0, invalid: 0, unknown: 0 };
  for (const r of runs) counts[r.verdict === 'valid' ? 'valid' : r.verdict === 'invalid' ? 'invalid' : 'unknown']++;
  const rows = runs.map((r) => {
    const href = `${encodeURIComponent(r.dir)}/index.html`;
    const v = r.verdict === 'valid' || r.verdict === 'invalid' ? r.verdict : 'unknown';
    return html`<tr data-run="${r.dir}"><td><span class="badge ${v}">${r.verdict}</span></td><td class="name">${r.scenario}</td><td class="mono">${r.seed}</td><td>${new Date(r.startedAt).toISOString().replace('T', ' ').slice(0, 19)} UTC</td><td>${r.durationMs === null ? '?' : fmtMs(r.durationMs)}</td><td>${r.failoversMs.length ? `${fmtMs(Math.max(...r.failoversMs))} (${r.failoversMs.length})` : '—'}</td><td>${r.failing.join(', ') || '—'}</td><td><a href="${href}">${r.dir}</a></td></tr>`;
  });
  const trendRows = [...trends(runs)].map(([scenario, pts]) => {
    const last = pts.at(-1)!;
    return html`<tr data-trend="${scenario}"><td class="name">${scenario}</td><td>${pts.length}</td><td>${pts.reduce((n, p) => n + p.runs, 0)}</td><td>${pts.reduce((n, p) => n + p.invalid, 0)} invalid, ${pts.reduce((n, p) => n + p.unknown, 0)} unknown</td><td>${last.day}: median ${last.median === null ? '—' : fmtMs(last.median)}, worst ${last.worst === null ? '—' : fmtMs(last.worst)}</td><td>${sparkline(pts)}</td>
<td><details><summary>per day</summary><table class="inner"><tr><th>day</th><th>runs</th><th>median</th><th>worst</th><th>not valid</th></tr>${pts.map((p) => html`<tr><td>${p.day}</td><td>${p.runs}</td><td>${p.median === null ? '—' : fmtMs(p.median)}</td><td>${p.worst === null ? '—' : fmtMs(p.worst)}</td><td>${p.invalid + p.unknown}</td></tr>`)}</table></details></td></tr>`;
  });
  const overall = counts.invalid ? 'invalid' : counts.unknown ? 'unknown' : 'valid';
  const body = html`<header class="run ${runs.length ? overall : 'unknown'}"><div class="verdict ${runs.length ? overall : 'unknown'}">${runs.length ? overall.toUpperCase() : 'NO RUNS'}</div>
<div class="run-title">raft-chaos runs</div>
<div class="facts">${runs.length} runs: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown · built ${now.toISOString().replace('T', ' ').slice(0, 19)} UTC</div></header>
<main><h2>Trends per scenario <small>failover time (fault → settled leader), median and worst per day</small></h2>
${trendRows.length ? html`<table class="trends"><thead><tr><th>scenario</th><th>days</th><th>runs</th><th>not valid</th><th>latest day</th><th>trend (green median, red worst)</th><th></th></tr></thead><tbody>${trendRows}</tbody></table>` : html`<p class="none">No runs yet.</p>`}
<h2>Runs <small>newest first</small></h2>
${rows.length ? html`<table class="runs"><thead><tr><th>verdict</th><th>scenario</th><th>seed</th><th>started</th><th>duration</th><th>worst failover (n)</th><th>checks not valid</th><th>report</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="none">No run directory with a summary.json here.</p>`}
</main>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>raft-chaos runs</title><style>${inlineSafe(asset('report.css'))}
.runs td, .trends td { vertical-align: middle; } table.inner { width: auto; } .inner td, .inner th { padding: 2px 8px; }
header.run .verdict { grid-row: span 2; }</style></head>
<body>${body}</body></html>
`;
}

/**
 * Writes `<reportsDir>/index.html`: every run directory with a summary.json, newest first
 * (verdict, scenario, seed, date, duration, link), and per-scenario trends of failover time
 * (median and worst per day). Returns the file and the runs listed.
 */
export async function writeIndex(reportsDir: string): Promise<{ file: string; runs: IndexRun[] }> {
  const runs = await collectRuns(reportsDir);
  const file = join(reportsDir, 'index.html');
  await writeFile(file, renderIndexPage(runs));
  return { file, runs };
}

