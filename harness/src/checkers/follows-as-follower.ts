import type { PollEntry } from '../history/types.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, type Checker, type CheckResult } from './types.js';

/** A node that kept campaigning while it named the leader of its own term. */
export interface CampaigningFollower {
  node: string;
  role: string;
  term: number;
  leader: string;
  fromMs: number;
  /** How long its polls kept saying so. */
  lastedMs: number;
}

/** The role a poll shows: `role` when the node reports it (pre-candidate), else `state`. */
function roleOf(p: PollEntry): string | undefined {
  return p.role ?? p.state;
}

/**
 * Only followers follow (Raft §5.2, Figure 2): a candidate or pre-candidate that learns of a
 * leader of its own term returns to follower, so a poll saying candidate (or pre-candidate) in
 * term T while naming another node as the leader of T is a violation, once the node's polls keep
 * saying so for `electionTimeoutMin` (a node whose status is read in pieces may mix two moments
 * for one poll; a correct node never says it for one whole timeout). Unknown when no poll
 * answered.
 */
export const followsAsFollower: Checker = {
  name: 'follows-as-follower',
  description: 'A node that knows the leader of its term is a follower: no candidate or pre-candidate names a leader of its own term.',
  check(history, ctx): CheckResult {
    const bound = ctx.config.electionTimeoutMin;
    const open = new Map<string, { first: PollEntry; last: PollEntry; reported: boolean }>();
    const found: CampaigningFollower[] = [];
    const w = new Witnesses();
    let judged = 0;
    let naming = 0;
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      if (e.type === 'process' && e.action !== 'ready') open.delete(e.node);
      if (e.type !== 'poll' || e.outcome !== 'ok' || e.term === undefined) continue;
      judged++;
      const role = roleOf(e);
      const leader = e.leader ?? null;
      if (leader !== null && leader !== e.node) naming++;
      const bad = (role === 'candidate' || role === 'pre-candidate') && leader !== null && leader !== e.node;
      const cur = open.get(e.node);
      if (!bad) {
        open.delete(e.node);
        continue;
      }
      if (!cur || cur.first.term !== e.term || cur.first.leader !== leader || cur.first.bootId !== e.bootId) {
        open.set(e.node, { first: e, last: e, reported: false });
        continue;
      }
      cur.last = e;
      if (!cur.reported && e.t - cur.first.t >= bound) {
        cur.reported = true;
        found.push({ node: e.node, role: role as string, term: e.term, leader: leader as string, fromMs: cur.first.t, lastedMs: e.t - cur.first.t });
        w.add(cur.first, e);
      }
    }
    const details = { violations: found, polls: judged, boundMs: bound };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} stayed ${f.role} in term ${f.term} while naming ${f.leader} its leader, for ${ms(f.lastedMs)} from ${ms(f.fromMs)}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `A campaigning node followed a leader (bound ${ms(bound)}): ${say}.`, witnesses: w.toArray(), details };
    }
    if (judged === 0) return { name: this.name, verdict: 'unknown', message: 'Not judged: no poll answered, so no node was seen following anyone.', witnesses: [], details };
    if (naming === 0) return notJudged(this.name, `no node named another node its leader in ${judged} polls, so none could campaign while following.`, details);
    return { name: this.name, verdict: 'valid', message: `Every node that named a leader of its term was a follower (${judged} polls).`, witnesses: [], details };
  },
};
