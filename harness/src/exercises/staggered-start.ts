import type { HistoryEntry } from '../history/types.js';
import { nodeEvents } from './election-rounds.js';

/** The staggered-start exercise's figures: who came up when, who won first, and why. */
export interface StaggeredStartFigures {
  exercise: 'staggered-start';
  /** First start of each node (run clock, ms), in start order. */
  starts: Array<{ node: string; atMs: number }>;
  /** When a majority of the cluster was up. */
  majorityUpAtMs: number | null;
  /** The first leader. */
  winner: { node: string; term: number; atMs: number; startRank: number } | null;
  /** Nodes up when it won. */
  upWhenWon: string[];
  /** Leaders over the run (node, term). More than one means leadership changed after the stagger. */
  leaders: Array<{ node: string; term: number }>;
  text: string;
}

/**
 * Who won the first election of a cluster whose nodes came up at different times, and why:
 * nobody can win before a majority is up; the node that had been up longest usually wins then,
 * because its randomized timer is already running while the newcomers' have just started.
 */
export function staggeredStartFigures(history: readonly HistoryEntry[]): StaggeredStartFigures {
  const first = new Map<string, number>();
  for (const e of history) {
    if (e.type === 'process' && e.action === 'start' && !first.has(e.node)) first.set(e.node, e.t);
  }
  const events = nodeEvents(history);
  for (const e of events) if (e.kind === 'start' && !first.has(e.node)) first.set(e.node, e.t);
  const starts = [...first].map(([node, atMs]) => ({ node, atMs })).sort((a, b) => a.atMs - b.atMs);
  const runStart = history.find((e) => e.type === 'run-start');
  const size = runStart?.type === 'run-start' ? runStart.nodes.length : starts.length;
  const majority = Math.floor(size / 2) + 1;
  const majorityUpAtMs = starts[majority - 1]?.atMs ?? null;
  const leaders: Array<{ node: string; term: number; t: number }> = [];
  for (const e of events) {
    if (e.kind === 'become-leader' && !leaders.some((l) => l.term === e.term)) leaders.push({ node: e.node, term: e.term, t: e.t });
  }
  const w = leaders[0];
  const winner = w ? { node: w.node, term: w.term, atMs: w.t, startRank: starts.findIndex((s) => s.node === w.node) + 1 } : null;
  const upWhenWon = w ? starts.filter((s) => s.atMs <= w.t).map((s) => s.node) : [];
  const f = (x: number) => `${(x / 1000).toFixed(2)} s`;
  let text: string;
  if (!winner) text = `no leader was elected (${starts.length} node(s) started)`;
  else {
    const order = starts.map((s) => `${s.node} ${f(s.atMs)}`).join(', ');
    const rank = winner.startRank === 1 ? 'the first node up' : `the ${ordinal(winner.startRank)} node up`;
    const after = majorityUpAtMs !== null ? `, ${Math.round(winner.atMs - majorityUpAtMs)} ms after a majority (${majority} of ${size}) was up at ${f(majorityUpAtMs)}` : '';
    text = `started ${order}; ${winner.node} (${rank}) won term ${winner.term} at ${f(winner.atMs)}${after}: nobody can win before a majority is up, and the node up longest has its timer running first`;
    if (leaders.length > 1) text += `; leadership then moved ${leaders.length - 1} time(s)`;
  }
  return { exercise: 'staggered-start', starts, majorityUpAtMs, winner, upWhenWon, leaders: leaders.map(({ node, term }) => ({ node, term })), text: `${text}.` };
}

function ordinal(n: number): string {
  return `${n}${n === 2 ? 'nd' : n === 3 ? 'rd' : 'th'}`;
}
