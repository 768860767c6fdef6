import type { FaultStartEntry, HistoryEntry } from '../history/types.js';
import { reachability } from '../nemesis/reachability.js';
import { majority } from '../nemesis/targets.js';
import { ActiveFaults } from './support/active-faults.js';
import { ClusterView, type SettledLeader } from './support/cluster-view.js';
import { observedEnd, isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import type { Checker, CheckResult, Verdict } from './types.js';

/**
 * How one measurement ended: `ok` within the bound; `slow` a leader came, late; `none` no
 * leader within the bound; `healed-first` the fault was healed (or, for a heal, another heal
 * came), still within the bound, before a new leader (measured again from that heal);
 * `no-leader-before` there was no leader to remove; `window-ended` the run ended before the
 * bound elapsed; `not-expected` no election is expected (the leader can still send and
 * CheckQuorum is off), reported only; `no-majority` no node can gather a majority while the
 * fault is in force (a majority killed, paused or cut apart, or links slower than the RPC
 * deadline), so no leader is possible until the heal, which is measured instead.
 */
export type FailoverOutcome =
  | 'ok'
  | 'slow'
  | 'none'
  | 'healed-first'
  | 'no-leader-before'
  | 'window-ended'
  | 'not-expected'
  | 'no-majority';

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
 * Whether the leader, though removed from the majority, can still send to a majority: then
 * followers keep hearing it and nobody elects until it steps down (one-way, leader cannot
 * receive), so the measurement must allow for the step-down too.
 */
function leaderStillHeard(f: FaultStartEntry, nodes: readonly string[], faults: ActiveFaults): boolean {
  if (!f.leaderBefore) return false;
  const r = reachability(nodes, faults.cuts(), faults.down());
  const l = f.leaderBefore.node;
  const heardBy = nodes.filter((n) => r.canSend(l, n)).length;
  return 1 + heardBy >= majority(nodes.length);
}

/**
 * Latency in force slows every election: a pre-vote and a vote round trip (two messages each)
 * on slowed links, so the bound grows by four one-way delays.
 */
function slowdown(faults: ActiveFaults): number {
  return 4 * faults.slowestLinkMs();
}

/** Whether any node can gather a majority under the faults in force (reachable and links fast enough). */
function leaderPossible(nodes: readonly string[], faults: ActiveFaults, rpcTimeout: number): boolean {
  if (linksTooSlow(faults, rpcTimeout)) return false;
  const r = reachability(nodes, faults.cuts(), faults.down());
  return nodes.some((n) => r.hasMajority(n));
}

/**
 * Links so slow that a round trip cannot beat the node's RPC deadline: no vote can be counted,
 * so no election can finish until the latency is healed (measured from that heal instead).
 */
function linksTooSlow(faults: ActiveFaults, rpcTimeout: number): boolean {
  return 2 * faults.slowestLinkMs() >= rpcTimeout;
}

/**
 * Election time: after every fault that removes the leader (`removesLeader: true`), the time
 * until a settled leader (followed by a majority in its term, observed by polls after the fault)
 * that is newer than the one removed; after every heal, the time until any settled leader seen
 * by polls after the heal. Each is held to `bounds.electionMs` (plus `bounds.stepDownMs` when
 * the removed leader can still send, so it must step down first, plus four one-way delays of
 * any latency in force). A fault with no leader to
 * remove is unknown, never a pass; no leader by the end of the run is invalid.
 */
export const electionTime: Checker = {
  name: 'election-time',
  description: 'After a fault that removes the leader, and after each heal, a settled leader within the bound.',
  check(history, ctx): CheckResult {
    const { electionMs, stepDownMs } = ctx.config.bounds;
    const view = new ClusterView(ctx.nodes);
    const faults = new ActiveFaults();
    const failovers: Failover[] = [];
    let pending: Pending[] = [];
    const w = new Witnesses();
    const end = observedEnd(history);

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
      view.apply(e);
      faults.apply(e);
      const noLeaderPossible = (e.type === 'fault-start' || e.type === 'fault-end') && !leaderPossible(ctx.nodes, faults, ctx.config.rpcTimeout);
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
        if (e.removesLeader === null || !e.leaderBefore) {
          f.outcome = 'no-leader-before';
          w.add(e);
          continue;
        }
        if (noLeaderPossible) {
          f.outcome = 'no-majority';
          f.informational = true;
          continue;
        }
        f.boundMs = electionMs + slowdown(faults);
        const before = e.leaderBefore;
        const heard = leaderStillHeard(e, ctx.nodes, faults);
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
        pending = pending.filter((p) => {
          if (p.f.faultId === e.id && p.f.kind === 'fault') return false;
          if (p.f.kind !== 'heal') return true;
          // A later heal supersedes an earlier heal's measurement: judge the earlier one now.
          if (e.t - p.f.atMs > p.f.boundMs) finish(p, 'none', null, undefined, e);
          else finish(p, 'healed-first', null);
          return false;
        });
        const f: Failover = { faultId: e.id, fault: e.label, kind: 'heal', atMs: e.t, ms: null, boundMs: electionMs + slowdown(faults), outcome: 'none' };
        failovers.push(f);
        if (noLeaderPossible) {
          // Other faults still leave no majority: the heal that ends them is timed instead.
          f.outcome = 'no-majority';
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
    const unknown = failovers.filter((f) => UNKNOWN.has(f.outcome));
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
      message = 'No fault removed the leader and nothing was healed: no election to time.';
    } else {
      message = `${timed.length} election(s) timed, slowest ${ms(slowest as number)} (bound ${ms(electionMs)}).`;
    }
    return { name: this.name, verdict, message, witnesses: w.toArray(), details };
  },
};
