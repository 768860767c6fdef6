import type { CheckResult, Verdict } from '../checkers/types.js';
import { judgement, worstVerdict } from '../checkers/types.js';
import type { HistoryEntry, RunStartEntry } from '../history/types.js';
import { normalizeFailovers } from './model.js';

/** The machine-readable outcome of one run, written as `summary.json` beside its history. */
export interface RunSummary {
  runId: string;
  scenario: string;
  seed: number | null;
  runtime: string;
  nodes: number;
  /** Deliberate bugs switched on in the nodes (`--bug`): such a run is expected to fail. */
  bugs: string[];
  verdict: Verdict;
  /**
   * Per check: its verdict, how it is shown (`judgement()`: `ok`, `not judged`, `not
   * applicable`, `invalid`, `unknown`: the HTML badge, the CLI mark and JUnit read the same)
   * and its message.
   */
  checks: Record<string, { verdict: Verdict; judgement: ReturnType<typeof judgement>; message: string }>;
  /** For a verdict other than valid: why, in one line (`check: first line of its message`). */
  reason?: string;
  /** The subject that ran in the node slots, when it was not the project's own node. */
  subject?: string;
  /**
   * Per fault that removed the leader (`kind: 'fault'`) and per heal (`kind: 'heal'`): time to a
   * settled leader (null: none).
   */
  failovers: Array<{ fault: string; atMs: number; ms: number | null; kind?: string }>;
  /** Leaderships won: distinct (node, term) pairs seen leading, from events and polls. */
  elections: number;
  durationMs: number;
  /** The exact command that replays the run. */
  replay: string;
  /** ISO time the run started (null when the history does not say). */
  startedAt: string | null;
  /** Why the run stopped early, when it did. */
  interrupted?: string;
}

/**
 * A `summary.json` for a run, from its history and check results. The runner owns the file
 * and may add fields; `writeIndex` reads `scenario`, `seed`, `verdict`, `startedAt`,
 * `durationMs`, `failovers`, `runtime`, `bugs`, `replay` and `checks` from it.
 */
export function buildSummary(history: readonly HistoryEntry[], results: readonly CheckResult[]): RunSummary {
  const start = history.find((e): e is RunStartEntry => e.type === 'run-start');
  const end = history.find((e) => e.type === 'run-end');
  let lastT = 0;
  for (const e of history) if (Number.isFinite(e.t) && e.t > lastT) lastT = e.t;

  const leaderships = new Set<string>();
  for (const e of history) {
    if (e.type === 'node-event' && e.kind === 'become-leader') leaderships.add(`${e.node}\u0000${e.term}`);
    else if (e.type === 'poll' && e.outcome === 'ok' && e.state === 'leader') leaderships.add(`${e.node}\u0000${e.term}`);
  }

  const checks: RunSummary['checks'] = {};
  for (const r of results) checks[r.name] = { verdict: r.verdict, judgement: judgement(r), message: r.message };
  const failovers = normalizeFailovers(results.find((r) => r.name === 'election-time')?.details?.['failovers']);

  const summary: RunSummary = {
    runId: start?.runId ?? 'unknown-run',
    scenario: start?.scenario ?? 'unknown',
    seed: typeof start?.seed === 'number' ? start.seed : null,
    runtime: start?.runtime ?? 'unknown',
    nodes: start?.nodes?.length ?? 0,
    bugs: [...(start?.config?.bugs ?? [])],
    verdict: worstVerdict(results.map((r) => r.verdict)),
    checks,
    failovers: failovers.map((f) => ({ fault: f.label || f.faultId, atMs: f.atMs, ms: f.ms, ...(f.kind ? { kind: f.kind } : {}) })),
    elections: leaderships.size,
    durationMs: Math.round(end?.type === 'run-end' ? end.durationMs : lastT),
    replay: start?.replay ?? '',
    startedAt: start && Number.isFinite(start.wall) ? new Date(start.wall - start.t).toISOString() : null,
  };
  const why = verdictReason(results);
  if (why) summary.reason = why;
  if (start?.subject) summary.subject = start.subject.name;
  if (end?.type === 'run-end' && end.interrupted) summary.interrupted = end.interrupted;
  else if (!end) summary.interrupted = 'cut short: the history has no run-end entry';
  return summary;
}

/**
 * Why a run is not valid, in one line: the first check with the run's verdict (the run's own
 * `could not finish` first, when there is one), as `check: first line of its message`.
 * Undefined for a valid run.
 */
export function verdictReason(results: readonly Pick<CheckResult, 'name' | 'verdict' | 'message'>[]): string | undefined {
  const verdict = worstVerdict(results.map((r) => r.verdict));
  if (verdict === 'valid') return undefined;
  const same = results.filter((r) => r.verdict === verdict);
  const first = same.find((r) => r.name === 'run') ?? same[0]!;
  const more = same.length > 1 ? ` (and ${same.length - 1} more ${verdict})` : '';
  return `${first.name}: ${first.message.split('\n')[0]}${more}`;
}
