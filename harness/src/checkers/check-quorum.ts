import type { HistoryEntry } from '../history/types.js';
import { majority } from '../nemesis/targets.js';
import { ActiveFaults, maxAddedDelay } from './support/active-faults.js';
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
  /** For `kept-majority`: since when running peers with clean two-way links made it a majority. */
  cleanSinceMs?: number;
}

/**
 * CheckQuorum held to account from the leader's side (thesis §6.2; etcd's `checkQuorum`):
 * - with CheckQuorum off, no leader ever steps down for `check-quorum` (its `step-down` event's
 *   reason);
 * - with it on, a leader steps down for `check-quorum` only when it could not hear a majority:
 *   one that, for a whole quorum window (the maximum election timeout) plus a heartbeat and an
 *   RPC deadline before it stepped down, ran itself (not paused or restarted meanwhile) and had
 *   peers that made a majority with itself, each
 *   running (booted: its `start` event; not killed, stopped or paused since) with a direct
 *   two-way link to it that no fault cut or slowed past the lease's slack, heard every one of
 *   them answer, so stepping down was needless. A step-down with a fault started or healed
 *   within one maximum election timeout after it is not judged (a fault's links change before
 *   its entry is written).
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
    const slack = Math.max(0, (cfg.electionTimeoutMin - cfg.heartbeatInterval) / 4);
    const need = majority(ctx.nodes.length);
    const faults = new ActiveFaults();
    /** Since when each node has run (its boot's `start` event), while it runs. */
    const upSince = new Map<string, number>();
    /** Since when each pair's link has been clean both ways (key `a b`, a < b), while it is. */
    const linkSince = new Map<string, number>();
    const pair = (a: string, b: string) => (a < b ? `${a} ${b}` : `${b} ${a}`);
    const relink = (now: number) => {
      const cut = new Set(faults.cuts().map(([a, b]) => pair(a, b)));
      for (const a of ctx.nodes) {
        for (const b of ctx.nodes) {
          if (a >= b) continue;
          const k = pair(a, b);
          const clean = !cut.has(k) && maxAddedDelay(faults, a, b) <= slack && maxAddedDelay(faults, b, a) <= slack;
          if (!clean) linkSince.delete(k);
          else if (!linkSince.has(k)) linkSince.set(k, now);
        }
      }
    };
    relink(0);
    /** Since when the leader has had a majority of good peers, or undefined. */
    const heardSince = (leader: string, now: number): number | undefined => {
      // A paused (or just restarted) leader heard nothing meanwhile.
      const self = upSince.get(leader);
      if (self === undefined) return undefined;
      const since: number[] = [];
      for (const p of ctx.nodes) {
        if (p === leader) continue;
        const up = upSince.get(p);
        const link = linkSince.get(pair(leader, p));
        if (up !== undefined && link !== undefined) since.push(Math.max(up, link));
      }
      if (since.length + 1 < need) return undefined;
      since.sort((a, b) => a - b);
      const at = need === 1 ? self : Math.max(self, since[need - 2]!);
      return at <= now ? at : undefined;
    };
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
      if (faults.apply(e)) relink(e.t);
      if (e.type === 'process') {
        if (e.action === 'kill' || e.action === 'stop' || e.action === 'pause' || e.action === 'exit') upSince.delete(e.node);
        else if (e.action === 'resume') upSince.set(e.node, e.t);
      }
      if (e.type !== 'node-event') continue;
      if (e.kind === 'start') upSince.set(e.node, e.t);
      if (e.kind === 'become-leader') leaderships++;
      if (e.kind !== 'step-down' || e['reason'] !== 'check-quorum') continue;
      stepDowns++;
      if (!cfg.checkQuorum) {
        found.push({ node: e.node, term: e.term, atMs: e.t, why: 'check-quorum-off' });
        w.add(e);
      } else {
        const since = heardSince(e.node, e.t);
        if (since !== undefined && e.t - since >= window) pending.push({ f: { node: e.node, term: e.term, atMs: e.t, why: 'kept-majority', cleanSinceMs: since }, e });
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
            : `${f.node} stepped down for check-quorum in term ${f.term} at ${ms(f.atMs)} though running peers with clean links had made it a majority since ${ms(f.cleanSinceMs!)}`,
        )
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} needless CheckQuorum step-down(s): ${say}.`, witnesses: w.toArray(), details };
    }
    if (leaderships === 0) return notJudged(this.name, 'no leader was seen elected, so none could step down.', details);
    const mode = cfg.checkQuorum ? `${stepDowns} CheckQuorum step-down(s), each without a clean majority` : 'none with CheckQuorum off';
    return { name: this.name, verdict: 'valid', message: `No needless CheckQuorum step-down in ${leaderships} leadership(s) (${mode}).`, witnesses: [], details };
  },
};
