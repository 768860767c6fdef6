import type { RangeResult, SweepResult } from './result.js';
import type { Summary } from './stats.js';

const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(x)}`);
const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)}%` : '—');

/** One range as a small text table: measured (elected, settled), expected, the paper's. */
export function rangeTable(r: RangeResult): string {
  const head = `${'ms'.padEnd(18)}${['n', 'min', 'median', 'mean', 'p99', 'max', 'split', 'no leader'].map((h, i) => h.padStart(i === 7 ? 10 : 7)).join('')}`;
  const row = (name: string, s: Partial<Summary>, split: string, noLeader: string) =>
    `${name.padEnd(18)}${[s.n === undefined ? '' : String(s.n), ms(s.min), ms(s.median), ms(s.mean), ms(s.p99), ms(s.max), split].map((c) => c.padStart(7)).join('')}${noLeader.padStart(10)}`;
  const p = r.paper;
  const lines = [
    `${r.label} ms · heartbeat ${r.heartbeatMs} ms · ${r.trials.length}${r.trials.length < r.planned ? ` of ${r.planned}` : ''} trials`,
    `  ${head}`,
    `  ${row('to become-leader', r.elected, pct(r.splitShare), String(r.noLeader))}`,
    `  ${row('to settled', r.settled, '', '')}`,
    `  ${row('expected', { ...r.expectation, n: undefined }, pct(r.expectation.splitShare), '')}`,
  ];
  if (p) lines.push(`  ${row('paper (Fig. 16)', { min: undefined, median: p.medianMs, mean: p.meanMs, p99: p.p99Ms, max: p.maxMs }, '', '')}`);
  for (const n of r.notes) lines.push(`  note: ${n}`);
  return lines.join('\n');
}

/** The whole sweep as text: a header line and one table per range. */
export function sweepTables(s: SweepResult): string {
  const head = `${s.nodes} nodes on ${s.runtime}, fault ${s.faults.join('/')}, seed ${s.seed}, polls every ${s.pollIntervalMs} ms; ${s.machine.cpus} cores, load ${s.machine.loadAverage.map((x) => x.toFixed(1)).join(' ')}${s.interrupted ? ` · interrupted: ${s.interrupted}` : ''}`;
  return [head, '', ...s.ranges.map((r) => `${rangeTable(r)}\n`)].join('\n');
}

/** Quotes a CSV field when needed (RFC 4180). */
function csvField(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const CSV_COLUMNS = [
  'range', 'min_ms', 'max_ms', 'heartbeat_ms', 'trial', 'fault', 'outcome', 'old_leader', 'old_term',
  'new_leader', 'new_term', 'elected_ms', 'settled_ms', 'terms', 'rounds',
] as const;

/** Every trial of every range, one CSV row each, with a header row. Times rounded to 0.1 ms. */
export function trialsCsv(s: SweepResult): string {
  const r1 = (x: number | null) => (x === null ? null : Math.round(x * 10) / 10);
  const rows = s.ranges.flatMap((r) =>
    r.trials.map((t) => [r.label, r.range.min, r.range.max, r.heartbeatMs, t.index + 1, t.fault, t.outcome, t.oldLeader, t.oldTerm, t.newLeader, t.newTerm, r1(t.electedMs), r1(t.settledMs), t.terms, t.rounds]),
  );
  return `${[[...CSV_COLUMNS], ...rows].map((row) => row.map(csvField).join(',')).join('\n')}\n`;
}

/** `sweep.json`: the result with NaN written as null. */
export function sweepJson(s: SweepResult): string {
  return `${JSON.stringify(s, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2)}\n`;
}
