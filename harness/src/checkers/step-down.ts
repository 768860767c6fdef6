import type { HistoryEntry } from '../history/types.js';
import { reachability } from '../nemesis/reachability.js';
import { ActiveFaults, deadSlowLinks, DownNodes } from './support/active-faults.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown, observedEnd } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult, type Verdict } from './types.js';

/** How long one cut-off leader kept claiming leadership. */
export interface StepDown {
  faultId: string;
  fault: string;
  node: string;
  term: number;
  atMs: number;
  /** Until it stopped claiming, or null (see `outcome`). */
  ms: number | null;
  /**
   * `healed-first`: its majority came back (a fault ended, a node was started or resumed),
   * within the bound, before it stepped down. `none` with `regainedAtMs`: it came back only
   * after the bound, and the leader had not stepped down by then.
   */
  outcome: 'ok' | 'slow' | 'none' | 'healed-first' | 'window-ended' | 'went-down';
  /** When the leader had direct two-way links to a majority again, if it did before stepping down. */
  regainedAtMs?: number;
}

const STOP_EVENTS = new Set(['become-follower', 'become-candidate', 'become-pre-candidate', 'step-down']);

function stoppedClaiming(e: HistoryEntry, node: string, term: number): boolean {
  if ((e as { node?: string }).node !== node) return false;
  if (e.type === 'poll') return e.outcome === 'ok' && (e.state !== 'leader' || e.term !== term);
  if (e.type === 'node-event') return STOP_EVENTS.has(e.kind) || (e.kind === 'term' && typeof e.to === 'number' && e.to > term);
  return false;
}

/**
 * Deposed leaders step down: when a fault leaves the leader up but without direct two-way links
 * to a majority, the time until it stops claiming leadership (a poll saying otherwise, or a
 * step-down, become-follower or become-(pre-)candidate event). With CheckQuorum on each is held
 * to `bounds.stepDownMs`; with it off the durations are only reported.
 *
 * "Cut off" is judged from everything in force at each moment, and judged again at every
 * fault-start, fault-end and process entry, since CheckQuorum only promises a step-down after
 * a whole quorum window without answers from a majority:
 * - links: the cuts of every fault in force, plus pairs whose round trip at the least delay
 *   the latency toxics allow cannot beat the RPC deadline (no heartbeat is answered in time);
 * - nodes: killed, stopped or paused nodes are down until their `start` or `resume` entry (a
 *   killed node answers again once restarted, before its fault's end is recorded); a killed,
 *   stopped or paused leader is not measured (`went-down`).
 * A measurement starts at a fault-start that cuts off its `leaderBefore`, and ends when the
 * leader stops claiming (`ok`, or `slow` past the bound), or when it has a majority again
 * (`healed-first` within the bound; `none` past it, since it kept claiming through a whole
 * bound cut off). Losing the majority again later is a new measurement, from that fault-start.
 */
