import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Verdict } from '../checkers/types.js';
import { asset } from './assets.js';
import { stats } from './charts.js';
import { html, type SafeHtml } from './escape.js';
import { htmlPage } from './html-page.js';
import { timeOfRunId } from './model.js';
import { fmtMs } from './witness.js';

/** One run as the index lists it, read from `<reportsDir>/<dir>/summary.json`. */
export interface IndexRun {
  dir: string;
  scenario: string;
  seed: string;
  verdict: Verdict | string;
  /**
   * Epoch ms the harness ran it: summary `startedAt` for real runs; for simulated runs (whose
   * history is on virtual time) the wall time their directory is named by; else the summary
   * file's mtime.
   */
  startedAt: number;
  durationMs: number | null;
  /** Failover times of faults (heals excluded), ms. */
  failoversMs: number[];
  /** Names of checks that were not valid. */
  failing: string[];
  runtime: string;
  /** Deliberate bugs (`--bug`) the nodes ran with: the run is expected to fail. */
  bugs: string[];
  /** The random search the run belongs to (its shrinking steps and replays), if any. */
  group?: string;
  /** Cluster size, when the summary says. */
  nodes?: number;
}

/**
 * The random search a run belongs to, from its scenario file's folder in the replay
 * (`<run-id>-random-search-s<seed>/...`) or its generated name (`random-<seed>-<index>`,
 * `random-<seed>-min`); undefined for other runs.
 */
export function searchOf(scenario: string, replay: string): string | undefined {
  const folder = /(?:^|[\\/\s])(\d{8}-\d{6,9}-random-search-s\d+)[\\/]/.exec(replay);
  if (folder) return `random search ${folder[1]}`;
  const name = /^random-(\d+)-(\d+|min)$/.exec(scenario);
  return name ? `random search seed ${name[1]}` : undefined;
}

function bugsOf(s: Record<string, unknown>): string[] {
  if (Array.isArray(s['bugs'])) return s['bugs'].filter((b): b is string => typeof b === 'string');
  const replay = typeof s['replay'] === 'string' ? s['replay'] : '';
  return [...replay.matchAll(/--bug[ =](\S+)/g)].flatMap((m) => m[1]!.split(','));
}

