import type { CheckResult, Verdict } from '../checkers/types.js';
import { judgement, worstVerdict } from '../checkers/types.js';
import type { HistoryEntry, PollOutcome, RunConfig, RunStartEntry } from '../history/types.js';
import { mergeSegments, processWindows, type LaneState } from './segments.js';
import { buildVoteDiagrams, type VoteDiagrams } from './votes/diagram-model.js';
import { describeEntry, entryNode } from './witness.js';

/**
 * Everything the report page draws, derived once from a history and check results. Embedded
 * in `index.html` as JSON and read by the page's script; compact on purpose (segments are
 * arrays, repeated strings go through `strings`).
 */
export interface ReportModel {
  version: 1;
  run: RunInfo;
  verdict: Verdict;
  /** `judgement`: how the badge reads (`judgement()`): a valid check that judged nothing is not `ok`. */
  checks: Array<{ name: string; verdict: Verdict; judgement: ReturnType<typeof judgement>; message: string }>;
  /** Code tables used by lanes: `states[code]`, `outcomes[code]`, `strings[index]`. */
  states: LaneState[];
  outcomes: PollOutcome[];
  strings: string[];
  /**
   * One lane per node, in the run's node order. Each segment is
   * `[start, end, stateCode, term | -1, leaderString | -1, samples, outcomeCode, errorString | -1]`.
   */
  lanes: Array<{ node: string; segs: SegmentTuple[]; votes: VoteTuple[] }>;
  /** Process down/paused windows: `[lane, 'killed' | 'paused', start, end]`. */
  procs: Array<[number, 'killed' | 'paused', number, number]>;
  faults: FaultWindow[];
  phases: Array<{ phase: string; t: number; detail?: string }>;
  recovery: { start: number; end: number; boundMs: number | null } | null;
  /** Each (node, term) leadership once, at the first time it was seen (event or poll). */
  leaderChanges: Array<{ t: number; lane: number; term: number; source: 'event' | 'poll' }>;
  /** Invalid and unknown check results with witnesses placed on the timeline. */
  violations: Violation[];
  failovers: Failover[];
  electionBoundMs: number | null;
  staleLeaders: StaleLeader[];
  notes: Array<{ t: number; level: string; message: string }>;
  links?: ReportLinks;
  /**
   * The elections as message diagrams (`votes/`), drawn into the page as SVG; not embedded in
   * the page's JSON, which carries only `voteTerms` (the terms that have a diagram).
   */
  votes: VoteDiagrams;
}

export type SegmentTuple = [number, number, number, number, number, number, number, number];

/**
 * Where a node's `votedFor` (from successful polls) changed: `[t, votedForString | -1]`, in
 * time order. Kept apart from segments, which a vote alone does not split.
 */
export type VoteTuple = [number, number];

/** Links from a report to the files beside it and to the index of all runs (relative URLs). */
export interface ReportLinks {
  index: string;
  history: string;
  junit: string;
  /** Node (and proxy) logs found in the run's directory. */
  logs: Array<{ name: string; href: string }>;
}

export interface RunInfo {
  runId: string;
  scenario: string;
  seed: number | null;
  runtime: string;
  runtimeReason?: string;
  nodes: string[];
  config: RunConfig | null;
  replay: string;
  /** ISO time the run started, when the history says (virtual time for sim). */
  startedAt: string | null;
  /**
   * ISO time the harness ran it: `startedAt` for real runs; for simulated runs (whose history
   * keeps virtual time) the wall time in the name of its directory, else null.
   */
  ranAt: string | null;
  /** The run's directory name, when known (for sim it differs from `runId`, which is on virtual time). */
  folder?: string;
  durationMs: number;
  /** Why the run stopped early, or 'cut short' for a history without run-end. */
  interrupted?: string;
}

export interface FaultWindow {
  id: string;
  kind: string;
  label: string;
  start: number;
  end: number;
  /** False when the history ends before the fault's heal. */
  healed: boolean;
  /** Lanes (node indices) the fault touches: its targets and both ends of every cut or slowed link. */
  lanes: number[];
  targets: string[];
  /** Cut links in short form: `n1↔n2 n1→n3`. Empty when none. */
  cuts: string;
  /** Slowed/throttled links in short form. */
  links: string;
  leaderBefore: string | null;
  removesLeader: boolean | null;
}

export interface Violation {
  id: string;
  check: string;
  verdict: Verdict;
  message: string;
  start: number | null;
  end: number | null;
  /** Where to mark it: `lane` -1 marks all lanes (an entry about no single node). */
  marks: Array<{ t: number; lane: number }>;
  witnesses: string[];
}

