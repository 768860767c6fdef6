import type { HistoryEntry } from '../../history/types.js';

/**
 * What the status polls alone tell about one term, for subjects that give no events: who was
 * seen leading it and from when to when, who was seen campaigning, and what votes the polls
 * showed (`votedFor`). Polls sample: a short-lived candidate or a vote may not show.
 */
export interface PollTerm {
  term: number;
  firstSeen: number;
  lastSeen: number;
  leaders: Array<{ node: string; from: number; to: number }>;
  candidates: string[];
  /** `votedFor` seen per node in this term: `[node, candidate]`. */
  votes: Array<[string, string]>;
}

/** The term-by-term summary of the successful polls of a history, in term order. Pure. */
export function termsFromPolls(history: readonly HistoryEntry[]): PollTerm[] {
  const terms = new Map<number, PollTerm & { leaderAt: Map<string, { from: number; to: number }>; voteSet: Set<string> }>();
  for (const e of history) {
    if (e.type !== 'poll' || e.outcome !== 'ok' || typeof e.term !== 'number' || !Number.isFinite(e.t)) continue;
    let p = terms.get(e.term);
    if (!p) {
      p = { term: e.term, firstSeen: e.t, lastSeen: e.t, leaders: [], candidates: [], votes: [], leaderAt: new Map(), voteSet: new Set() };
      terms.set(e.term, p);
    }
    p.firstSeen = Math.min(p.firstSeen, e.t);
    p.lastSeen = Math.max(p.lastSeen, e.t);
    if (e.state === 'leader') {
      const w = p.leaderAt.get(e.node);
      if (w) {
        w.from = Math.min(w.from, e.t);
        w.to = Math.max(w.to, e.t);
      } else p.leaderAt.set(e.node, { from: e.t, to: e.t });
    }
    if (e.state === 'candidate' && !p.candidates.includes(e.node)) p.candidates.push(e.node);
    if (typeof e.votedFor === 'string' && !p.voteSet.has(`${e.node}\u0000${e.votedFor}`)) {
      p.voteSet.add(`${e.node}\u0000${e.votedFor}`);
      p.votes.push([e.node, e.votedFor]);
    }
  }
  return [...terms.values()]
    .sort((a, b) => a.term - b.term)
    .map(({ leaderAt, voteSet: _v, ...p }) => ({
      ...p,
      leaders: [...leaderAt].map(([node, w]) => ({ node, ...w })).sort((a, b) => a.from - b.from),
      candidates: p.candidates.sort(),
      votes: p.votes.sort((a, b) => a[0].localeCompare(b[0]) || a[1].localeCompare(b[1])),
    }));
}
