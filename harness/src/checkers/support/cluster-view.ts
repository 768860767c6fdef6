import type { HistoryEntry, NodeRole, NodeState, PollEntry } from '../../history/types.js';
import { majority } from '../../nemesis/targets.js';
import { faultDown } from './active-faults.js';

/** What one node said in its latest successful poll. */
export interface NodeView {
  term: number;
  leader: string | null;
  state: NodeState;
  /** The role it reported (`role`, else `state`): a pre-candidate shows `state` follower. */
  role: NodeRole;
  /** `t` of that poll. */
  at: number;
  poll: PollEntry;
}

/**
 * Whether a view follows `leader`: it names it and its role is follower (Raft §5.2: a candidate
 * or pre-candidate that hears the leader of its term returns to follower; one that names a
 * leader and keeps campaigning is not following it).
 */
export function follows(v: NodeView, leader: string): boolean {
  return v.leader === leader && v.role === 'follower';
}

/** A leader followed by a majority in its term. */
export interface SettledLeader {
  leader: string;
  term: number;
  /** The leader's own poll that says so. */
  poll: PollEntry;
}

/**
 * The harness's picture of the cluster from the latest ok poll of each node. A node's view is
 * dropped when it is killed, stopped or paused (process entries, or the start of such a fault),
 * so a dead node's last words do not count; it comes back with its next ok poll.
 */
export class ClusterView {
  readonly views = new Map<string, NodeView>();
  private readonly need: number;

  constructor(readonly nodes: readonly string[]) {
    this.need = majority(nodes.length);
  }

  /**
   * Feed entries in time order (node events are ignored). Returns true when some node's term,
   * leader or state changed, or a view was dropped.
   */
  apply(e: HistoryEntry): boolean {
    if (e.type === 'poll') {
      if (e.outcome !== 'ok' || e.term === undefined || e.state === undefined) return false;
      const old = this.views.get(e.node);
      const leader = e.leader ?? null;
      const role = e.role ?? e.state;
      this.views.set(e.node, { term: e.term, leader, state: e.state, role, at: e.t, poll: e });
      return !old || old.term !== e.term || old.leader !== leader || old.state !== e.state || old.role !== role;
    }
    if (e.type === 'process' && (e.action === 'kill' || e.action === 'stop' || e.action === 'pause' || e.action === 'exit')) {
      return this.views.delete(e.node);
    }
    if (e.type === 'fault-start') {
      let changed = false;
      for (const n of faultDown(e)) changed = this.views.delete(n) || changed;
      return changed;
    }
    return false;
  }

  /**
   * The settled leader, if any: a node whose own view says leader in term T, with a majority of
   * the cluster (counting itself) whose views say term T, leader L. Only views from polls at or
   * after `since` count (pass the time of a fault or heal to ask for fresh observations).
   */
  settled(since = Number.NEGATIVE_INFINITY): SettledLeader | null {
    for (const [node, v] of this.views) {
      if (v.state !== 'leader' || v.at < since) continue;
      let count = 0;
      for (const [other, w] of this.views) {
        if (w.at >= since && w.term === v.term && (other === node || follows(w, node))) count++;
      }
      if (count >= this.need) return { leader: node, term: v.term, poll: v.poll };
    }
    return null;
  }

  /**
   * Whether every node of the cluster has a view from at or after `since`, all in one term,
   * following one leader whose own view says leader. Returns that leader and term, or null.
   */
  allFollowOne(since = Number.NEGATIVE_INFINITY): { leader: string; term: number } | null {
    let leader: string | null = null;
    let term = -1;
    for (const n of this.nodes) {
      const v = this.views.get(n);
      if (!v || v.at < since || v.leader === null) return null;
      // Only a follower follows: a candidate naming the leader of its term has not converged.
      if (v.leader !== n && !follows(v, v.leader)) return null;
      if (leader === null) {
        leader = v.leader;
        term = v.term;
      } else if (v.leader !== leader || v.term !== term) return null;
    }
    if (leader === null || this.views.get(leader)?.state !== 'leader') return null;
    return { leader, term };
  }
}
