import type { HistoryEntry } from '../history/types.js';
import { MajorityWatch } from './support/majority-watch.js';
import { faultGraceMs, Pending } from './support/pending.js';
import { termShown } from './support/terms.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A leader deposed while it kept a clean majority. */
export interface NeedlessElection {
  leader: string;
  term: number;
  /** The node that started the new term, or the leader itself for a step-down. */
  by: string;
  newTerm: number | null;
  atMs: number;
  /** Since when the leader had had a clean majority. */
  majoritySinceMs: number;
  how: 'new-term' | 'step-down';
}

/** How long a leader must have led with a clean majority before deposing it is needless. */
export function needlessWindowMs(c: { electionTimeoutMax: number; rpcTimeout: number; heartbeatInterval: number }): number {
  return 2 * c.electionTimeoutMax + c.rpcTimeout + c.heartbeatInterval;
}

/**
 * No needless elections (thesis §9.6, Pre-Vote and CheckQuorum): with Pre-Vote on, a leader that
 * keeps direct two-way links to a majority, unslowed (see `MajorityWatch.clean`), is never
 * deposed, whoever was cut off or restarted meanwhile: its followers hear it within every
 * election timeout, so they refuse every pre-vote, and CheckQuorum hears a majority. Invalid
 * when a node starts a term above the leader's (a `term` event, or a poll showing a new highest
 * term), or the leader steps down on its own, while the leader has had such a majority for a
 * whole window (`needlessWindowMs`: two quorum windows, an RPC and a heartbeat, so what a fault
 * set in motion has finished), unless a fault or process entry within `faultGraceMs` after it
 * takes that majority away (the fault was being applied). Applies with Pre-Vote on only: off, a rejoining node's higher
 * term deposes the leader by design (the report says "not applicable"). Unknown when no leader
 * was ever watched through a window.
 */
export const needlessElection: Checker = {
  name: 'needless-election',
  description: 'With Pre-Vote, no election deposes a leader that kept a majority (a node cut off or restarted rejoins without one).',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['preVote'], 'has no Pre-Vote, so a rejoining node may depose the leader by design');
    if (lacks !== null) return notApplicable(this.name, lacks);
    if (!ctx.config.preVote) {
      return { name: this.name, verdict: 'valid', message: 'Not applicable: Pre-Vote is off, so a rejoining node may depose the leader by design.', witnesses: [], details: { applicable: false } };
    }
    const window = needlessWindowMs(ctx.config);
    const watch = new MajorityWatch(ctx.nodes, ctx.config);
    const found: NeedlessElection[] = [];
    const w = new Witnesses();
    let maxTerm = 0;
    let leader: { node: string; term: number; since: number; entry: HistoryEntry } | null = null;
    let watchedMs = 0;
    let lastT = 0;
    const steady = (t: number) => leader !== null && leader.term === maxTerm && t - leader.since >= window && watch.clean(leader.node, t, window);

    const pending = new Pending<{ v: NeedlessElection; leader: HistoryEntry; e: HistoryEntry }>(faultGraceMs(ctx.config));
    const flag = (v: NeedlessElection, leaderEntry: HistoryEntry, e: HistoryEntry) => pending.add(e.t, { v, leader: leaderEntry, e });
    const confirm = (xs: Array<{ v: NeedlessElection; leader: HistoryEntry; e: HistoryEntry }>) => {
      for (const x of xs) {
        found.push(x.v);
        w.add(x.leader, x.e);
      }
    };
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      if (steady(e.t) && steady(lastT)) watchedMs += e.t - lastT;
      lastT = e.t;
      // A fault recorded just after the election may have reached the leader's links before it.
      confirm(pending.confirmed(e.t));
      if (watch.apply(e)) pending.recheck((x) => watch.clean(x.v.leader, e.t));
      // A killed or stopped leader comes back a follower; a paused one resumes leading (the
      // watch counts it down meanwhile, so its window starts again at the resume).
      if (leader && e.type === 'process' && e.node === leader.node && (e.action === 'kill' || e.action === 'stop' || e.action === 'exit' || e.action === 'start')) leader = null;
      if (e.type === 'node-event') {
        if (e.kind === 'become-leader' && e.term >= maxTerm) {
          leader = { node: e.node, term: e.term, since: e.t, entry: e };
          maxTerm = e.term;
          continue;
        }
        if (leader && e.node === leader.node && (e.kind === 'start' || e.kind === 'step-down')) {
          if (e.kind === 'step-down' && e.term === leader.term && steady(e.t)) {
            flag({ leader: leader.node, term: leader.term, by: e.node, newTerm: null, atMs: e.t, majoritySinceMs: watch.cleanSinceOf(leader.node) as number, how: 'step-down' }, leader.entry, e);
          }
          leader = null;
        }
      }
      const shown = termShown(e);
      if (!shown || shown.term <= maxTerm) continue;
      if (leader && steady(e.t)) {
        flag({ leader: leader.node, term: leader.term, by: shown.node, newTerm: shown.term, atMs: e.t, majoritySinceMs: watch.cleanSinceOf(leader.node) as number, how: 'new-term' }, leader.entry, e);
      }
      maxTerm = shown.term;
      leader = null;
    }

    confirm(pending.drain());
    const details = { applicable: true, needless: found, windowMs: window, watchedMs };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((x) =>
          x.how === 'step-down'
            ? `${x.leader} (leader of term ${x.term}) stepped down at ${ms(x.atMs)} with a majority since ${ms(x.majoritySinceMs)}`
            : `${x.by} started term ${x.newTerm} at ${ms(x.atMs)} while ${x.leader} led term ${x.term} with a majority since ${ms(x.majoritySinceMs)}`,
        )
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} needless election(s), leader deposed: ${say}.`, witnesses: w.toArray(), details };
    }
    if (watchedMs === 0) {
      return { name: this.name, verdict: 'unknown', message: `Not judged: no leader kept a clean majority for ${ms(window)}, so no election could be needless.`, witnesses: [], details };
    }
    return { name: this.name, verdict: 'valid', message: `No leader with a majority was deposed (${ms(watchedMs)} watched, window ${ms(window)}).`, witnesses: [], details };
  },
};
