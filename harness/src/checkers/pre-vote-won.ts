import type { HistoryEntry, NodeEventEntry } from '../history/types.js';
import { majority } from '../nemesis/targets.js';
import { EventCompleteness } from './support/event-completeness.js';
import { CROSS_NODE_STAMP_MS } from './support/stamps.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** A candidacy that followed a Pre-Vote round its voters had not granted. */
export interface UnwonPreVote {
  node: string;
  /** The term it became candidate of (it asked for pre-votes for this term). */
  term: number;
  atMs: number;
  /** Voters (itself included) that granted it a pre-vote for that term before then. */
  grantedBy: string[];
  needed: number;
}

/**
 * Thesis §9.6: a pre-candidate becomes a candidate only once a majority of the cluster (itself
 * included) would vote for it, that is granted its pre-vote. So every `become-candidate` with
 * reason `pre-vote-won` in term T is preceded by pre-vote grants for T (`vote` events with
 * `preVote: true`, `granted: true`, that candidate, `requestTerm` T) from a majority less one of
 * the other nodes, as the voters' own events say: a reply cannot reach the pre-candidate before
 * its voter answered, and a pre-vote changes nothing durable, so its event is stamped when it
 * was answered. Grants of any of its rounds for T count (a late reply of an earlier round of the
 * same term is a grant for the same term). A pre-candidate that counts anything else as a
 * pre-vote (a grant of its own earlier RequestVote of the same term, a refusal) fails it. As
 * `leader-has-votes` does, a candidacy is not judged when a node missing from its grants may
 * have lost events from two election timeouts before it on (an `events-gap`; on real nodes a
 * kill or stop, whose unread events die with it), or logs pre-votes without `requestTerm` (a
 * node older than that field), or, in a run cut short (no `run-end`, or an interrupted one),
 * had no event read from after the candidacy. Not applicable to another subject (its
 * events are its own) or with Pre-Vote off; not judged when no candidacy after a Pre-Vote round
 * was seen.
 */
export const preVoteWon: Checker = {
  name: 'pre-vote-won',
  description: 'A pre-candidate becomes candidate only after a majority granted its pre-vote (thesis §9.6).',
  check(history: readonly HistoryEntry[], ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} logs its own events.`);
    if (!ctx.config.preVote) return notApplicable(this.name, 'Pre-Vote is off, so no node becomes candidate on pre-votes.');
    const needed = majority(ctx.nodes.length);
    // Pre-vote grants by candidate and asked term: voter -> its first grant's entry.
    const grants = new Map<string, Map<string, NodeEventEntry>>();
    const candidacies: NodeEventEntry[] = [];
    const complete = new EventCompleteness(history);
    // Nodes whose pre-vote events do not say the term asked (a node from before `requestTerm`).
    const withoutTerm = new Set<string>();
    // In time order, as leader-has-votes reads them: a real node's events reach the history when
    // the harness reads them, after entries stamped later (the teardown's, say).
    let end = Infinity;
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) {
        end = e.t;
        break;
      }
      if (e.type !== 'node-event') continue;
      if (e.kind === 'vote' && e['preVote'] === true && typeof e['requestTerm'] !== 'number') withoutTerm.add(e.node);
      if (e.kind === 'vote' && e['preVote'] === true && e['granted'] === true) {
        const key = `${String(e['candidate'])} ${String(e['requestTerm'])}`;
        let by = grants.get(key);
        if (by === undefined) grants.set(key, (by = new Map()));
        const first = by.get(e.node);
        if (first === undefined || e.t < first.t) by.set(e.node, e);
      } else if (e.kind === 'become-candidate' && e['reason'] === 'pre-vote-won') candidacies.push(e);
    }
    const found: UnwonPreVote[] = [];
    const w = new Witnesses();
    let judged = 0;
    let skipped = 0;
    const from = (t: number) => t - 2 * ctx.config.electionTimeoutMax;
    for (const e of candidacies) {
      if (e.t >= end) break;
      // Grants stamped after the candidacy (beyond the stamp tolerance) cannot have been counted.
      const by = [...(grants.get(`${e.node} ${e.term}`) ?? new Map<string, NodeEventEntry>()).values()].filter((g) => g.node !== e.node && g.t <= e.t + CROSS_NODE_STAMP_MS);
      if (by.length + 1 >= needed) {
        judged++;
        continue;
      }
      const names = new Set([e.node, ...by.map((g) => g.node)]);
      const unsure = ctx.nodes.filter((n) => !names.has(n)).some((n) => withoutTerm.has(n) || complete.unsure(n, from(e.t), e.t + CROSS_NODE_STAMP_MS));
      if (unsure) {
        skipped++;
        continue;
      }
      judged++;
      found.push({ node: e.node, term: e.term, atMs: e.t, grantedBy: [...names], needed });
      w.add(...by, e);
    }
    const details = { violations: found, candidaciesJudged: judged, notJudgedIncompleteEvents: skipped };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} became candidate of term ${f.term} at ${ms(f.atMs)} on pre-votes from ${f.grantedBy.join(', ')} only (${f.needed} needed)`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} candidacy(ies) without a won Pre-Vote round: ${say}.`, witnesses: w.toArray(), details };
    }
    if (judged === 0) {
      // Candidacies that could not be judged are unknown, as leader-has-votes' elections are; none at all: not judged.
      if (skipped > 0) return { name: this.name, verdict: 'unknown', message: `Not judged: every candidacy after a Pre-Vote round short of grants (${skipped}) came while a voter's events may be incomplete (lost, or logged without requestTerm).`, witnesses: [], details };
      return notJudged(this.name, 'no node became candidate after a Pre-Vote round.', details);
    }
    return { name: this.name, verdict: 'valid', message: `Every candidacy after a Pre-Vote round had a majority of pre-votes (${judged} candidacies).`, witnesses: [], details };
  },
};
