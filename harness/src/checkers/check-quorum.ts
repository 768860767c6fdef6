import type { HistoryEntry } from '../history/types.js';
import { MajorityWatch } from './support/majority-watch.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A leader that stepped down for CheckQuorum when it must not have. */
export interface WrongStepDown {
  node: string;
  term: number;
  atMs: number;
  why: 'check-quorum-off' | 'kept-majority';
  /** For `kept-majority`: since when it had had clean two-way links to a majority. */
  cleanSinceMs?: number;
}

/**
 * CheckQuorum held to account from the leader's side (thesis §6.2; etcd's `checkQuorum`):
 * - with CheckQuorum off, no leader ever steps down for `check-quorum` (its `step-down` event's
 *   reason);
 * - with it on, a leader steps down for `check-quorum` only when it could not hear a majority:
 *   one that had direct two-way links (no cut, no toxic slowing them past the lease's slack) to
 *   a majority of the cluster (itself included), all up, for a whole quorum window (the maximum
 *   election timeout) plus a heartbeat and an RPC deadline before it stepped down heard every
 *   one of them answer, so stepping down was needless. A step-down with a fault started or
 *   healed within one maximum election timeout after it is not judged (a fault's links change
 *   before its entry is written).
 * The other half, a leader cut off past the bound must step down, is `step-down`'s. Not
 * applicable to a subject without events; not judged when no leader was seen elected.
 */
export const checkQuorum: Checker = {
  name: 'check-quorum',
  description: 'CheckQuorum steps a leader down only when it is on and the leader could not hear a majority.',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['events'], 'has no events');
    if (lacks !== null) return notApplicable(this.name, lacks);
    const cfg = ctx.config;
    const window = cfg.electionTimeoutMax + cfg.heartbeatInterval + cfg.rpcTimeout;
    const hold = cfg.electionTimeoutMax;
    const watch = new MajorityWatch(ctx.nodes, cfg);
    const found: WrongStepDown[] = [];
    const w = new Witnesses();
    /** Needless step-downs waiting out `hold` for a fault entry that would explain them. */
    let pending: Array<{ f: WrongStepDown; e: HistoryEntry }> = [];
    let leaderships = 0;
    let stepDowns = 0;
    const settle = (now: number) => {
      const keep: typeof pending = [];
      for (const p of pending) {
        if (now - p.f.atMs > hold) {
          found.push(p.f);
          w.add(p.e);
        } else keep.push(p);
      }
      pending = keep;
    };
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      settle(e.t);
      if (e.type === 'fault-start' || e.type === 'fault-end') pending = [];
      watch.apply(e);
      if (e.type !== 'node-event') continue;
      if (e.kind === 'become-leader') leaderships++;
      if (e.kind !== 'step-down' || e['reason'] !== 'check-quorum') continue;
      stepDowns++;
      if (!cfg.checkQuorum) {
        found.push({ node: e.node, term: e.term, atMs: e.t, why: 'check-quorum-off' });
        w.add(e);
      } else if (watch.clean(e.node, e.t, window)) {
        pending.push({ f: { node: e.node, term: e.term, atMs: e.t, why: 'kept-majority', cleanSinceMs: watch.cleanSinceOf(e.node)! }, e });
      }
    }
    // What waits at the end: the run went on long enough without a fault to judge it.
    for (const p of pending) {
      found.push(p.f);
      w.add(p.e);
    }
    const details = { violations: found, leaderships, checkQuorumStepDowns: stepDowns, windowMs: window };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) =>
          f.why === 'check-quorum-off'
            ? `${f.node} stepped down for check-quorum in term ${f.term} at ${ms(f.atMs)} with CheckQuorum off`
            : `${f.node} stepped down for check-quorum in term ${f.term} at ${ms(f.atMs)} though it had had clean links to a majority since ${ms(f.cleanSinceMs!)}`,
        )
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} needless CheckQuorum step-down(s): ${say}.`, witnesses: w.toArray(), details };
    }
    if (leaderships === 0) return notJudged(this.name, 'no leader was seen elected, so none could step down.', details);
    const mode = cfg.checkQuorum ? `${stepDowns} CheckQuorum step-down(s), each without a clean majority` : 'none with CheckQuorum off';
    return { name: this.name, verdict: 'valid', message: `No needless CheckQuorum step-down in ${leaderships} leadership(s) (${mode}).`, witnesses: [], details };
  },
};
