import type { FaultStartEntry, HistoryEntry } from '../history/types.js';
import { reachability } from '../nemesis/reachability.js';
import { majority } from '../nemesis/targets.js';
import type { ProcessEntry } from '../history/types.js';
import { ActiveFaults, faultApplied, slowestAddedDelay, unreliableSlowLinks } from './support/active-faults.js';
import { ClusterView, type SettledLeader } from './support/cluster-view.js';
import { observedEnd, isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { voteOverheadMs } from './support/write-time.js';
import { notJudged, type Checker, type CheckResult, type Verdict } from './types.js';

/**
 * How one measurement ended: `ok` within the bound; `slow` a leader came, late; `none` no
 * leader within the bound; `healed-first` the fault was healed (or, for a heal, another heal
 * came; or another fault's end gave the removed leader its majority back, see `leaderBack`),
 * still within the bound, before a new leader (measured again from that heal);
 * `no-leader-before` there was no leader to remove while an earlier fault's or heal's wait for
 * a leader was still being timed (only reported: that wait measures it; otherwise such a fault
 * is timed, see `Failover.noLeaderBefore`); `window-ended` the run ended before the
 * bound elapsed; `not-expected` no election is expected (the leader can still send and
 * CheckQuorum is off), reported only; `no-majority` no node can gather a majority while the
 * fault is in force (a majority killed, paused or cut apart, or links slower than the RPC
 * deadline), or for a fault that found no leader already before it, so no leader is possible
 * until the heal, which is measured instead; `disrupted` with Pre-Vote off, a node that cannot
 * win an election can still start them (see `disrupters`), so no bound on the wait holds until
 * a heal ends that, and the heal is measured instead.
 */
export type FailoverOutcome =
  | 'ok'
  | 'slow'
  | 'none'
  | 'healed-first'
  | 'no-leader-before'
  | 'window-ended'
  | 'not-expected'
  | 'no-majority'
  | 'disrupted';

/** One measured failover, as the report shows it. */
export interface Failover {
  faultId: string;
  /** The fault's label. */
  fault: string;
  /** `fault`: measured from a fault that removed the leader; `heal`: from a fault's end. */
  kind: 'fault' | 'heal';
  atMs: number;
  /** Time until a settled leader, or null when none came (see `outcome`). */
  ms: number | null;
  boundMs: number;
  outcome: FailoverOutcome;
  leader?: string;
  term?: number;
  /** Set when the measurement is only reported, not held to the bound (see `not-expected`). */
  informational?: true;
  /**
   * Set for a fault that found no settled leader (mid-election) while the nodes it left could
   * still elect one: timed from the fault to any settled leader, the bound allowing for a
   * step-down.
   */
  noLeaderBefore?: true;
  /**
   * Set when the removed leader had a majority again (another fault ended) before anyone
   * replaced it: the measurement ended there, like a heal (`healed-first` within the bound).
   */
  leaderBack?: true;
}

interface Pending {
  f: Failover;
  start: HistoryEntry;
  accept: (s: SettledLeader) => boolean;
  /** Reported, but not held to the bound. */
  informational: boolean;
}

const BAD: ReadonlySet<FailoverOutcome> = new Set(['slow', 'none']);
const UNKNOWN: ReadonlySet<FailoverOutcome> = new Set(['no-leader-before', 'window-ended']);

/**
 * Whether the election must wait for the removed leader to step down: no node could win
 * before it does. A node wins only with pre-votes from a majority, and a follower that still
 * hears the old leader refuses them (its lease) and keeps resetting its own timer, so a quick
 * winner is an up node that does not hear the old leader and has direct two-way links (not
 * too slow) to enough other such nodes to make a majority with itself. When there is none
 * (for instance the leader can still send to a majority: one-way, cannot receive; or it still
 * reaches the only node that could gather a majority, as a bridge node), the leader must
 * first step down (CheckQuorum), so the measurement allows for the step-down too.
 */
function waitsForStepDown(f: FaultStartEntry, nodes: readonly string[], faults: ActiveFaults, rpcTimeout: number, overheadMs: number): boolean {
  if (!f.leaderBefore) return false;
  const l = f.leaderBefore.node;
  // Heartbeats that arrive late still reset a follower's timer: hearing counts slow links.
  const heard = reachability(nodes, faults.cuts(), faults.down());
  const r = reachability(nodes, [...faults.cuts(), ...unreliableSlowLinks(faults, nodes, rpcTimeout, overheadMs)], faults.down());
  const free = nodes.filter((n) => n !== l && r.component(n).length > 0 && !heard.canSend(l, n));
  const need = majority(nodes.length);
  return !free.some((c) => 1 + free.filter((p) => p !== c && r.twoWay(c, p)).length >= need);
}

/**
 * Links slowed by toxics slow every election: a pre-vote and a vote round trip (two messages
 * each), so the bound grows by four of the slowest one-way delays in force (latency and
 * jitter, and a bandwidth toxic's transmit time).
 */
function slowdown(nodes: readonly string[], faults: ActiveFaults): number {
  return 4 * slowestAddedDelay(faults, nodes);
}

/**
 * Nodes that exited by themselves (no kill or stop asked since their last start: a node whose
 * disk refused a save, one that refused to start), down until they start again. Not DownNodes:
 * that one also holds a node the nemesis killed until its `start` record, which comes after the
 * heal's `fault-end`, so every heal of a kill would look as if it left no majority.
 */
class ExitedByThemselves {
  private readonly asked = new Set<string>();
  private readonly exited = new Set<string>();

  apply(e: HistoryEntry): void {
    if (e.type !== 'process') return;
    const p: ProcessEntry = e;
    if (p.action === 'kill' || p.action === 'stop') this.asked.add(p.node);
    else if (p.action === 'start') {
      this.asked.delete(p.node);
      this.exited.delete(p.node);
    } else if (p.action === 'exit' && !this.asked.has(p.node)) this.exited.add(p.node);
  }

  get(): ReadonlySet<string> {
    return this.exited;
  }
}

/**
 * Whether any node can gather a majority under the faults in force: up (neither taken down by
 * the nemesis nor exited by itself, as a node whose disk refused a save does: `down`), with direct two-way links to a majority, over links whose slowest round trip
 * beats the RPC deadline, with room for what a vote takes besides the toxics (`overheadMs`:
 * healthy links and the voter's save before it answers; a link slower than that may fail every
 * vote, so no election over it can be held to the bound; the heal that speeds it up is measured
 * instead).
 */
function leaderPossible(nodes: readonly string[], faults: ActiveFaults, down: ExitedByThemselves, rpcTimeout: number, overheadMs: number): boolean {
  const r = reachability(nodes, [...faults.cuts(), ...unreliableSlowLinks(faults, nodes, rpcTimeout, overheadMs)], new Set([...faults.down(), ...down.get()]));
  return nodes.some((n) => r.hasMajority(n));
}

/**
 * With Pre-Vote off, the up nodes that cannot win an election under the faults in force (no
 * direct two-way links, fast enough, to a majority) yet can still start one that matters: their
 * messages reach (over a link not cut; a slow one delivers too) a node that can win or that can
 * vote for one. Such a node hears no leader it could follow before one is elected, so it times
 * out and campaigns; every node its RequestVote reaches adopts the higher term, steps down if it
 * was a candidate, grants the vote and restarts its election timer (Figure 2: RequestVote and
 * "Rules for Servers", followers), so a node that could win must time out before every such
 * campaign, round after round. The bound's "one timeout and one split vote" (`deriveBounds`)
 * then does not hold: Raft without Pre-Vote promises no election time while a node that cannot
 * win keeps campaigning (the disruption Pre-Vote exists to prevent, thesis §9.6; such nodes can
 * keep a cluster from electing for as long as the faults last). With Pre-Vote on, they never
 * get past the pre-vote (no majority grants it) and a pre-vote changes no term or timer: empty.
 */
export function disrupters(
  nodes: readonly string[],
  faults: ActiveFaults,
  exited: ReadonlySet<string>,
  rpcTimeout: number,
  overheadMs: number,
  preVote: boolean,
): string[] {
  if (preVote) return [];
  const down = new Set([...faults.down(), ...exited]);
  const win = reachability(nodes, [...faults.cuts(), ...unreliableSlowLinks(faults, nodes, rpcTimeout, overheadMs)], down);
  const send = reachability(nodes, faults.cuts(), down);
  const winners = nodes.filter((n) => win.hasMajority(n));
  if (winners.length === 0) return [];
  // Nodes whose vote or timer an election that can be won depends on: the winners and their voters.
  const needed = new Set(winners.flatMap((w) => [w, ...win.twoWayPeers(w)]));
  return nodes.filter((d) => !down.has(d) && !win.hasMajority(d) && [...needed].some((v) => send.canSend(d, v)));
}

/**
 * What can be promised of an election under the faults in force: `possible` within the bound;
 * `no-majority` no node can gather a majority (see `leaderPossible`); `disrupted` one can, but
 * with Pre-Vote off a node that cannot win can keep starting elections (see `disrupters`).
 */
type Outlook = 'possible' | 'no-majority' | 'disrupted';

function outlook(nodes: readonly string[], faults: ActiveFaults, down: ExitedByThemselves, rpcTimeout: number, overheadMs: number, preVote: boolean): Outlook {
  if (!leaderPossible(nodes, faults, down, rpcTimeout, overheadMs)) return 'no-majority';
  return disrupters(nodes, faults, down.get(), rpcTimeout, overheadMs, preVote).length > 0 ? 'disrupted' : 'possible';
}

/**
 * Election time: after every fault that removes the leader (`removesLeader: true`), the time
 * until a settled leader (followed by a majority in its term, observed by polls after the fault)
 * that is newer than the one removed; after every heal, the time until any settled leader seen
 * by polls after the heal. Each is held to `bounds.electionMs` (plus `bounds.stepDownMs` when
 * no node can win before the removed leader steps down, see `waitsForStepDown`, plus four
 * one-way delays of the slowest link in force). A fault that found no settled leader to remove
 * (it struck mid-election) is timed from its start to any settled leader, held to
 * `electionMs + stepDownMs` (plus slow links), unless the faults in force leave no majority
 * (then the heal is timed) or an earlier wait for a leader was still timed (that wait measures
 * it); no leader by the end of the run is invalid. A fault the nemesis could not apply (`notApplied`:
 * it waited for a leader to aim at and none came) changed nothing and is not timed: the wait
 * it made is judged by what was being timed then, or, at the start, by `liveness-at-start`.
 */
export const electionTime: Checker = {
  name: 'election-time',
  description: 'After a fault that removes the leader, and after each heal, a settled leader within the bound.',
  check(history, ctx): CheckResult {
    const { electionMs, stepDownMs } = ctx.config.bounds;
    /** What a vote's round trip takes besides the toxics (healthy links, the voter's save): a slowed link counts for an election only if it leaves room for it. */
    const overheadMs = voteOverheadMs(ctx.config.disk);
    const view = new ClusterView(ctx.nodes);
    const faults = new ActiveFaults();
    /** Nodes that exited by themselves (a disk fault stops a node): down as the nemesis's are. */
    const down = new ExitedByThemselves();
    const failovers: Failover[] = [];
    let pending: Pending[] = [];
    const w = new Witnesses();
    const end = observedEnd(history);
    /** Faults the nemesis could not apply (no leader to aim at): they changed nothing, so nothing is timed from them. */
    const skipped = new Set<string>();

    const finish = (p: Pending, outcome: FailoverOutcome, msValue: number | null, s?: SettledLeader, at?: HistoryEntry) => {
      p.f.outcome = outcome;
      p.f.ms = msValue;
      if (s) {
        p.f.leader = s.leader;
        p.f.term = s.term;
      }
      if (BAD.has(outcome) && !p.informational) w.add(p.start, s?.poll, at);
    };

    for (const e of history) {
      if (e.type === 'node-event') continue;
      if (isTeardown(e)) break;
      if (e.type === 'fault-start' && !faultApplied(e)) {
        skipped.add(e.id);
        continue;
      }
      if (e.type === 'fault-end' && skipped.has(e.id)) continue;
      view.apply(e);
      const changes = e.type === 'fault-start' || e.type === 'fault-end' || (e.type === 'process' && e.action === 'exit');
      const look = () => outlook(ctx.nodes, faults, down, ctx.config.rpcTimeout, overheadMs, ctx.config.preVote);
      // What the faults in force promised when this one began (`no-majority`: no leader could
      // exist, so a fault finding none removed nothing; `disrupted`: none within a bound).
      const lookBefore: Outlook = changes ? look() : 'possible';
      faults.apply(e);
      down.apply(e);
      const lookAfter: Outlook = changes ? look() : 'possible';
      const noLeaderPossible = (e.type === 'fault-start' || e.type === 'fault-end') && lookAfter === 'no-majority';
      if ((e.type === 'process' && lookBefore === 'possible' && lookAfter !== 'possible') || (e.type !== 'process' && lookBefore !== 'disrupted' && lookAfter === 'disrupted')) {
        // A node's own exit (its disk refused a save, it refused to start) left no majority, or
        // a change left a node that keeps starting elections it cannot win (Pre-Vote off): as
        // for a fault that leaves no majority, what was being timed waits for a heal, which is
        // timed instead; one already past its bound stays too slow.
        for (const p of pending) {
          if (!p.informational && e.t - p.f.atMs > p.f.boundMs) finish(p, 'none', null, undefined, e);
          else {
            finish(p, lookAfter, null);
            p.f.informational = true;
          }
        }
        pending = [];
      }
      if (e.type === 'fault-start' && noLeaderPossible) {
        // This fault leaves no majority: whatever was being timed cannot finish until a heal,
        // and that heal is timed instead.
        for (const p of pending) finish(p, 'no-majority', null);
        for (const p of pending) p.f.informational = true;
        pending = [];
      }
      if (e.type === 'fault-start' && e.removesLeader !== false) {
        const f: Failover = { faultId: e.id, fault: e.label, kind: 'fault', atMs: e.t, ms: null, boundMs: electionMs, outcome: 'none' };
        failovers.push(f);
        if ((e.removesLeader === null || !e.leaderBefore) && lookBefore !== 'possible') {
          // No leader because the faults in force leave no majority (or keep it from electing
          // one, `disrupted`): nothing to remove, and the heal that ends that is timed.
          f.outcome = lookBefore;
          f.informational = true;
          continue;
        }
        if (e.removesLeader === null || !e.leaderBefore) {
          f.outcome = 'no-leader-before';
          // While an earlier fault's or heal's wait for a leader is still timed, the cluster had
          // no leader to remove because it was electing one: that wait measures it, nothing is lost.
          if (pending.some((p) => !p.informational)) {
            f.informational = true;
            continue;
          }
          if (lookAfter !== 'possible') {
            f.outcome = lookAfter;
            f.informational = true;
            continue;
          }
          // A fault that struck mid-election (one fired by a node event, or started while the
          // cluster was between leaders): the nodes it leaves can still gather a majority, so
          // one is elected within a few election timeouts of it (§5.2). Timed from the fault,
          // as if it had removed a leader the polls had not yet seen settle, which may first
          // have to step down: the bound allows for that (plus slow links in force).
          f.noLeaderBefore = true;
          f.outcome = 'none';
          f.boundMs = electionMs + stepDownMs + slowdown(ctx.nodes, faults);
          pending.push({ f, start: e, accept: () => true, informational: false });
          continue;
        }
        if (lookAfter !== 'possible') {
          // No majority, or a node that cannot win keeps starting elections (Pre-Vote off): no
          // bound on the wait; the heal that ends it is timed.
          f.outcome = lookAfter;
          f.informational = true;
          continue;
        }
        f.boundMs = electionMs + slowdown(ctx.nodes, faults);
        const before = e.leaderBefore;
        const heard = waitsForStepDown(e, ctx.nodes, faults, ctx.config.rpcTimeout, overheadMs);
        if (heard) f.boundMs += stepDownMs;
        const informational = heard && !ctx.config.checkQuorum;
        if (informational) f.informational = true;
        pending.push({ f, start: e, accept: (s) => s.term > before.term || s.leader !== before.node, informational });
      } else if (e.type === 'fault-end') {
        for (const p of pending) {
          if (p.f.faultId !== e.id || p.f.kind !== 'fault') continue;
          const elapsed = e.t - p.f.atMs;
          if (p.informational) finish(p, 'not-expected', null);
          else if (elapsed > p.f.boundMs) finish(p, 'none', null, undefined, e);
          else finish(p, 'healed-first', null);
        }
        // Another fault's end (a resumed or restarted node, a healed link) can give the removed
        // leader its majority back before it stepped down: then nobody needs to replace it, so
        // the removal is over, as if healed (the heal is measured from here, below).
        const back = reachability(ctx.nodes, faults.cuts(), faults.down());
        for (const p of pending) {
          if (p.f.kind !== 'fault' || p.f.faultId === e.id || p.start.type !== 'fault-start' || !p.start.leaderBefore) continue;
          if (!back.hasMajority(p.start.leaderBefore.node)) continue;
          p.f.leaderBack = true;
          if (p.informational) finish(p, 'not-expected', null);
          else if (e.t - p.f.atMs > p.f.boundMs) finish(p, 'none', null, undefined, e);
          else finish(p, 'healed-first', null);
        }
        pending = pending.filter((p) => {
          if (p.f.kind === 'fault' && (p.f.faultId === e.id || p.f.leaderBack)) return false;
          if (p.f.kind !== 'heal') return true;
          // A later heal supersedes an earlier heal's measurement: judge the earlier one now.
          if (e.t - p.f.atMs > p.f.boundMs) finish(p, 'none', null, undefined, e);
          else finish(p, 'healed-first', null);
          return false;
        });
        const f: Failover = { faultId: e.id, fault: e.label, kind: 'heal', atMs: e.t, ms: null, boundMs: electionMs + slowdown(ctx.nodes, faults), outcome: 'none' };
        failovers.push(f);
        if (lookAfter !== 'possible') {
          // Other faults still leave no majority, or a node that campaigns in vain (Pre-Vote
          // off): the heal that ends them is timed instead.
          f.outcome = lookAfter;
          f.informational = true;
        } else {
          pending.push({ f, start: e, accept: () => true, informational: false });
        }
      } else if (e.type === 'poll' && pending.length > 0) {
        const settledSince = new Map<number, SettledLeader | null>();
        pending = pending.filter((p) => {
          let s = settledSince.get(p.f.atMs);
          if (s === undefined) settledSince.set(p.f.atMs, (s = view.settled(p.f.atMs)));
          if (!s || !p.accept(s)) return true;
          const took = e.t - p.f.atMs;
          finish(p, took <= p.f.boundMs || p.informational ? 'ok' : 'slow', took, s, e);
          return false;
        });
      }
    }
    for (const p of pending) {
      if (p.informational) finish(p, 'not-expected', null);
      else finish(p, end - p.f.atMs >= p.f.boundMs ? 'none' : 'window-ended', null);
    }

    const bad = failovers.filter((f) => BAD.has(f.outcome) && !f.informational);
    const unknown = failovers.filter((f) => UNKNOWN.has(f.outcome) && !f.informational);
    const timed = failovers.filter((f) => f.ms !== null).map((f) => f.ms as number);
    const slowest = timed.length > 0 ? Math.max(...timed) : null;
    const details = { failovers, boundMs: electionMs, measured: timed.length, slowestMs: slowest };
    const describe = (f: Failover) =>
      f.outcome === 'slow'
        ? `after ${f.kind === 'heal' ? 'healing ' : ''}${f.fault} at ${ms(f.atMs)} a settled leader took ${ms(f.ms as number)} (bound ${ms(f.boundMs)})`
        : f.outcome === 'none'
          ? `after ${f.kind === 'heal' ? 'healing ' : ''}${f.fault} at ${ms(f.atMs)} no settled leader within ${ms(f.boundMs)}`
          : f.outcome === 'no-leader-before'
            ? `${f.fault} at ${ms(f.atMs)} started with no leader to remove`
            : `the run ended ${ms(end - f.atMs)} after ${f.kind === 'heal' ? 'healing ' : ''}${f.fault}, before a leader or the bound`;
    let verdict: Verdict = 'valid';
    let message: string;
    if (bad.length > 0) {
      verdict = 'invalid';
      message = `Election too slow: ${bad.slice(0, 3).map(describe).join('; ')}${bad.length > 3 ? ` (${bad.length} in all)` : ''}.`;
    } else if (unknown.length > 0) {
      verdict = 'unknown';
      message = `Cannot tell: ${unknown.slice(0, 3).map(describe).join('; ')}${unknown.length > 3 ? ` (${unknown.length} in all)` : ''}.`;
    } else if (timed.length === 0) {
      const why = failovers.length === 0 ? 'no fault removed the leader and nothing was healed, so no election to time.' : `none of the ${failovers.length} fault(s) and heal(s) needed an election, so none was timed.`;
      return notJudged(this.name, why, details);
    } else {
      const after = (k: Failover['kind']) => failovers.filter((f) => f.ms !== null && f.kind === k).length;
      message =
        `${timed.length} wait(s) for a settled leader timed (${after('fault')} after a fault removed the leader, ${after('heal')} after a heal), ` +
        `slowest ${ms(slowest as number)} (bound ${ms(electionMs)}).`;
    }
    return { name: this.name, verdict, message, witnesses: w.toArray(), details };
  },
};