export interface Failover {
  faultId: string;
  label: string;
  kind: string;
  atMs: number;
  /** Time to a settled leader; null when none settled. */
  ms: number | null;
  /** How the measurement ended, as the checker says (`ok`, `slow`, `none`, `no-leader-before`, ...). */
  outcome?: string;
  /**
   * Whether `election-time` held this measurement to its bound (`ok`, `slow` or `none`, not
   * informational). Unjudged ones (healed first, no leader to remove, no majority possible,
   * run ended, no election expected) are drawn as such, never as a failure.
   */
  judged: boolean;
}

export interface StaleLeader {
  node: string;
  term: number | null;
  atMs: number | null;
  ms: number;
}

const STATES: LaneState[] = ['follower', 'pre-candidate', 'candidate', 'leader', 'unreachable', 'paused', 'killed'];
const OUTCOMES: PollOutcome[] = ['ok', 'timeout', 'refused', 'error'];
const MAX_WITNESS_LINES = 40;
/** `election-time` outcomes held to the bound; every other outcome is reported, not judged. */
const JUDGED: ReadonlySet<string> = new Set(['ok', 'slow', 'none']);

/** Where a report is written, for what the history cannot say: the folder's name and the files beside it. */
export interface ReportPlace {
  folder?: string;
  links?: ReportLinks;
}

/** Builds the report model. Never throws for short or odd histories; missing facts become null/empty. */
export function buildModel(history: readonly HistoryEntry[], results: readonly CheckResult[], place: ReportPlace = {}): ReportModel {
  const start = history.find((e): e is RunStartEntry => e.type === 'run-start');
  const runEnd = history.find((e) => e.type === 'run-end');
  let lastT = 0;
  for (const e of history) if (Number.isFinite(e.t) && e.t > lastT) lastT = e.t;
  const durationMs = runEnd?.type === 'run-end' ? Math.max(runEnd.durationMs, lastT) : lastT;

  const nodes = start?.nodes?.length ? [...start.nodes] : nodesFromPolls(history);
  const laneOf = new Map(nodes.map((n, i) => [n, i]));
  const config = start?.config ?? null;

  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const str = (s: string | null | undefined): number => {
    if (s === null || s === undefined) return -1;
    let i = stringIndex.get(s);
    if (i === undefined) {
      i = strings.length;
      strings.push(s);
      stringIndex.set(s, i);
    }
    return i;
  };

  const merged = mergeSegments(history, nodes, {
    pollIntervalMs: config?.pollIntervalMs ?? 50,
    endMs: durationMs,
  });
  const votes = voteChanges(history, laneOf, str);
  const lanes = nodes.map((node, i) => ({
    node,
    votes: votes[i] ?? [],
    segs: merged[i]!.map(
      (s): SegmentTuple => [
        round(s.start),
        round(s.end),
        STATES.indexOf(s.state),
        s.term ?? -1,
        str(s.leader),
        s.samples,
        OUTCOMES.indexOf(s.outcome),
        str(s.error),
      ],
    ),
  }));

  const procs: ReportModel['procs'] = [];
  for (const w of processWindows(history, durationMs)) {
    const lane = laneOf.get(w.node);
    if (lane !== undefined) procs.push([lane, w.kind, round(w.start), round(w.end)]);
  }

  const phases: ReportModel['phases'] = [];
  for (const e of history) {
    if (e.type === 'phase') phases.push({ phase: e.phase, t: round(e.t), ...(e.detail ? { detail: e.detail } : {}) });
  }
  const rec = phases.find((p) => p.phase === 'recovery');
  const afterRec = rec ? phases.find((p) => p.t >= rec.t && p.phase === 'teardown') : undefined;
  const recovery = rec
    ? { start: rec.t, end: afterRec?.t ?? round(durationMs), boundMs: config?.bounds?.recoveryMs ?? null }
    : null;

  const results2 = [...results];
  const electionTime = results2.find((r) => r.name === 'election-time');
  const failovers = normalizeFailovers(electionTime?.details?.['failovers']);
  const boundFromCheck = electionTime?.details?.['boundMs'];
  const staleSrc = results2.find((r) => r.name === 'election-safety')?.details?.['staleLeaders'];

  return {
    version: 1,
    run: {
      runId: start?.runId ?? 'unknown-run',
      scenario: start?.scenario ?? 'unknown',
      seed: typeof start?.seed === 'number' ? start.seed : null,
      runtime: start?.runtime ?? 'unknown',
      ...(start?.runtimeReason ? { runtimeReason: start.runtimeReason } : {}),
      nodes,
      config,
      replay: start?.replay ?? '',
      startedAt: start && Number.isFinite(start.wall) ? new Date(start.wall - start.t).toISOString() : null,
      ranAt: ranAt(start, place.folder),
      ...(place.folder ? { folder: place.folder } : {}),
      durationMs: round(durationMs),
      ...(runEnd?.type === 'run-end'
        ? runEnd.interrupted
          ? { interrupted: runEnd.interrupted }
          : {}
        : { interrupted: 'cut short: the history has no run-end entry' }),
    },
    verdict: worstVerdict(results2.map((r) => r.verdict)),
    checks: results2.map((r) => ({ name: r.name, verdict: r.verdict, judgement: judgement(r), message: r.message })),
    states: STATES,
    outcomes: OUTCOMES,
    strings,
    lanes,
    procs,
    faults: faultWindows(history, laneOf, durationMs),
    phases,
    recovery,
    leaderChanges: leaderChanges(history, laneOf),
    violations: violations(results2, laneOf),
    failovers,
    electionBoundMs:
      typeof boundFromCheck === 'number' ? boundFromCheck : (config?.bounds?.electionMs ?? null),
    staleLeaders: normalizeStale(staleSrc),
    ...(place.links ? { links: place.links } : {}),
    votes: buildVoteDiagrams(history, nodes),
    notes: history
      .filter((e) => e.type === 'note')
      .map((e) => (e.type === 'note' ? { t: round(e.t), level: e.level, message: e.message } : null!))
      .slice(0, 200),
  };
}

