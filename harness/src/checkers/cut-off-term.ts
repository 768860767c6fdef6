import type { HistoryEntry } from '../history/types.js';
import { MajorityWatch } from './support/majority-watch.js';
import { faultGraceMs, Pending } from './support/pending.js';
import { termShown } from './support/terms.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A node that started a new term while it could not reach a majority. */
export interface CutOffTerm {
  node: string;
  term: number;
  atMs: number;
  cutOffSinceMs: number;
}

/** How long a node must have been cut off before a new term of its own is a violation. */
export function cutOffWindowMs(c: { electionTimeoutMin: number; rpcTimeout: number }): number {
  return c.electionTimeoutMin + c.rpcTimeout;
}

/**
 * A cut-off node keeps its term (thesis §9.6): with Pre-Vote on, a node becomes a candidate (and
 * raises its term) only after a majority granted its pre-vote, which a node without direct
 * two-way links to a majority (`MajorityWatch.cutOff`: down, cut, or behind links too slow for
 * any RPC) cannot get. Invalid when a node shows a term above every term seen so far (a `term`
 * event or a poll) after being cut off for `cutOffWindowMs` (pre-vote answers it had before the
 * cut are spent by then), unless a fault or process entry within `faultGraceMs` after it gives
 * the node a majority (that heal was under way). Terms it learns from the peers it still
 * reaches are not new, nor a term another node raised stamped in the same millisecond. Not
 * applicable with Pre-Vote off; unknown when no node was ever cut off that long.
 */
export const cutOffTerm: Checker = {
  name: 'cut-off-term',
  description: 'With Pre-Vote, a node that cannot reach a majority does not raise its term.',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['preVote'], 'has no Pre-Vote, so a cut-off node raises its term on every timeout by design');
    if (lacks !== null) return notApplicable(this.name, lacks);
    if (!ctx.config.preVote) {
      return { name: this.name, verdict: 'valid', message: 'Not applicable: Pre-Vote is off, so a cut-off node raises its term on every timeout by design.', witnesses: [], details: { applicable: false } };
    }
    const window = cutOffWindowMs(ctx.config);
    const watch = new MajorityWatch(ctx.nodes, ctx.config, { history });
    const found: CutOffTerm[] = [];
    const w = new Witnesses();
    let maxTerm = 0;
    let judgedMs = 0;
    let lastT = 0;
    const pending = new Pending<{ v: CutOffTerm; e: HistoryEntry }>(faultGraceMs(ctx.config));
    const confirm = (xs: Array<{ v: CutOffTerm; e: HistoryEntry }>) => {
      for (const x of xs) {
        found.push(x.v);
        w.add(x.e);
      }
    };
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      for (const n of ctx.nodes) if (watch.cutOff(n, lastT, window)) judgedMs += e.t - lastT;
      lastT = e.t;
      // A heal recorded just after the new term may have reached the node's links before it.
      confirm(pending.confirmed(e.t));
      if (watch.apply(e)) pending.recheck((x) => watch.cutOff(x.v.node, e.t));
      const shown = termShown(e);
      // A peer may have raised the term first within the same millisecond: a real node stamps
      // its events in whole ms (`wall`) and each node's are read in their own poll, so the
      // campaigner's event can come after the cut-off node's adoption. (Simulated stamps are
      // exact: no tie there.) A peer adopting the term (`higher-term:...`) excuses nothing.
      if (shown && e.type === 'node-event' && e.kind === 'term' && !String(e['reason'] ?? '').startsWith('higher-term')) {
        pending.recheck((x) => x.e.type !== 'node-event' || shown.node === x.v.node || shown.term !== x.v.term || e.wall > x.e.wall);
      }
      if (!shown || shown.term <= maxTerm) continue;
      maxTerm = shown.term;
      if (watch.cutOff(shown.node, e.t, window)) {
        pending.add(e.t, { v: { node: shown.node, term: shown.term, atMs: e.t, cutOffSinceMs: watch.cutOffSince(shown.node) as number }, e });
      }
    }
    confirm(pending.drain());
    const details = { applicable: true, violations: found, windowMs: window, judgedMs };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((x) => `${x.node} started term ${x.term} at ${ms(x.atMs)}, cut off from a majority since ${ms(x.cutOffSinceMs)}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `A node without a majority raised the term: ${say}${found.length > 3 ? ` (${found.length} in all)` : ''}.`, witnesses: w.toArray(), details };
    }
    if (judgedMs === 0) {
      return { name: this.name, verdict: 'valid', message: `Not judged: no node was cut off from a majority for ${ms(window)}.`, witnesses: [], details: { ...details, judged: false } };
    }
    return { name: this.name, verdict: 'valid', message: `No cut-off node raised its term (${ms(judgedMs)} of cut-off nodes watched).`, witnesses: [], details };
  },
};
