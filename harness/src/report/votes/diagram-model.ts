import type { HistoryEntry, NodeEventEntry } from '../../history/types.js';
import { termsFromPolls, type PollTerm } from './poll-terms.js';

/**
 * The elections of a run as message diagrams, one per term, built from the nodes' own events
 * (`node-event` entries: `vote`, `become-pre-candidate`, `become-candidate`, `become-leader`,
 * `step-down`). A node only logs the requests it answered (`vote`), so each `vote` event gives
 * two messages: the request (candidate → voter, sent when the candidate's campaign started)
 * and the reply (voter → candidate). When the reply arrived is not recorded: it is drawn with
 * the request's delay, and the page says so.
 */
export interface VoteDiagrams {
  /** `events` when the history has vote/campaign events; `polls` when only polls tell terms; `none` otherwise. */
  source: 'events' | 'polls' | 'none';
  nodes: string[];
  /** Votes a candidate needs (a majority of `nodes`). */
  majority: number;
  terms: TermDiagram[];
  /** The term-by-term summary the polls allow (filled when `source` is `polls`). */
  pollTerms: PollTerm[];
  /** Nodes whose event buffers overflowed (`events-gap`): some arrows may be missing. */
  gaps: Array<{ node: string; fromSeq: number; toSeq: number; t: number }>;
}

/** One message of an election: a request or a reply, a vote or a pre-vote. */
export interface VoteMessage {
  kind: 'request' | 'reply';
  /** Sender and receiver: the candidate and the voter, in that order for a request. */
  from: string;
  to: string;
  candidate: string;
  voter: string;
  /** The election's term (for a pre-vote: the term the pre-candidate asked to start). */
  term: number;
  preVote: boolean;
  granted: boolean;
  /** The voter's reason (`granted`, `stale-term`, `already-voted:n2`, `leader-recently-heard`, ...). */
  reason: string;
  /** When it left and arrived (ms on the run clock). A request's arrival and a reply's departure are the voter's event. */
  sentAt: number;
  arrivedAt: number;
  /** True when the time drawn is an estimate (a reply's arrival; a request whose campaign start was not seen). */
  estimated: boolean;
  /** Set on the granted replies (the votes) that make a violation: what it is. */
  violation?: string;
}

/** A node's step in an election, drawn on its line. */
export interface CampaignMark {
  node: string;
  t: number;
  kind: 'pre-candidate' | 'candidate' | 'leader' | 'step-down';
  term: number;
  /** Consecutive unanswered attempts folded into this mark (pre-votes of a cut-off node), else 1. */
  count: number;
  /** Last of the folded attempts. */
  until: number;
  reason?: string;
  violation?: string;
}

/** A candidate's result in a term: votes granted (its own included) and refused, for votes and pre-votes. */
export interface Tally {
  node: string;
  preVote: boolean;
  granted: number;
  refused: number;
  won: boolean;
}

/** One term's election. */
export interface TermDiagram {
  term: number;
  start: number;
  end: number;
  messages: VoteMessage[];
  marks: CampaignMark[];
  tallies: Tally[];
  leaders: string[];
  /**
   * `elected` (one leader), `split` (several candidates, none won), `lost` (one candidate did not
   * win), `pre-vote-failed` (nobody got past the pre-vote), `two-leaders`.
   */
  outcome: 'elected' | 'split' | 'lost' | 'pre-vote-failed' | 'two-leaders';
  /** Human sentences, one per violation in this term. */
  violations: string[];
  /** Violations or a failed real election: unfolded by default. */
  interesting: boolean;
}

/** Events within this many ms after a vote still count as "before" it (clocks of separate processes). */
const SKEW_MS = 2;

interface Campaign {
  node: string;
  t: number;
  /** The node's term when it started (for a pre-vote, the term it asks for is one more). */
  term: number;
  pre: boolean;
  answered: boolean;
}

function isEvent(e: HistoryEntry): e is NodeEventEntry {
  return e.type === 'node-event' && typeof e.node === 'string' && Number.isFinite(e.t) && Number.isFinite(e.term);
}

/**
 * Builds the vote diagrams of a history: pure, never throws on short or odd histories.
 * `nodes` is the run's node order (the diagram's columns).
 */
