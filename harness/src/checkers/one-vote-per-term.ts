import type { HistoryEntry } from '../history/types.js';
import { Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A node that voted for two candidates in one term. */
export interface DoubleVote {
  node: string;
  term: number;
  candidates: [string, string];
  atMs: number;
}

/**
 * The vote an entry shows: a granted non-pre-vote `vote` event, a `become-candidate` event (a
 * candidate votes for itself in its new term), or a poll's `votedFor`.
 */
function voteOf(e: HistoryEntry): { node: string; term: number; candidate: string } | null {
  if (e.type === 'node-event') {
    if (e.kind === 'become-candidate') return { node: e.node, term: e.term, candidate: e.node };
    if (e.kind !== 'vote' || e.granted !== true || e.preVote === true || typeof e.candidate !== 'string') return null;
    return { node: e.node, term: e.term, candidate: e.candidate };
  }
  if (e.type === 'poll' && e.outcome === 'ok' && e.term !== undefined && typeof e.votedFor === 'string') {
    return { node: e.node, term: e.term, candidate: e.votedFor };
  }
  return null;
}

/**
 * One vote per term (Raft §5.2: each server votes for at most one candidate in a term, and
 * votedFor is persistent): per node and term, every granted real vote (`vote` events with
 * `granted`, not `preVote`), its own candidacy (`become-candidate`: the vote for itself) and
 * every `votedFor` a poll shows name the same candidate, across restarts. Pre-votes change
 * nothing and are ignored. One pass.
 */
export const oneVotePerTerm: Checker = {
  name: 'one-vote-per-term',
  description: 'No node votes for two candidates in one term, across restarts.',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['votedFor', 'events'], 'shows no votes: its status has no votedFor and it has no events');
    if (lacks !== null) return notApplicable(this.name, lacks);
    const votes = new Map<string, { candidate: string; entry: HistoryEntry; doubled: boolean }>();
    const doubles: DoubleVote[] = [];
    const w = new Witnesses();
    for (const e of history) {
      const v = voteOf(e);
      if (!v) continue;
      const key = `${v.node}\u0000${v.term}`;
      const seen = votes.get(key);
      if (!seen) votes.set(key, { candidate: v.candidate, entry: e, doubled: false });
      else if (seen.candidate !== v.candidate && !seen.doubled) {
        seen.doubled = true;
        doubles.push({ node: v.node, term: v.term, candidates: [seen.candidate, v.candidate], atMs: e.t });
        w.add(seen.entry, e);
      }
    }
    const details = { doubleVotes: doubles, votesSeen: votes.size };
    if (doubles.length > 0) {
      const say = doubles
        .slice(0, 3)
        .map((d) => `${d.node} voted for ${d.candidates[0]} and for ${d.candidates[1]} in term ${d.term}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `Double vote: ${say}${doubles.length > 3 ? ` (${doubles.length} in all)` : ''}.`, witnesses: w.toArray(), details };
    }
    if (votes.size === 0) return notJudged(this.name, 'no vote was seen (no vote event, candidacy or votedFor), so none could be doubled.', details);
    return { name: this.name, verdict: 'valid', message: `No node voted twice in a term (${votes.size} node-terms with a vote).`, witnesses: [], details };
  },
};