function startedOf(s: Record<string, unknown>, dir: string, mtime: number): number {
  const started = typeof s['startedAt'] === 'string' ? Date.parse(s['startedAt']) : NaN;
  if (s['runtime'] === 'sim') {
    const named = timeOfRunId(dir);
    return named ? Date.parse(named) : mtime;
  }
  return Number.isFinite(started) ? started : mtime;
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
    const checks = (typeof s['checks'] === 'object' && s['checks'] !== null ? s['checks'] : {}) as Record<string, { verdict?: unknown }>;
    const failovers = Array.isArray(s['failovers']) ? (s['failovers'] as Array<Record<string, unknown>>) : [];
    const scenario = typeof s['scenario'] === 'string' ? s['scenario'] : 'unknown';
    const group = searchOf(scenario, typeof s['replay'] === 'string' ? s['replay'] : '');
    runs.push({
      dir: d.name,
      scenario,
      seed: s['seed'] === undefined || s['seed'] === null ? '?' : String(s['seed']),
      verdict: typeof s['verdict'] === 'string' ? s['verdict'] : 'unknown',
      startedAt: startedOf(s, d.name, mtime),
      durationMs: typeof s['durationMs'] === 'number' ? s['durationMs'] : null,
      failoversMs: failovers
        .filter((f) => f && f['kind'] !== 'heal' && !String(f['fault'] ?? '').startsWith('heal of '))
        .map((f) => f['ms'])
        .filter((m): m is number => typeof m === 'number' && Number.isFinite(m)),
      failing: Object.entries(checks)
        .filter(([, c]) => c && c.verdict !== 'valid')
        .map(([name]) => name),
      runtime: typeof s['runtime'] === 'string' ? s['runtime'] : '',
      bugs: bugsOf(s),
      ...(group ? { group } : {}),
      ...(typeof s['nodes'] === 'number' && s['nodes'] > 0 ? { nodes: s['nodes'] } : {}),
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

/**
 * What a run's trend row is: its scenario; a random search's runs together (one search, not a
 * row per shrinking step); runs with deliberate bugs apart from the same scenario without.
 */
export function trendKey(r: IndexRun): string {
  return `${r.group ?? r.scenario}${r.bugs.length ? ` --bug ${r.bugs.join(',')}` : ''}`;
}

/**
 * Trends per trend row (`trendKey`), days in ascending order. A row whose runs had more than
 * one cluster size (`npm run nightly -- --sizes 3,5,7`) is one row per size, `baseline (5 nodes)`:
 * failover times of different sizes are not one trend.
 */
export function trends(runs: readonly IndexRun[]): Map<string, TrendPoint[]> {
  const sizes = new Map<string, Set<number | undefined>>();
  for (const r of runs) sizes.set(trendKey(r), (sizes.get(trendKey(r)) ?? new Set()).add(r.nodes));
  const by = new Map<string, Map<string, IndexRun[]>>();
  for (const r of runs) {
    const day = new Date(r.startedAt).toISOString().slice(0, 10);
    const base = trendKey(r);
    const key = sizes.get(base)!.size > 1 ? `${base} (${r.nodes ?? '?'} nodes)` : base;
    const days = by.get(key) ?? new Map<string, IndexRun[]>();
    by.set(key, days);
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

/** How the index shows a run's verdict: runs with deliberate bugs are expected to fail. */
export function shownVerdict(r: Pick<IndexRun, 'verdict' | 'bugs'>): { cls: string; text: string } {
  const v = r.verdict === 'valid' || r.verdict === 'invalid' ? r.verdict : 'unknown';
  if (!r.bugs.length) return { cls: v, text: String(r.verdict) };
  if (v === 'invalid') return { cls: 'expected', text: 'bug caught' };
  if (v === 'valid') return { cls: 'missed', text: 'bug missed' };
  return { cls: 'unknown', text: String(r.verdict) };
}

/** The banner: the worst verdict of the runs without deliberate bugs, and what was counted. */
export function banner(runs: readonly IndexRun[]): { verdict: 'valid' | 'invalid' | 'unknown' | 'none'; text: string } {
  const plain = runs.filter((r) => r.bugs.length === 0);
  const withBugs = runs.filter((r) => r.bugs.length > 0);
  const c = { valid: 0, invalid: 0, unknown: 0 };
  for (const r of plain) c[r.verdict === 'valid' ? 'valid' : r.verdict === 'invalid' ? 'invalid' : 'unknown']++;
  const caught = withBugs.filter((r) => r.verdict === 'invalid').length;
  const missed = withBugs.filter((r) => r.verdict === 'valid').length;
  const parts = [`${runs.length} runs: ${c.valid} valid, ${c.invalid} invalid, ${c.unknown} unknown`];
  if (withBugs.length) {
    parts.push(
      `${withBugs.length} with deliberate bugs, expected to fail and not counted here: ${caught} caught, ${missed} missed` +
        (withBugs.length - caught - missed ? `, ${withBugs.length - caught - missed} unknown` : ''),
    );
  }
  const verdict = plain.length === 0 ? 'none' : c.invalid ? 'invalid' : c.unknown ? 'unknown' : 'valid';
  return { verdict, text: parts.join(' · ') };
}

/** One row of the runs table: a run, or a random search's runs together (newest first inside). */
export type IndexRow = { kind: 'run'; run: IndexRun } | { kind: 'search'; group: string; runs: IndexRun[] };

/** The runs table's rows, newest first: each random search once, at its newest run. */
export function indexRows(runs: readonly IndexRun[]): IndexRow[] {
  const sorted = [...runs].sort((a, b) => b.startedAt - a.startedAt || (a.dir < b.dir ? 1 : -1));
  const rows: IndexRow[] = [];
  const searches = new Map<string, IndexRun[]>();
  for (const r of sorted) {
    if (!r.group) {
      rows.push({ kind: 'run', run: r });
      continue;
    }
    let members = searches.get(r.group);
    if (!members) {
      searches.set(r.group, (members = []));
      rows.push({ kind: 'search', group: r.group, runs: members });
    }
    members.push(r);
  }
  return rows;
}

const when = (ms: number): string => `${new Date(ms).toISOString().replace('T', ' ').slice(0, 19)} UTC`;

function runRow(r: IndexRun): SafeHtml {
  const href = `${encodeURIComponent(r.dir)}/index.html`;
  const v = shownVerdict(r);
  return html`<tr data-run="${r.dir}"><td><span class="badge ${v.cls}" title="${r.bugs.length ? `verdict ${r.verdict}; a run with deliberate bugs is expected to fail` : r.verdict}">${v.text}</span></td><td class="name">${r.scenario}</td><td class="mono">${r.seed}</td><td>${r.runtime || '?'}</td><td class="mono">${r.bugs.join(', ') || '—'}</td><td>${when(r.startedAt)}</td><td>${r.durationMs === null ? '?' : fmtMs(r.durationMs)}</td><td>${r.failoversMs.length ? `${fmtMs(Math.max(...r.failoversMs))} (${r.failoversMs.length})` : '—'}</td><td>${r.failing.join(', ') || '—'}</td><td class="dir"><a href="${href}">${r.dir}</a></td></tr>`;
}

function searchRow(group: string, runs: readonly IndexRun[]): SafeHtml {
  const newest = runs[0]!;
  const invalid = runs.filter((r) => r.verdict === 'invalid').length;
  const unknown = runs.filter((r) => r.verdict !== 'valid' && r.verdict !== 'invalid').length;
  const bugs = [...new Set(runs.flatMap((r) => r.bugs))];
  const worst = invalid ? 'invalid' : unknown ? 'unknown' : 'valid';
  const v = shownVerdict({ verdict: worst, bugs });
  const total = runs.reduce((n, r) => n + (r.durationMs ?? 0), 0);
  return html`<tr data-group="${group}"><td><span class="badge ${v.cls}">${v.text}</span></td><td class="name">${group}</td><td class="mono">${[...new Set(runs.map((r) => r.seed))].join(', ')}</td><td>${[...new Set(runs.map((r) => r.runtime || '?'))].join(', ')}</td><td class="mono">${bugs.join(', ') || '—'}</td><td>${when(newest.startedAt)}</td><td>${fmtMs(total)}</td><td>—</td><td>${runs.length} runs: ${invalid} invalid, ${unknown} unknown</td><td class="dir"><details><summary>${runs.length} reports</summary><ul class="members">${runs.map((r) => html`<li data-run="${r.dir}"><span class="badge ${shownVerdict(r).cls}">${shownVerdict(r).text}</span> <a href="${encodeURIComponent(r.dir)}/index.html">${r.scenario}</a></li>`)}</ul></details></td></tr>`;
}

/** The index page as a string (self-contained, like the run reports). */
export function renderIndexPage(runs: readonly IndexRun[], now = new Date()): string {
  const b = banner(runs);
  const rows = indexRows(runs).map((row) => (row.kind === 'run' ? runRow(row.run) : searchRow(row.group, row.runs)));
  const trendRows = [...trends(runs)].map(([scenario, pts]) => {
    const last = pts.at(-1)!;
    return html`<tr data-trend="${scenario}"><td class="name">${scenario}</td><td>${pts.length}</td><td>${pts.reduce((n, p) => n + p.runs, 0)}</td><td>${pts.reduce((n, p) => n + p.invalid, 0)} invalid, ${pts.reduce((n, p) => n + p.unknown, 0)} unknown</td><td>${last.day}: median ${last.median === null ? '—' : fmtMs(last.median)}, worst ${last.worst === null ? '—' : fmtMs(last.worst)}</td><td>${sparkline(pts)}</td>
<td><details><summary>per day</summary><table class="inner"><tr><th>day</th><th>runs</th><th>median</th><th>worst</th><th>not valid</th></tr>${pts.map((p) => html`<tr><td>${p.day}</td><td>${p.runs}</td><td>${p.median === null ? '—' : fmtMs(p.median)}</td><td>${p.worst === null ? '—' : fmtMs(p.worst)}</td><td>${p.invalid + p.unknown}</td></tr>`)}</table></details></td></tr>`;
  });
  const cls = runs.length === 0 ? 'unknown' : b.verdict === 'none' ? 'expected' : b.verdict;
  const label = runs.length === 0 ? 'NO RUNS' : b.verdict === 'none' ? 'BUG RUNS ONLY' : b.verdict.toUpperCase();
  const body = html`<header class="run ${cls}"><div class="verdict ${cls}" data-verdict="${b.verdict}">${label}</div>
<div class="run-title">raft-chaos runs</div>
<div class="facts" id="counts">${b.text} · built ${when(now.getTime())}</div></header>
<main><h2>Trends <small>failover time (fault → settled leader), median and worst per day; one row per scenario, per random search, and per scenario with deliberate bugs</small></h2>
${trendRows.length ? html`<table class="trends"><thead><tr><th>scenario</th><th>days</th><th>runs</th><th>not valid</th><th>latest day</th><th>trend (green median, red worst)</th><th></th></tr></thead><tbody>${trendRows}</tbody></table>` : html`<p class="none">No runs yet.</p>`}
<h2>Runs <small>newest first (when the harness ran them) · runs with deliberate bugs are expected to fail: “bug caught” is their good outcome</small></h2>
${rows.length ? html`<table class="runs"><thead><tr><th>verdict</th><th>scenario</th><th>seed</th><th>runtime</th><th>bugs</th><th>ran</th><th>duration</th><th>worst failover (n)</th><th>checks not valid</th><th>report</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p class="none">No run directory with a summary.json here.</p>`}
</main>`;
  return htmlPage({
    title: html`raft-chaos runs`,
    css: `${asset('report.css')}
.runs td, .trends td { vertical-align: middle; } table.inner { width: auto; } .inner td, .inner th { padding: 2px 8px; }
.runs td.dir { overflow-wrap: anywhere; } .members { margin: 4px 0 0; padding-left: 0; list-style: none; }
header.run .verdict { grid-row: span 2; }`,
    body,
  });
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

