import type { HistoryEntry } from '../history/types.js';
import { ClusterView } from './support/cluster-view.js';
import { isTeardown, observedEnd } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import type { Checker, CheckResult } from './types.js';

/**
 * Liveness after heal: in the recovery phase (the last `phase: recovery` entry, which follows
 * the final heal), every node of the cluster, polled after that point, follows one leader in
 * one term and that leader says so, within `bounds.recoveryMs`. No recovery phase, or a window
 * shorter than the bound without agreement, is unknown.
 */
export const livenessAfterHeal: Checker = {
  name: 'liveness-after-heal',
  description: 'After the final heal every node follows one leader within the recovery bound.',
  check(history, ctx): CheckResult {
    const bound = ctx.config.bounds.recoveryMs;
    const view = new ClusterView(ctx.nodes);
    let recoveryAt: number | null = null;
    let reached: { at: number; leader: string; term: number; poll: HistoryEntry } | null = null;
    for (const e of history) {
      if (e.type === 'node-event') continue;
      if (isTeardown(e)) break;
      view.apply(e);
      if (e.type === 'phase' && e.phase === 'recovery') {
        recoveryAt = e.t;
        reached = null;
      } else if (e.type === 'poll' && recoveryAt !== null && reached === null) {
        const one = view.allFollowOne(recoveryAt);
        if (one) reached = { at: e.t, ...one, poll: e };
      }
    }
    const name = this.name;
    if (recoveryAt === null) {
      return { name, verdict: 'unknown', message: 'The history has no recovery phase (the run was cut short before the final heal).', witnesses: [] };
    }
    if (reached) {
      const took = reached.at - recoveryAt;
      const details = { recoveryAtMs: recoveryAt, ms: took, boundMs: bound, leader: reached.leader, term: reached.term };
      const w = new Witnesses();
      for (const v of view.views.values()) if (v.at <= reached.at) w.add(v.poll);
      w.add(reached.poll);
      if (took <= bound) {
        return { name, verdict: 'valid', message: `Every node followed ${reached.leader} in term ${reached.term} ${ms(took)} after the final heal (bound ${ms(bound)}).`, witnesses: [], details };
      }
      return { name, verdict: 'invalid', message: `Every node followed one leader only ${ms(took)} after the final heal (bound ${ms(bound)}).`, witnesses: w.toArray(), details };
    }
    const end = observedEnd(history);
    const window = end - recoveryAt;
    const w = new Witnesses();
    const states = ctx.nodes.map((n) => {
      const v = view.views.get(n);
      if (!v || v.at < recoveryAt) return `${n}: no ok poll`;
      w.add(v.poll);
      return `${n}: term ${v.term} ${v.state}${v.leader ? ` of ${v.leader}` : ', no leader'}`;
    });
    const details = { recoveryAtMs: recoveryAt, ms: null, boundMs: bound, windowMs: window };
    if (window < bound) {
      return { name, verdict: 'unknown', message: `The recovery window (${ms(window)}) ended before the bound (${ms(bound)}) without every node following one leader; make recoveryMs longer.`, witnesses: w.toArray(), details };
    }
    return {
      name,
      verdict: 'invalid',
      message: `No single leader followed by every node within ${ms(window)} of the final heal; at the end: ${states.join('; ')}.`,
      witnesses: w.toArray(),
      details,
    };
  },
};