function voteChanges(history: readonly HistoryEntry[], laneOf: Map<string, number>, str: (s: string | null | undefined) => number): VoteTuple[][] {
  const out: VoteTuple[][] = [];
  const last = new Map<number, string | null>();
  for (const e of history) {
    if (e.type !== 'poll' || e.outcome !== 'ok' || e.votedFor === undefined) continue;
    const lane = laneOf.get(e.node);
    if (lane === undefined) continue;
    const v = e.votedFor ?? null;
    if (last.has(lane) && last.get(lane) === v) continue;
    last.set(lane, v);
    (out[lane] ??= []).push([round(e.t), str(v)]);
  }
  for (const list of out) list?.sort((a, b) => a[0] - b[0]);
  return out;
}

/**
 * When the harness ran a run: the history's start for real runs; for a simulated run (virtual
 * time in its history) the wall time its directory is named by (`makeRunId`), else null.
 */
export function ranAt(start: RunStartEntry | undefined, folder: string | undefined): string | null {
  if (start && start.runtime !== 'sim' && Number.isFinite(start.wall)) return new Date(start.wall - start.t).toISOString();
  return folder ? (timeOfRunId(folder) ?? null) : null;
}

/** The wall time at the front of a run id (`20261206-010203045-...`) as ISO, or undefined. */
export function timeOfRunId(id: string): string | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})(\d{3})?-/.exec(id);
  if (!m) return undefined;
  const t = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!, +(m[7] ?? 0));
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function round(t: number): number {
  return Math.round(t * 10) / 10;
}

function nodesFromPolls(history: readonly HistoryEntry[]): string[] {
  const seen = new Set<string>();
  for (const e of history) if (e.type === 'poll') seen.add(e.node);
  return [...seen].sort();
}

function faultWindows(history: readonly HistoryEntry[], laneOf: Map<string, number>, endMs: number): FaultWindow[] {
  const out: FaultWindow[] = [];
  const open = new Map<string, FaultWindow>();
  for (const e of history) {
    if (e.type === 'fault-start') {
      const touched = new Set<string>(e.targets ?? []);
      for (const [a, b] of e.cuts ?? []) touched.add(a).add(b);
      for (const l of e.links ?? []) touched.add(l.from).add(l.to);
      const lanes = [...touched].map((n) => laneOf.get(n)).filter((i): i is number => i !== undefined);
      const w: FaultWindow = {
        id: e.id,
        kind: e.kind,
        label: e.label,
        start: round(e.t),
        end: round(endMs),
        healed: false,
        lanes: lanes.length ? lanes.sort((a, b) => a - b) : [...laneOf.values()],
        targets: [...(e.targets ?? [])],
        cuts: summarizeCuts(e.cuts ?? []),
        links: (e.links ?? [])
          .map((l) => `${l.from}→${l.to} ${l.toxic}(${Object.entries(l.attributes).map(([k, v]) => `${k}=${v}`).join(',')})`)
          .join(' '),
        leaderBefore: e.leaderBefore ? `${e.leaderBefore.node} (term ${e.leaderBefore.term})` : null,
        removesLeader: e.removesLeader ?? null,
      };
      open.set(e.id, w);
      out.push(w);
    } else if (e.type === 'fault-end') {
      const w = open.get(e.id);
      if (w) {
        w.end = round(e.t);
        w.healed = true;
        open.delete(e.id);
      }
    }
  }
  return out;
}

/** Directed cuts in short form: pairs cut both ways as `a↔b`, others as `a→b`. */
export function summarizeCuts(cuts: ReadonlyArray<readonly [string, string]>): string {
  const set = new Set(cuts.map(([a, b]) => `${a}\u0000${b}`));
  const done = new Set<string>();
  const parts: string[] = [];
  for (const [a, b] of cuts) {
    const k = `${a}\u0000${b}`;
    if (done.has(k)) continue;
    done.add(k);
    const back = `${b}\u0000${a}`;
    if (set.has(back)) {
      done.add(back);
      parts.push(`${a}↔${b}`);
    } else parts.push(`${a}→${b}`);
  }
  return parts.join(' ');
}

