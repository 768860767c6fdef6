import type { HistoryEntry } from '../history/types.js';
import { faultApplied } from './support/active-faults.js';
import { ClusterView, type SettledLeader } from './support/cluster-view.js';
import { isTeardown, observedEnd } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, type Checker, type CheckResult } from './types.js';

/**
 * Liveness at the start (Raft §5.2, §5.6: with election timeouts in range and a majority up
 * and connected, a leader is elected within a few election timeouts): from the moment the
 * cluster is up (the `warmup` phase: every node started, late ones of a staggered start
 * included), while no fault is in force, a settled leader (followed by a majority in its term,
 * as polled) within `bounds.recoveryMs`: a node boots and waits out its timeout, then up to
 * two elections (one split vote) and the polls that see the winner (`2 electionMs`), plus a
 * process start's slack (1 s) for hosts at load. Looser than `election-time`'s bound on
 * purpose: a first election has timing of its own (every node's timer starts at once).
 *
 * One place per decision: this check judges only the start, up to the first fault that was
 * applied; a fault the nemesis could not aim (no leader) does not end it. After each heal, the
 * final one included, `election-time` times the wait for a leader (and `liveness-after-heal`
 * the convergence of every node); a leader lost with no fault in force is `stable-leadership`'s.
 * No leader within the bound: invalid, with the window and every node's last role and term.
 * The first fault or the run's end coming sooner: not judged.
 */
export const livenessAtStart: Checker = {
  name: 'liveness-at-start',
  description: 'From the cluster start, with no fault in force, a settled leader within the recovery bound.',
  check(history, ctx): CheckResult {
    const bound = ctx.config.bounds.recoveryMs;
    const view = new ClusterView(ctx.nodes);
    let from: number | null = null;
    let until: number | null = null;
    let cutBy: string | null = null;
    let found: { s: SettledLeader; at: HistoryEntry } | null = null;
    for (const e of history) {
      if (e.type === 'node-event') continue;
      if (isTeardown(e)) break;
      if (from !== null && faultApplied(e)) {
        until = e.t;
        cutBy = e.type === 'fault-start' ? e.label : null;
        break;
      }
      view.apply(e);
      const upNow = e.type === 'phase' && e.phase === 'warmup' && from === null;
      if (upNow) from = e.t;
      // A leader may have settled before the last node was up (a staggered start): the polls
      // already seen count from the moment the cluster is up.
      if (from !== null && (e.type === 'poll' || upNow)) {
        const s = view.settled();
        if (s) {
          found = { s, at: e };
          break;
        }
      }
    }
    const name = this.name;
    if (from === null) return notJudged(name, 'the cluster never got started (no warmup phase), so no first election to time.', { boundMs: bound });
    const start = from;
    if (found) {
      const took = Math.max(0, found.at.t - start);
      const details = { fromMs: start, ms: took, boundMs: bound, leader: found.s.leader, term: found.s.term };
      if (took <= bound) {
        return { name, verdict: 'valid', message: `A settled leader, ${found.s.leader} in term ${found.s.term}, ${ms(took)} after the cluster was up (bound ${ms(bound)}).`, witnesses: [], details };
      }
      const w = new Witnesses();
      w.add(found.s.poll, found.at);
      return { name, verdict: 'invalid', message: `No leader for ${ms(took)} after the cluster was up at ${ms(start)} with no fault in force (bound ${ms(bound)}): ${found.s.leader} settled in term ${found.s.term} only then.`, witnesses: w.toArray(), details };
    }
    const end = until ?? observedEnd(history);
    const window = end - start;
    const w = new Witnesses();
    const states = ctx.nodes.map((n) => {
      const v = view.views.get(n);
      if (!v) return `${n}: no ok poll`;
      w.add(v.poll);
      return `${n}: ${v.role} in term ${v.term}${v.leader ? ` (leader ${v.leader})` : ''}`;
    });
    const details = { fromMs: start, toMs: end, ms: null, boundMs: bound, windowMs: window, nodes: states };
    if (window < bound) {
      const cut = cutBy !== null ? `the first fault (${cutBy}) began` : 'the run ended';
      return notJudged(name, `${cut} ${ms(window)} after the cluster was up, before a leader or the bound (${ms(bound)}).`, details);
    }
    return {
      name,
      verdict: 'invalid',
      message: `No leader elected from ${ms(start)} to ${ms(end)} (${ms(window)}, bound ${ms(bound)}) with no fault in force; last seen: ${states.join('; ')}.`,
      witnesses: w.toArray(),
      details,
    };
  },
};
