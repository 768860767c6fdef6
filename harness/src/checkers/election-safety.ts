import type { HistoryEntry } from '../history/types.js';
import { inTimeOrder } from './support/timeline.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, type Checker, type CheckResult } from './types.js';

/** A deposed leader still claiming leadership in an older term while a newer term had a leader. */
export interface StaleLeaderSpan {
  node: string;
  term: number;
  /** When it was first seen claiming while a newer leader was known. */
  from: number;
  /** When it was first seen no longer claiming (or its last claim, if `ongoing`). */
  to: number;
  durationMs: number;
  newerTerm: number;
  newerLeader: string;
  /** Still claiming when the history ended. */
  ongoing: boolean;
}

interface Claim {
  term: number;
  lastAt: number;
  stale: StaleLeaderSpan | null;
}

const NOT_LEADER_EVENTS = new Set(['become-follower', 'become-candidate', 'become-pre-candidate', 'step-down']);

/** Who claimed leadership in an entry, if anyone: an ok poll saying leader, or a become-leader event. */
function claimOf(e: HistoryEntry): { node: string; term: number } | null {
  if (e.type === 'poll' && e.outcome === 'ok' && e.state === 'leader' && e.term !== undefined) return { node: e.node, term: e.term };
  if (e.type === 'node-event' && e.kind === 'become-leader') return { node: e.node, term: e.term };
  return null;
}

/** The term a node stopped claiming leadership at, if the entry says it did (else null). */
function stopsClaiming(e: HistoryEntry, claim: Claim): boolean {
  if (e.type === 'poll') return e.outcome === 'ok' && (e.state !== 'leader' || e.term !== claim.term);
  if (e.type === 'node-event') {
    if (NOT_LEADER_EVENTS.has(e.kind)) return true;
    return (e.kind === 'term' && typeof e.to === 'number' && e.to > claim.term) || (e.kind === 'become-leader' && e.term !== claim.term);
  }
  return e.type === 'process' && (e.action === 'kill' || e.action === 'stop' || e.action === 'exit');
}

/**
 * Election safety (Raft §5.2, Figure 3): at most one leader per term, judged from every ok poll
 * that says `leader` and every `become-leader` node event, across restarts. A deposed leader
 * still claiming an older term is not split brain; each such span is reported in
 * `details.staleLeaders`. One pass over the history in time order.
 */
export const electionSafety: Checker = {
  name: 'election-safety',
  description: 'No term has two different leaders (from polls and node events).',
  check(history, _ctx): CheckResult {
    const firstClaims = new Map<number, Map<string, HistoryEntry>>();
    const conflicts: number[] = [];
    const current = new Map<string, Claim>();
    const spans: StaleLeaderSpan[] = [];
    let newest: { term: number; node: string } | null = null;
    const openStale = (node: string, claim: Claim, at: number) => {
      if (claim.stale || !newest || newest.term <= claim.term || newest.node === node) return;
      claim.stale = { node, term: claim.term, from: at, to: at, durationMs: 0, newerTerm: newest.term, newerLeader: newest.node, ongoing: false };
      spans.push(claim.stale);
    };
    const close = (claim: Claim, at: number, ongoing: boolean) => {
      if (!claim.stale) return;
      claim.stale.to = at;
      claim.stale.durationMs = at - claim.stale.from;
      claim.stale.ongoing = ongoing;
    };

    for (const e of inTimeOrder(history)) {
      const node = (e as { node?: string }).node;
      const prior = node === undefined ? undefined : current.get(node);
      if (prior && node !== undefined && stopsClaiming(e, prior)) {
        close(prior, e.t, false);
        current.delete(node);
      }
      const c = claimOf(e);
      if (!c) continue;
      let leaders = firstClaims.get(c.term);
      if (!leaders) firstClaims.set(c.term, (leaders = new Map()));
      if (!leaders.has(c.node)) {
        leaders.set(c.node, e);
        if (leaders.size === 2) conflicts.push(c.term);
      }
      let claim = current.get(c.node);
      if (!claim) current.set(c.node, (claim = { term: c.term, lastAt: e.t, stale: null }));
      claim.lastAt = e.t;
      if (!newest || c.term > newest.term) {
        newest = { term: c.term, node: c.node };
        for (const [other, oc] of current) openStale(other, oc, e.t);
      } else openStale(c.node, claim, e.t);
    }
    for (const claim of current.values()) close(claim, claim.lastAt, true);

    const details = {
      termsWithLeader: firstClaims.size,
      staleLeaders: spans,
      longestStaleMs: spans.reduce((m, s) => Math.max(m, s.durationMs), 0),
    };
    if (conflicts.length > 0) {
      const w = new Witnesses();
      const describe = (term: number) => {
        const leaders = firstClaims.get(term) as Map<string, HistoryEntry>;
        for (const entry of leaders.values()) w.add(entry);
        const parts = [...leaders].map(([n, entry]) => `${n} (${entry.type === 'poll' ? 'poll' : 'event'} at ${ms(entry.t)})`);
        return `term ${term} had ${leaders.size} leaders: ${parts.join(' and ')}`;
      };
      const shown = conflicts.slice(0, 3).map(describe);
      const more = conflicts.length > 3 ? ` (and ${conflicts.length - 3} more terms)` : '';
      return {
        name: this.name,
        verdict: 'invalid',
        message: `Split brain: ${shown.join('; ')}${more}.`,
        witnesses: w.toArray(),
        details: { ...details, splitTerms: conflicts },
      };
    }
    if (firstClaims.size === 0) return notJudged(this.name, 'no node was seen as leader of any term, so no term could have two.', details);
    const staleText =
      spans.length === 0 ? 'no stale leaders' : `${spans.length} stale leader span(s) in older terms, longest ${ms(details.longestStaleMs)}`;
    return {
      name: this.name,
      verdict: 'valid',
      message: `No term had two leaders (${firstClaims.size} terms with a leader); ${staleText}.`,
      witnesses: [],
      details,
    };
  },
};