function leaderChanges(history: readonly HistoryEntry[], laneOf: Map<string, number>): ReportModel['leaderChanges'] {
  const first = new Map<string, ReportModel['leaderChanges'][number]>();
  const see = (node: string, term: number, t: number, source: 'event' | 'poll'): void => {
    const lane = laneOf.get(node);
    if (lane === undefined || !Number.isFinite(term)) return;
    const key = `${node}\u0000${term}`;
    const prev = first.get(key);
    if (!prev || t < prev.t) first.set(key, { t: round(t), lane, term, source });
  };
  for (const e of history) {
    if (e.type === 'node-event' && e.kind === 'become-leader') see(e.node, e.term, e.t, 'event');
    else if (e.type === 'poll' && e.outcome === 'ok' && e.state === 'leader' && e.term !== undefined)
      see(e.node, e.term, e.t, 'poll');
  }
  return [...first.values()].sort((a, b) => a.t - b.t);
}

function violations(results: readonly CheckResult[], laneOf: Map<string, number>): Violation[] {
  const out: Violation[] = [];
  for (const r of results) {
    if (r.verdict === 'valid') continue;
    const marks = new Map<string, { t: number; lane: number }>();
    let lo = Infinity;
    let hi = -Infinity;
    for (const w of r.witnesses ?? []) {
      if (!w || typeof w.t !== 'number' || !Number.isFinite(w.t)) continue;
      const node = entryNode(w);
      const lane = node === undefined ? -1 : (laneOf.get(node) ?? -1);
      const t = round(w.t);
      marks.set(`${lane}:${t}`, { t, lane });
      lo = Math.min(lo, t);
      hi = Math.max(hi, t);
    }
    const lines = (r.witnesses ?? []).slice(0, MAX_WITNESS_LINES).map((w) => {
      try {
        return describeEntry(w);
      } catch {
        return JSON.stringify(w);
      }
    });
    if ((r.witnesses?.length ?? 0) > MAX_WITNESS_LINES) lines.push(`… ${r.witnesses.length - MAX_WITNESS_LINES} more`);
    out.push({
      id: `v${out.length + 1}`,
      check: r.name,
      verdict: r.verdict,
      message: r.message,
      start: Number.isFinite(lo) ? lo : null,
      end: Number.isFinite(hi) ? hi : null,
      marks: [...marks.values()].sort((a, b) => a.t - b.t).slice(0, 400),
      witnesses: lines,
    });
  }
  return out;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * `election-time`'s `details.failovers` (`[{faultId, fault, kind: 'fault' | 'heal', atMs, ms, outcome}]`),
 * tolerating other names (`label`) and gaps. Heal measurements are labelled `heal of <fault>`.
 */
export function normalizeFailovers(src: unknown): Failover[] {
  if (!Array.isArray(src)) return [];
  return src
    .filter((f): f is Record<string, unknown> => typeof f === 'object' && f !== null)
    .map((f) => {
      const kind = String(f['kind'] ?? '');
      const name = String(f['label'] ?? f['fault'] ?? f['faultId'] ?? '');
      const out: Failover = {
        faultId: String(f['faultId'] ?? f['fault'] ?? ''),
        label: kind === 'heal' ? `heal of ${name}` : name,
        kind,
        atMs: num(f['atMs']) ?? 0,
        ms: num(f['ms']),
        judged: f['informational'] !== true && (typeof f['outcome'] === 'string' ? JUDGED.has(f['outcome']) : true),
      };
      if (typeof f['outcome'] === 'string') out.outcome = f['outcome'];
      return out;
    });
}

/** `election-safety`'s `details.staleLeaders`, whatever names it uses for node, term, start and duration. */
export function normalizeStale(src: unknown): StaleLeader[] {
  if (!Array.isArray(src)) return [];
  const out: StaleLeader[] = [];
  for (const s of src) {
    if (typeof s !== 'object' || s === null) continue;
    const o = s as Record<string, unknown>;
    const from = num(o['atMs']) ?? num(o['fromMs']) ?? num(o['startMs']) ?? num(o['from']) ?? num(o['start']);
    const to = num(o['toMs']) ?? num(o['endMs']) ?? num(o['to']) ?? num(o['end']);
    const ms = num(o['ms']) ?? num(o['durationMs']) ?? (from !== null && to !== null ? to - from : null);
    if (ms === null) continue;
    out.push({ node: String(o['node'] ?? o['leader'] ?? '?'), term: num(o['term']), atMs: from, ms });
  }
  return out;
}

