import type { NodeEventEntry } from '../history/types.js';
import { inEventOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A leader that stopped leading without a cause Raft allows. */
export interface CauselessStepDown {
  node: string;
  term: number;
  atMs: number;
  /** The event that ended the leadership (`step-down`, `become-follower`, ...). */
  kind: string;
  reason: string | null;
  /** The term the node reported after it, no higher than the one it led. */
  termAfter: number;
}

/** Events that end a leadership. */
const ENDS: ReadonlySet<string> = new Set(['step-down', 'become-follower', 'become-candidate', 'become-pre-candidate']);

/**
 * Why each leader stopped leading (paper Figure 2, all servers: a server converts to follower
 * when it discovers a higher term; leaders otherwise keep leading; thesis §6.2 adds CheckQuorum):
 * every leadership of a boot (its `become-leader` event) that ends while the node runs (its next
 * `step-down`, `become-follower` or `become-(pre-)candidate` event) ends at a term above the one
 * it led, or is a `check-quorum` step-down (its `step-down` or `become-follower` event says so;
 * whether it was needed is `check-quorum`'s to judge). A leader that steps down in its own term
 * for anything else (a vote request of its own term, say) gives up a majority it still had. A
 * restart ends a leadership without judging it.
 * Not applicable to a subject without events; not judged when no leadership ended.
 */
export const stepDownCause: Checker = {
  name: 'step-down-cause',
  description: 'A leader stops leading only on a higher term, or by CheckQuorum (Figure 2; thesis §6.2).',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['events'], 'has no events, so why a leader stopped is not known');
    if (lacks !== null) return notApplicable(this.name, lacks);
    /** The leadership each node holds now, by its become-leader event. */
    const leading = new Map<string, NodeEventEntry>();
    const found: CauselessStepDown[] = [];
    const w = new Witnesses();
    let ended = 0;
    for (const e of inEventOrder(history)) {
      if (isTeardown(e)) break;
      if (e.type === 'process' && e.action !== 'resume') leading.delete(e.node);
      if (e.type !== 'node-event') continue;
      if (e.kind === 'start') {
        leading.delete(e.node);
        continue;
      }
      if (e.kind === 'become-leader') {
        leading.set(e.node, e);
        continue;
      }
      const lead = leading.get(e.node);
      if (lead === undefined || lead.bootId !== e.bootId) continue;
      const higher = (e.kind === 'term' && typeof e['to'] === 'number' && e['to'] > lead.term) || e.term > lead.term;
      if (!ENDS.has(e.kind) && !higher) continue;
      leading.delete(e.node);
      ended++;
      if (higher) continue;
      const reason = typeof e['reason'] === 'string' ? e['reason'] : null;
      // Its step-down and become-follower events carry the reason; on processes the two may map
      // onto the run clock a millisecond out of order, so either may come first.
      if (reason === 'check-quorum') continue;
      found.push({ node: e.node, term: lead.term, atMs: e.t, kind: e.kind, reason, termAfter: e.term });
      w.add(lead, e);
    }
    const details = { violations: found, leadershipsEnded: ended };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node}, leader of term ${f.term}, stopped leading at ${ms(f.atMs)} (${f.kind}${f.reason === null ? '' : `, reason ${f.reason}`}) still in term ${f.termAfter}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} leader(s) stopped leading without a higher term or CheckQuorum: ${say}.`, witnesses: w.toArray(), details };
    }
    if (ended === 0) return notJudged(this.name, 'no leadership ended while its node ran.', details);
    return { name: this.name, verdict: 'valid', message: `${ended} leadership(s) ended, each on a higher term or by CheckQuorum.`, witnesses: [], details };
  },
};
