import type { HistoryEntry, PollEntry, PollOutcome } from '../history/types.js';
import { faultDown } from '../checkers/support/active-faults.js';

/**
 * What a lane shows at a moment: the node's role from a successful poll, or why no poll
 * succeeded (`paused` and `killed` when the harness paused or killed the process, else
 * `unreachable`).
 */
export type LaneState =
  | 'follower'
  | 'pre-candidate'
  | 'candidate'
  | 'leader'
  | 'unreachable'
  | 'paused'
  | 'killed';

/** Consecutive identical samples of one node, merged. `end` is where the next sample begins. */
export interface Segment {
  start: number;
  end: number;
  state: LaneState;
  /** Term and known leader (ok polls only; null otherwise). */
  term: number | null;
  leader: string | null;
  outcome: PollOutcome;
  /** How many polls were merged into this segment. */
  samples: number;
  /** The first poll's error text, for failed polls. */
  error?: string;
}

/** A stretch in which the harness had a node's process killed/stopped or paused. */
export interface ProcessWindow {
  node: string;
  kind: 'killed' | 'paused';
  start: number;
  end: number;
}

/** Options for merging; defaults suit the harness's poller. */
export interface SegmentOptions {
  /** Expected gap between polls of one node; the last segment extends this far. Default 50. */
  pollIntervalMs?: number;
  /** A longer silence than this between two polls leaves a gap (no data). Default max(1000, 10 x poll interval). */
  maxGapMs?: number;
  /** End of the run: no segment extends past it. Default: the last entry's `t`. */
  endMs?: number;
}

/**
 * When each node's process was down or paused, from `process` entries (kill/stop/exit until
 * start/ready; pause until resume); faults of kind kill/stop/pause stand in for nodes that
 * have no process entries. Windows still open at the end close at `endMs`.
 */
export function processWindows(history: readonly HistoryEntry[], endMs: number): ProcessWindow[] {
  const out: ProcessWindow[] = [];
  const open = new Map<string, ProcessWindow>();
  const withProcessEntries = new Set<string>();
  const close = (key: string, t: number): void => {
    const w = open.get(key);
    if (w) {
      w.end = Math.max(w.start, t);
      out.push(w);
      open.delete(key);
    }
  };
  for (const e of history) {
    if (e.type !== 'process') continue;
    withProcessEntries.add(e.node);
    const down = `${e.node}\u0000killed`;
    const paused = `${e.node}\u0000paused`;
    switch (e.action) {
      case 'kill':
      case 'stop':
      case 'exit':
        close(paused, e.t);
        if (!open.has(down)) open.set(down, { node: e.node, kind: 'killed', start: e.t, end: endMs });
        break;
      case 'start':
      case 'ready':
        close(down, e.t);
        close(paused, e.t);
        break;
      case 'pause':
        if (!open.has(paused)) open.set(paused, { node: e.node, kind: 'paused', start: e.t, end: endMs });
        break;
      case 'resume':
        close(paused, e.t);
        break;
    }
  }
  for (const w of open.values()) out.push({ ...w, end: Math.max(w.start, endMs) });

  // Fallback for histories without process entries: the fault windows themselves.
  const starts = new Map<string, { t: number; kind: string; targets: string[] }>();
  for (const e of history) {
    if (e.type === 'fault-start' && faultDown(e).length > 0) {
      starts.set(e.id, { t: e.t, kind: e.kind, targets: [...faultDown(e)] });
    } else if (e.type === 'fault-end' && starts.has(e.id)) {
      const s = starts.get(e.id)!;
      starts.delete(e.id);
      pushFaultWindows(out, s, e.t, withProcessEntries);
    }
  }
  for (const s of starts.values()) pushFaultWindows(out, s, endMs, withProcessEntries);
  return out.sort((a, b) => a.start - b.start);
}

function pushFaultWindows(
  out: ProcessWindow[],
  s: { t: number; kind: string; targets: string[] },
  end: number,
  skip: Set<string>,
): void {
  for (const node of s.targets) {
    if (skip.has(node)) continue;
    out.push({ node, kind: s.kind === 'pause' ? 'paused' : 'killed', start: s.t, end: Math.max(s.t, end) });
  }
}

/** The lane state a single poll shows, given the process windows of its node. */
export function pollState(p: PollEntry, windows: readonly ProcessWindow[]): LaneState {
  if (p.outcome === 'ok') {
    if (p.role === 'pre-candidate') return 'pre-candidate';
    return p.state ?? 'follower';
  }
  let state: LaneState = 'unreachable';
  for (const w of windows) {
    if (w.start > p.t) break;
    if (p.t <= w.end) state = w.kind === 'killed' ? 'killed' : state === 'killed' ? state : 'paused';
  }
  return state;
}

/**
 * Merges each node's polls into segments of identical samples (same lane state, outcome, term
 * and leader). A 10-minute, 5-node history at 20 polls per node per second (60 000 polls)
 * typically becomes a few hundred segments. Polls of nodes not in `nodes` are ignored.
 * Returns one array per node, in `nodes` order, each sorted by time.
 */
export function mergeSegments(
  history: readonly HistoryEntry[],
  nodes: readonly string[],
  options: SegmentOptions = {},
): Segment[][] {
  const interval = options.pollIntervalMs ?? 50;
  const maxGap = options.maxGapMs ?? Math.max(1000, 10 * interval);
  let lastT = 0;
  for (const e of history) if (e.t > lastT) lastT = e.t;
  const endMs = options.endMs ?? lastT;
  const windows = processWindows(history, endMs);

  const index = new Map(nodes.map((n, i) => [n, i]));
  const byNode: PollEntry[][] = nodes.map(() => []);
  for (const e of history) {
    if (e.type !== 'poll') continue;
    const i = index.get(e.node);
    if (i !== undefined) byNode[i]!.push(e);
  }

  return byNode.map((polls, i) => {
    polls.sort((a, b) => a.t - b.t);
    const nodeWindows = windows.filter((w) => w.node === nodes[i]);
    const segs: Segment[] = [];
    let cur: Segment | undefined;
    let prevT = -Infinity;
    for (const p of polls) {
      const state = pollState(p, nodeWindows);
      const term = p.outcome === 'ok' ? (p.term ?? null) : null;
      const leader = p.outcome === 'ok' ? (p.leader ?? null) : null;
      const gap = p.t - prevT > maxGap;
      if (
        cur &&
        !gap &&
        cur.state === state &&
        cur.outcome === p.outcome &&
        cur.term === term &&
        cur.leader === leader
      ) {
        cur.samples++;
        cur.end = p.t;
      } else {
        if (cur) cur.end = gap ? Math.min(prevT + interval, p.t) : p.t;
        cur = { start: p.t, end: p.t, state, term, leader, outcome: p.outcome, samples: 1 };
        if (p.error !== undefined && p.outcome !== 'ok') cur.error = p.error;
        segs.push(cur);
      }
      prevT = p.t;
    }
    if (cur) cur.end = Math.max(cur.start, Math.min(prevT + interval, Math.max(endMs, prevT)));
    return segs;
  });
}