export const stepDown: Checker = {
  name: 'step-down',
  description: 'With CheckQuorum, a leader cut off from a majority stops claiming leadership within the bound.',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['checkQuorum'], 'has no CheckQuorum, so a cut-off leader that never steps down is correct for it');
    if (lacks !== null) return notApplicable(this.name, lacks);
    const bound = ctx.config.bounds.stepDownMs;
    const enforce = ctx.config.checkQuorum;
    const faults = new ActiveFaults();
    const all: StepDown[] = [];
    let pending: Array<{ s: StepDown; start: HistoryEntry }> = [];
    const w = new Witnesses();
    const end = observedEnd(history);

    const down = new DownNodes();
    const rpcTimeout = ctx.config.rpcTimeout;
    const cutOff = (node: string): boolean =>
      !reachability(ctx.nodes, [...faults.cuts(), ...deadSlowLinks(faults, ctx.nodes, rpcTimeout)], down.get()).hasMajority(node);

    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      faults.apply(e);
      down.apply(e);
      if (e.type === 'fault-start' || e.type === 'fault-end' || e.type === 'process') {
        // What is in force changed: a leader with a majority again is no longer measured.
        pending = pending.filter(({ s, start }) => {
          if (e.type === 'process' && e.node === s.node && e.action !== 'start' && e.action !== 'ready' && e.action !== 'resume') {
            s.outcome = 'went-down';
            return false;
          }
          if (down.has(s.node) || cutOff(s.node)) return true;
          s.regainedAtMs = e.t;
          s.outcome = e.t - s.atMs > bound ? 'none' : 'healed-first';
          if (s.outcome === 'none' && enforce) w.add(start, e);
          return false;
        });
      }
      if (e.type === 'fault-start' && e.leaderBefore) {
        const { node, term } = e.leaderBefore;
        const measured = pending.some(({ s }) => s.node === node && s.term === term);
        if (!measured && !down.has(node) && cutOff(node)) {
          const s: StepDown = { faultId: e.id, fault: e.label, node, term, atMs: e.t, ms: null, outcome: 'none' };
          all.push(s);
          pending.push({ s, start: e });
        }
        continue;
      }
      if (pending.length === 0) continue;
      pending = pending.filter(({ s, start }) => {
        if (stoppedClaiming(e, s.node, s.term)) {
          s.ms = e.t - s.atMs;
          s.outcome = s.ms <= bound ? 'ok' : 'slow';
          if (s.outcome === 'slow' && enforce) w.add(start, e);
          return false;
        }
        return true;
      });
    }
    for (const { s, start } of pending) {
      s.outcome = end - s.atMs > bound ? 'none' : 'window-ended';
      if (s.outcome === 'none' && enforce) w.add(start);
    }

    const timed = all.filter((s) => s.ms !== null).map((s) => s.ms as number);
    const longest = timed.length > 0 ? Math.max(...timed) : null;
    const details = { stepDowns: all, boundMs: bound, enforced: enforce, longestMs: longest };
    const bad = all.filter((s) => s.outcome === 'slow' || s.outcome === 'none');
    const unsure = all.filter((s) => s.outcome === 'window-ended');
    const say = (s: StepDown) =>
      s.outcome === 'slow'
        ? `${s.node} (leader of term ${s.term}) kept claiming for ${ms(s.ms as number)} after ${s.fault} at ${ms(s.atMs)}`
        : s.outcome === 'none' && s.regainedAtMs !== undefined
          ? `${s.node} (leader of term ${s.term}) kept claiming, cut off, for ${ms(s.regainedAtMs - s.atMs)} after ${s.fault} at ${ms(s.atMs)}, until it had a majority again`
          : s.outcome === 'none'
          ? `${s.node} (leader of term ${s.term}) never stepped down after ${s.fault} at ${ms(s.atMs)}`
          : `the run ended before ${s.node} stepped down or the bound passed`;
    let verdict: Verdict = 'valid';
    let message: string;
    if (!enforce) {
      // Without CheckQuorum a cut-off leader keeps claiming by design: durations are reported, nothing judged.
      const why = `CheckQuorum is off, so a cut-off leader need not step down: ${all.length} cut-off leader(s), durations reported only${longest === null ? '' : ` (longest ${ms(longest)})`}.`;
      return notApplicable(this.name, why, details);
    } else if (bad.length > 0) {
      verdict = 'invalid';
      message = `Deposed leader did not step down within ${ms(bound)}: ${bad.slice(0, 3).map(say).join('; ')}.`;
    } else if (unsure.length > 0) {
      verdict = 'unknown';
      message = `Cannot tell: ${unsure.slice(0, 3).map(say).join('; ')}.`;
    } else if (all.length === 0) {
      return notJudged(this.name, 'no fault cut a running leader off from a majority, so no leader had to step down.', details);
    } else {
      message = `${all.length} cut-off leader(s); every one stepped down in time or was healed first${longest === null ? '' : ` (longest ${ms(longest)}, bound ${ms(bound)})`}.`;
    }
    return { name: this.name, verdict, message, witnesses: w.toArray(), details };
  },
};