export function buildVoteDiagrams(history: readonly HistoryEntry[], nodes: readonly string[]): VoteDiagrams {
  const majority = Math.floor(nodes.length / 2) + 1;
  const events = history.filter(isEvent).sort((a, b) => a.t - b.t);
  const gaps = history.flatMap((e) => (e.type === 'events-gap' ? [{ node: e.node, fromSeq: e.fromSeq, toSeq: e.toSeq, t: e.t }] : []));
  const relevant = events.filter((e) => e.kind === 'vote' || e.kind.startsWith('become-') || e.kind === 'step-down');
  if (!relevant.some((e) => e.kind === 'vote' || e.kind === 'become-candidate' || e.kind === 'become-pre-candidate' || e.kind === 'become-leader')) {
    const pollTerms = termsFromPolls(history);
    return { source: pollTerms.length ? 'polls' : 'none', nodes: [...nodes], majority, terms: [], pollTerms, gaps };
  }

  // Per node and kind (pre-vote or vote), in time order, for a binary search per vote.
  const campaigns = new Map<string, Campaign[]>();
  const allCampaigns: Campaign[] = [];
  for (const e of events) {
    if (e.kind !== 'become-candidate' && e.kind !== 'become-pre-candidate') continue;
    const c: Campaign = { node: e.node, t: e.t, term: e.term, pre: e.kind === 'become-pre-candidate', answered: false };
    const k = `${e.node}\u0000${c.pre}`;
    (campaigns.get(k) ?? campaigns.set(k, []).get(k)!).push(c);
    allCampaigns.push(c);
  }

  const byTerm = new Map<number, TermDiagram>();
  const termOf = (term: number): TermDiagram => {
    let d = byTerm.get(term);
    if (!d) {
      d = { term, start: Infinity, end: -Infinity, messages: [], marks: [], tallies: [], leaders: [], outcome: 'elected', violations: [], interesting: false };
      byTerm.set(term, d);
    }
    return d;
  };

  // Messages: one request and one reply per answered vote request.
  for (const e of events) {
    if (e.kind !== 'vote' || typeof e.candidate !== 'string') continue;
    const pre = e.preVote === true;
    const granted = e.granted === true;
    const reason = typeof e.reason === 'string' ? e.reason : granted ? 'granted' : 'refused';
    // The request came from the candidate's latest campaign of that kind before the answer
    // (for a real vote not refused as stale: the latest one in the voter's term).
    const mine = campaigns.get(`${e.candidate}\u0000${pre}`) ?? [];
    const upTo = lastAtOrBefore(mine, e.t + SKEW_MS);
    let pick: Campaign | undefined;
    if (!pre && reason !== 'stale-term') {
      for (let i = upTo; i >= 0 && i > upTo - 64; i--) {
        if (mine[i]!.term === e.term) {
          pick = mine[i];
          break;
        }
      }
    }
    pick ??= upTo >= 0 ? mine[upTo] : undefined;
    if (pick) pick.answered = true;
    const term = pick ? (pre ? pick.term + 1 : pick.term) : pre ? e.term + 1 : e.term;
    const sentAt = pick ? Math.min(pick.t, e.t) : e.t - 1;
    const delay = Math.max(0.1, e.t - sentAt);
    const base = { candidate: e.candidate, voter: e.node, term, preVote: pre, granted, reason };
    const d = termOf(term);
    d.messages.push(
      { ...base, kind: 'request', from: e.candidate, to: e.node, sentAt, arrivedAt: e.t, estimated: !pick },
      { ...base, kind: 'reply', from: e.node, to: e.candidate, sentAt: e.t, arrivedAt: e.t + delay, estimated: true },
    );
  }

  // Campaign marks; consecutive unanswered attempts of one node in one term fold into one mark.
  for (const c of allCampaigns) {
    const term = c.pre ? c.term + 1 : c.term;
    const d = termOf(term);
    const kind = c.pre ? 'pre-candidate' : 'candidate';
    const last = findLast(d.marks, (m) => m.node === c.node);
    if (!c.answered && last && last.kind === kind && (last as CampaignMark & { unanswered?: boolean }).unanswered) {
      last.count += 1;
      last.until = c.t;
      continue;
    }
    const m: CampaignMark & { unanswered?: boolean } = { node: c.node, t: c.t, kind, term, count: 1, until: c.t };
    if (!c.answered) m.unanswered = true;
    d.marks.push(m);
  }
  for (const e of events) {
    if (e.kind === 'become-leader') termOf(e.term).marks.push({ node: e.node, t: e.t, kind: 'leader', term: e.term, count: 1, until: e.t });
    else if (e.kind === 'step-down' && byTerm.has(e.term)) {
      termOf(e.term).marks.push({ node: e.node, t: e.t, kind: 'step-down', term: e.term, count: 1, until: e.t, ...(typeof e.reason === 'string' ? { reason: e.reason } : {}) });
    }
  }

  markDoubleVotes(events, byTerm);

  const terms = [...byTerm.values()].sort((a, b) => a.term - b.term);
  for (const d of terms) {
    for (const m of d.marks) delete (m as CampaignMark & { unanswered?: boolean }).unanswered;
    d.marks.sort((a, b) => a.t - b.t);
    d.messages.sort((a, b) => a.sentAt - b.sentAt || (a.kind === b.kind ? 0 : a.kind === 'request' ? -1 : 1));
    for (const m of d.messages) {
      d.start = Math.min(d.start, m.sentAt);
      d.end = Math.max(d.end, m.arrivedAt);
    }
    for (const m of d.marks) {
      d.start = Math.min(d.start, m.t);
      d.end = Math.max(d.end, m.until);
    }
    d.leaders = [...new Set(d.marks.filter((m) => m.kind === 'leader').map((m) => m.node))];
    d.tallies = talliesOf(d, majority);
    if (d.leaders.length > 1) {
      d.violations.push(`two leaders in term ${d.term}: ${d.leaders.join(' and ')}`);
      for (const m of d.marks) if (m.kind === 'leader') m.violation = d.violations[d.violations.length - 1]!;
      for (const m of d.messages) if (m.kind === 'reply' && !m.preVote && m.granted && d.leaders.includes(m.candidate)) m.violation ??= d.violations[d.violations.length - 1]!;
    }
    const realCandidates = new Set(d.marks.filter((m) => m.kind === 'candidate').map((m) => m.node));
    d.outcome =
      d.leaders.length > 1 ? 'two-leaders'
      : d.leaders.length === 1 ? 'elected'
      : realCandidates.size > 1 ? 'split'
      : realCandidates.size === 1 ? 'lost'
      : 'pre-vote-failed';
    d.interesting = d.violations.length > 0 || d.outcome === 'split' || d.outcome === 'lost';
  }
  return { source: 'events', nodes: [...nodes], majority, terms, pollTerms: [], gaps };
}

