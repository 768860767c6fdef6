import type { HistoryEntry } from '../history/types.js';
import { ActiveFaults } from './support/active-faults.js';
import { ClusterView, follows } from './support/cluster-view.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import type { Checker, CheckResult } from './types.js';

interface StableWindow {
  leader: string;
  term: number;
  from: number;
}

/** Whether some node's latest view, from a poll at or after `since`, is in a term above `term`. */
function newerTerm(view: ClusterView, term: number, since: number): boolean {
  for (const v of view.views.values()) if (v.at >= since && v.term > term) return true;
  return false;
}

/**
 * Stable leadership: no elections while no fault is in force and a leader is settled. A stable
 * window opens at the first settled leader (seen by polls since the last heal) while no fault
 * is active, and closes at the next fault; any node reporting a newer term inside it is an
 * election. A window does not open while some node is already in a newer term than the settled
 * leader's (that election began before the window). Left out: warmup until the first settled
 * leader, and after each heal until a leader settles again and one `bounds.electionMs` has passed: what the fault set in motion may
 * still finish then (a CheckQuorum round that spanned the fault steps the leader down after the
 * heal; a pre-vote begun during the fault wins just after it; with Pre-Vote off, a rejoining
 * node disrupts the leader once). Also left out, with Pre-Vote off: a new term from a node not
 * yet seen following the window's leader, less than a maximum election timeout and a poll
 * interval after the window opened (with Pre-Vote on such a node only pre-votes, which the
 * leader's followers refuse: no new term). That node may still be a candidate of the election
 * the window's leader won, whose timer fired before the leader's first heartbeat reached it
 * (§5.2: a candidate times out and starts a new election; with Pre-Vote off nothing stops it):
 * what the start or heal set in motion finishing. The window closes and waits for a leader to settle again. Unknown if no
 * window opened.
 */
export const stableLeadership: Checker = {
  name: 'stable-leadership',
  description: 'No elections while no fault is active and a leader is settled.',
  check(history, ctx): CheckResult {
    const view = new ClusterView(ctx.nodes);
    const faults = new ActiveFaults();
    const grace = ctx.config.bounds.electionMs;
    let since = Number.NEGATIVE_INFINITY;
    let graceEnd = Number.NEGATIVE_INFINITY;
    let open: StableWindow | null = null;
    let stableMs = 0;
    let windows = 0;
    let lastT = 0;
    const elections: Array<{ atMs: number; node: string; fromTerm: number; toTerm: number; leaderWas: string }> = [];
    // Nodes seen following the open window's leader (or leading), and new terms left out as the
    // settling election's last candidates (see above).
    const following = new Set<string>();
    const settling = ctx.config.electionTimeoutMax + ctx.config.pollIntervalMs;
    let lateCandidates = 0;
    const w = new Witnesses();
    const lastPoll = new Map<string, HistoryEntry>();
    const close = (t: number) => {
      if (open) stableMs += t - open.from;
      open = null;
    };

    for (const e of history) {
      if (e.type === 'node-event') continue;
      if (isTeardown(e)) break;
      lastT = e.t;
      view.apply(e);
      if (faults.apply(e)) {
        if (e.type === 'fault-start') close(e.t);
        else if (faults.size === 0) {
          since = e.t;
          graceEnd = e.t + grace;
        }
        continue;
      }
      if (e.type !== 'poll' || e.outcome !== 'ok' || e.term === undefined) continue;
      const current = open as StableWindow | null;
      if (current && e.term > current.term) {
        if (ctx.config.preVote || following.has(e.node) || e.t - current.from >= settling) {
          elections.push({ atMs: e.t, node: e.node, fromTerm: current.term, toTerm: e.term, leaderWas: current.leader });
          w.add(lastPoll.get(e.node), e);
        } else lateCandidates++;
        close(e.t);
        since = e.t;
      } else if (!current && faults.size === 0 && e.t >= graceEnd) {
        const s = view.settled(since);
        // A node already in a newer term: an election began before this leader was seen settled
        // (a candidate whose timer ran out as the leader won, its polls late); the window opens
        // once the leader that election makes settles.
        if (s && !newerTerm(view, s.term, since)) {
          open = { leader: s.leader, term: s.term, from: e.t };
          windows++;
          following.clear();
          for (const n of ctx.nodes) {
            const v = view.views.get(n);
            if (v && v.at >= since && v.term === s.term && (n === s.leader || follows(v, s.leader))) following.add(n);
          }
        }
      } else if (current && e.term === current.term) {
        const v = view.views.get(e.node);
        if (v && (e.node === current.leader || follows(v, current.leader))) following.add(e.node);
      }
      lastPoll.set(e.node, e);
    }
    close(lastT);

    const details = { stableMs, windows, elections, lateCandidates };
    if (elections.length > 0) {
      const say = elections
        .slice(0, 3)
        .map((x) => `at ${ms(x.atMs)} ${x.node} reported term ${x.toTerm} while ${x.leaderWas} led term ${x.fromTerm}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${elections.length} election(s) with no fault active: ${say}.`, witnesses: w.toArray(), details };
    }
    if (windows === 0) {
      return { name: this.name, verdict: 'unknown', message: 'There was never a settled leader with no fault active, so stability could not be watched.', witnesses: [], details };
    }
    return { name: this.name, verdict: 'valid', message: `No elections in ${ms(stableMs)} of settled leadership with no fault active (${windows} window(s)).`, witnesses: [], details };
  },
};
