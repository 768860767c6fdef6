import type { HistoryEntry } from '../history/types.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** One sign of a Pre-Vote round in a run configured without Pre-Vote. */
export interface PreVoteSign {
  node: string;
  atMs: number;
  /** `become-pre-candidate` event, a poll showing role `pre-candidate`, or a pre-vote `vote` event (its voter answered a pre-vote request of `candidate`). */
  how: 'become-pre-candidate' | 'poll' | 'pre-vote-answered';
  term: number;
  candidate?: string;
}

/**
 * The node honours its Pre-Vote setting (thesis §9.6 is an option: off, an election is a plain
 * candidacy, Figure 2): in a run configured with Pre-Vote off, no node becomes `pre-candidate`
 * (its `become-pre-candidate` event or a poll's `role`), and no pre-vote request is sent, which
 * a voter's `vote` event with `preVote: true` shows. Not applicable with Pre-Vote on, nor to a
 * subject that has no Pre-Vote setting (its configuration does not state it); not judged when no
 * campaign at all was seen (no `become-candidate` event, no candidate or pre-candidate polled).
 */
export const preVoteOff: Checker = {
  name: 'pre-vote-off',
  description: 'With Pre-Vote off, no node becomes pre-candidate or asks for pre-votes (its configuration honoured).',
  check(history, ctx): CheckResult {
    if (ctx.subject !== undefined && !ctx.subject.capabilities.preVote) {
      return notApplicable(this.name, `subject ${ctx.subject.name} has no Pre-Vote setting, so its configuration does not state it.`);
    }
    if (ctx.config.preVote) return notApplicable(this.name, 'Pre-Vote is on, so pre-vote rounds are expected.');
    const found: PreVoteSign[] = [];
    const w = new Witnesses();
    let campaigns = 0;
    const flag = (e: HistoryEntry, s: PreVoteSign) => {
      found.push(s);
      w.add(e);
    };
    for (const e of history) {
      if (isTeardown(e)) break;
      if (e.type === 'poll' && e.outcome === 'ok') {
        if (e.role === 'candidate' || e.role === 'pre-candidate') campaigns++;
        if (e.role === 'pre-candidate') flag(e, { node: e.node, atMs: e.t, how: 'poll', term: e.term ?? -1 });
        continue;
      }
      if (e.type !== 'node-event') continue;
      if (e.kind === 'become-candidate') campaigns++;
      if (e.kind === 'become-pre-candidate') {
        campaigns++;
        flag(e, { node: e.node, atMs: e.t, how: 'become-pre-candidate', term: e.term });
      } else if (e.kind === 'vote' && e['preVote'] === true) {
        flag(e, { node: e.node, atMs: e.t, how: 'pre-vote-answered', term: e.term, candidate: String(e['candidate']) });
      }
    }
    const details = { violations: found.slice(0, 50), signs: found.length, campaigns };
    if (found.length > 0) {
      const say = (s: PreVoteSign) =>
        s.how === 'pre-vote-answered'
          ? `${s.node} answered a pre-vote request of ${s.candidate} in term ${s.term} at ${ms(s.atMs)}`
          : s.how === 'poll'
            ? `${s.node} was polled as pre-candidate in term ${s.term} at ${ms(s.atMs)}`
            : `${s.node} became pre-candidate in term ${s.term} at ${ms(s.atMs)}`;
      return {
        name: this.name,
        verdict: 'invalid',
        message: `Pre-Vote is off, yet ${found.length} sign(s) of pre-vote rounds: ${found.slice(0, 3).map(say).join('; ')}.`,
        witnesses: w.toArray(),
        details,
      };
    }
    if (campaigns === 0) return notJudged(this.name, 'no campaign was seen, so none could have used Pre-Vote.', details);
    return { name: this.name, verdict: 'valid', message: `Pre-Vote off and honoured: ${campaigns} campaign sign(s), none a pre-vote round.`, witnesses: [], details };
  },
};
