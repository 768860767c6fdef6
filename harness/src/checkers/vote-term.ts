import type { NodeEventEntry } from '../history/types.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A vote granted to a request of the wrong term. */
export interface WrongTermVote {
  node: string;
  candidate: string;
  /** The voter's term after the request. */
  term: number;
  requestTerm: number;
  preVote: boolean;
  atMs: number;
}

/**
 * Votes only for the term asked (Figure 2, RequestVote receiver, rule 1: reply false if the
 * request's term is below currentTerm; a higher one is adopted first): a granted RequestVote's
 * `vote` event carries the voter's term after the request (`term`) equal to the term the
 * request carried (`requestTerm`). A granted pre-vote (thesis §9.6) is for a term above the
 * voter's own: `requestTerm > term`. Judged on `vote` events that carry `requestTerm` (the
 * node's event format since it was added; node/API.md); not applicable to a subject without
 * events, not judged when no granted vote carried it.
 */
export const voteTerm: Checker = {
  name: 'vote-term',
  description: 'A vote is granted only for the term the request asked: never to a RequestVote of a lower term than the voter’s (Figure 2).',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['events'], 'has no events');
    if (lacks !== null) return notApplicable(this.name, lacks);
    const found: WrongTermVote[] = [];
    const w = new Witnesses();
    let judged = 0;
    for (const e of history) {
      if (isTeardown(e)) break;
      if (e.type !== 'node-event' || e.kind !== 'vote' || e.granted !== true) continue;
      const v = e as NodeEventEntry & { requestTerm?: unknown; candidate?: unknown; preVote?: unknown };
      if (typeof v.requestTerm !== 'number') continue;
      judged++;
      const preVote = v.preVote === true;
      const ok = preVote ? v.requestTerm > v.term : v.requestTerm === v.term;
      if (ok) continue;
      found.push({ node: v.node, candidate: String(v.candidate), term: v.term, requestTerm: v.requestTerm, preVote, atMs: v.t });
      w.add(e);
    }
    const details = { violations: found, votes: judged };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} in term ${f.term} granted ${f.candidate} a ${f.preVote ? 'pre-vote' : 'vote'} asked for term ${f.requestTerm} at ${ms(f.atMs)}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} vote(s) granted for a term the request did not ask: ${say}.`, witnesses: w.toArray(), details };
    }
    if (judged === 0) return notJudged(this.name, 'no granted vote carried the term its request asked (requestTerm).', details);
    return { name: this.name, verdict: 'valid', message: `Every granted vote was for the term its request asked (${judged} votes).`, witnesses: [], details };
  },
};
