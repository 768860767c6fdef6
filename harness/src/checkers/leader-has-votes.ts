import type { HistoryEntry } from '../history/types.js';
import { majority } from '../nemesis/targets.js';
import { EventCompleteness } from './support/event-completeness.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged as notJudgedResult, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A leader whose election the voters' own events do not support. */
export interface UnvotedLeader {
  node: string;
  term: number;
  atMs: number;
  /** Who granted it a real vote in that term (itself included). */
  voters: string[];
  needed: number;
}

/**
 * Leaders were elected (Raft §5.2; what the MIT 6.824 tests and Jepsen's election checks read
 * from the voters' side): a node that becomes leader of term T holds votes of T from a majority
 * of the cluster, itself included, and each vote shows in the voter's own events (a granted,
 * non-pre-vote `vote` event for it in T). Judged only when the voters' events can be trusted
 * complete: an election is not judged when a node missing from its voters lost events (an
 * `events-gap`) or was killed or stopped (unread events die with it; not in simulation) from two
 * election timeouts before it on, or the run was cut short before an event of it from after the
 * election was read (support/event-completeness.ts). Unknown when no election was judged.
 */
export const leaderHasVotes: Checker = {
  name: 'leader-has-votes',
  description: "A leader of term T was granted votes of T by a majority, as the voters' own events say.",
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['events'], 'gives no node events, so the votes a leader got are not seen');
    if (lacks !== null) return notApplicable(this.name, lacks);
    const need = majority(ctx.nodes.length);
    const ordered = inTimeOrder(history);
    const complete = new EventCompleteness(history);
    const grants = new Map<string, Map<string, HistoryEntry>>();
    let end = Infinity;
    for (const e of ordered) {
      if (isTeardown(e)) {
        end = e.t;
        break;
      }
      if (e.type !== 'node-event') continue;
      if (e.kind === 'vote' && e.granted === true && e.preVote !== true && typeof e.candidate === 'string') {
        const key = `${e.candidate}\u0000${e.term}`;
        if (!grants.has(key)) grants.set(key, new Map());
        if (!grants.get(key)!.has(e.node)) grants.get(key)!.set(e.node, e);
      }
    }
    const found: UnvotedLeader[] = [];
    const w = new Witnesses();
    let judged = 0;
    let notJudged = 0;
    const from = (t: number) => t - 2 * ctx.config.electionTimeoutMax;
    for (const e of ordered) {
      if (e.t >= end) break;
      if (e.type !== 'node-event' || e.kind !== 'become-leader') continue;
      const voters = grants.get(`${e.node}\u0000${e.term}`) ?? new Map<string, HistoryEntry>();
      const names = new Set([e.node, ...voters.keys()]);
      if (names.size >= need) {
        judged++;
        continue;
      }
      const missing = ctx.nodes.filter((n) => !names.has(n));
      const unsure = missing.some((n) => complete.unsure(n, from(e.t), e.t));
      if (unsure) {
        notJudged++;
        continue;
      }
      judged++;
      found.push({ node: e.node, term: e.term, atMs: e.t, voters: [...names].sort(), needed: need });
      w.add(e, ...voters.values());
    }
    const details = { violations: found, judged, notJudged };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((x) => `${x.node} became leader of term ${x.term} at ${x.atMs.toFixed(1)} ms with votes from ${x.voters.join(', ')} only (${x.needed} needed)`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `A leader without a majority of votes: ${say}.`, witnesses: w.toArray(), details };
    }
    // Elections that could not be judged are unknown, as pre-vote-won's candidacies are; none at all: not judged.
    if (judged === 0 && notJudged > 0) {
      return { name: this.name, verdict: 'unknown', message: `Not judged: no election whose voters' events are complete (${notJudged} left out: events lost or a voter killed).`, witnesses: [], details };
    }
    if (judged === 0) return notJudgedResult(this.name, 'no become-leader event.', details);
    return { name: this.name, verdict: 'valid', message: `Every leader held a majority of votes in its term (${judged} election(s)${notJudged ? `, ${notJudged} not judged` : ''}).`, witnesses: [], details };
  },
};