/**
 * A node that granted two candidates in one term (its own candidacy counts as a vote for
 * itself), as `one-vote-per-term` sees it: the granted vote messages of both are marked, and
 * the sentence goes to the term.
 */
function markDoubleVotes(events: readonly NodeEventEntry[], byTerm: Map<number, TermDiagram>): void {
  const first = new Map<string, string>();
  const done = new Set<string>();
  for (const e of events) {
    let candidate: string | null = null;
    if (e.kind === 'become-candidate') candidate = e.node;
    else if (e.kind === 'vote' && e.granted === true && e.preVote !== true && typeof e.candidate === 'string') candidate = e.candidate;
    if (candidate === null) continue;
    const key = `${e.node}\u0000${e.term}`;
    const prev = first.get(key);
    if (prev === undefined) first.set(key, candidate);
    else if (prev !== candidate && !done.has(`${key}\u0000${candidate}`)) {
      done.add(`${key}\u0000${candidate}`);
      const text = `double vote: ${e.node} voted for ${prev} and for ${candidate} in term ${e.term}`;
      const d = byTerm.get(e.term);
      if (!d) continue;
      d.violations.push(text);
      for (const m of d.messages) {
        if (m.kind === 'reply' && !m.preVote && m.granted && m.voter === e.node && (m.candidate === prev || m.candidate === candidate)) m.violation = text;
      }
      for (const m of d.marks) if (m.kind === 'candidate' && m.node === e.node) m.violation = text;
    }
  }
}

function talliesOf(d: TermDiagram, majority: number): Tally[] {
  // Distinct voters: a pre-candidate that asks again in one term is not counted twice.
  const out = new Map<string, { node: string; preVote: boolean; yes: Set<string>; no: Set<string> }>();
  const get = (node: string, preVote: boolean) => {
    const k = `${node}\u0000${preVote}`;
    let t = out.get(k);
    if (!t) out.set(k, (t = { node, preVote, yes: new Set([node]), no: new Set<string>() })); // its own vote
    return t;
  };
  for (const m of d.marks) if (m.kind === 'candidate' || m.kind === 'pre-candidate') get(m.node, m.kind === 'pre-candidate');
  for (const m of d.messages) {
    if (m.kind === 'reply') (m.granted ? get(m.candidate, m.preVote).yes : get(m.candidate, m.preVote).no).add(m.voter);
  }
  return [...out.values()]
    .map((t): Tally => {
      const granted = t.yes.size;
      const refused = [...t.no].filter((v) => !t.yes.has(v)).length;
      return { node: t.node, preVote: t.preVote, granted, refused, won: t.preVote ? granted >= majority : d.leaders.includes(t.node) };
    })
    .sort((a, b) => Number(a.preVote) - Number(b.preVote) || a.node.localeCompare(b.node));
}

/** Index of the last campaign at or before `t` in a time-ordered list, or -1. */
function lastAtOrBefore(xs: readonly Campaign[], t: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid]!.t <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

function findLast<T>(xs: readonly T[], p: (x: T) => boolean): T | undefined {
  for (let i = xs.length - 1; i >= 0; i--) if (p(xs[i]!)) return xs[i];
  return undefined;
}
