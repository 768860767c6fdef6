import type { HistoryEntry } from '../history/types.js';
import { MajorityWatch } from './support/majority-watch.js';
import { faultGraceMs, Pending } from './support/pending.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import type { Checker, CheckResult } from './types.js';

/** A node that became leader while it could not reach a majority. */
export interface MinorityLeader {
  node: string;
  term: number;
  /** When it became leader (its event), or the latest time it can have (its first leader poll's predecessor). */
  atMs: number;
  cutOffSinceMs: number;
}

/** Slack between a node's event times and the harness's fault entries (processes; 0 in simulation would do). */
const SKEW_MS = 10;

/** How long a node must have been cut off before it cannot have collected its votes. */
export function minorityWindowMs(c: { rpcTimeout: number; heartbeatInterval: number }): number {
  return c.rpcTimeout + c.heartbeatInterval;
}

/**
 * Leaders have a majority (Raft §5.2, Figure 2: a candidate wins with votes from a majority of
 * the whole cluster, itself included): no node becomes leader after the faults in force have
 * left it without direct two-way links to a majority (`MajorityWatch.cutOff`, which counts a
 * fault's cuts from when its links are all certainly cut, not from its entry) since before it
 * asked for votes (its `become-candidate` event of that term, less 10 ms of clock skew; without
 * it, `minorityWindowMs` before its `become-leader` event, by when votes asked before the cut are
 * answered). A node whose events are missing is judged by its polls: it
 * became leader after its last poll that did not say so, so it is a violation only if it was
 * cut off since before that poll. A fault or process entry within `faultGraceMs` after the
 * election that gives it a majority clears it (that heal was under way), but a node's start or
 * resume only when it came less than `minorityWindowMs` after the leadership was seen: it is
 * recorded as it happens, so a node started later cannot have voted. Catches a wrong majority with or without CheckQuorum. Unknown
 * when no leader was seen at all.
 */
export const leaderMajority: Checker = {
  name: 'leader-majority',
  description: 'No node becomes leader while the faults in force leave it unable to reach a majority.',
  check(history, ctx): CheckResult {
    const window = minorityWindowMs(ctx.config);
    const watch = new MajorityWatch(ctx.nodes, ctx.config, { history });
    const found: MinorityLeader[] = [];
    const w = new Witnesses();
    const seen = new Set<string>();
    const lastNotLeader = new Map<string, HistoryEntry>();
    let judged = 0;
    const judge = (node: string, term: number, atMs: number, e: HistoryEntry, before?: HistoryEntry, forMs = window) => {
      const key = `${node}\u0000${term}`;
      if (seen.has(key)) return;
      seen.add(key);
      judged++;
      // `cutOffSince` is the start of the node's current cut-off span, so for a moment in the
      // past (a poll's predecessor) it also says the node stayed cut off from then until now.
      if (watch.cutOff(node, atMs, forMs)) pending.add(e.t, { v: { node, term, atMs, cutOffSinceMs: watch.cutOffSince(node) as number }, before, e });
    };
    const pending = new Pending<{ v: MinorityLeader; before: HistoryEntry | undefined; e: HistoryEntry }>(faultGraceMs(ctx.config));
    const confirm = (xs: Array<{ v: MinorityLeader; before: HistoryEntry | undefined; e: HistoryEntry }>) => {
      for (const x of xs) {
        found.push(x.v);
        w.add(x.before, x.e);
      }
    };
    const candidacy = new Map<string, HistoryEntry>();
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      // A heal recorded just after the election may have reached the node's links before it.
      confirm(pending.confirmed(e.t));
      if (watch.apply(e)) {
        // A node's start or resume is recorded as it is sent, before the node can answer a vote
        // (a fault's links, by contrast, act before its entry is written): it clears only a
        // leadership seen less than a window before it.
        const upAt = e.type === 'process' && (e.action === 'start' || e.action === 'resume') ? e.t - window : Number.NEGATIVE_INFINITY;
        pending.recheck((x) => watch.cutOff(x.v.node, e.t) || x.e.t < upAt);
      }
      if (e.type === 'node-event' && e.kind === 'become-candidate') candidacy.set(`${e.node}\u0000${e.term}`, e);
      if (e.type === 'node-event' && e.kind === 'become-leader') {
        // Its votes answer the requests it sent when it became candidate in this term: cut off
        // since before then, no request reached anyone. Without that event, a window before.
        const asked = candidacy.get(`${e.node}\u0000${e.term}`);
        if (asked) judge(e.node, e.term, asked.t, e, asked, SKEW_MS);
        else judge(e.node, e.term, e.t, e);
      }
      else if (e.type === 'poll' && e.outcome === 'ok' && e.term !== undefined) {
        if (e.state !== 'leader') {
          lastNotLeader.set(e.node, e);
          continue;
        }
        // Without its event: judged at the last poll that did not say leader (it was elected
        // after that poll, so being cut off since a window before it is enough).
        const before = lastNotLeader.get(e.node);
        if (before) judge(e.node, e.term, before.t, e, before);
        // Leading at its first answer (elected before the polls began, as a status-only subject
        // shows it): judged at that poll, a window back.
        else judge(e.node, e.term, e.t, e);
      }
    }
    confirm(pending.drain());
    const details = { violations: found, leaderships: judged, windowMs: window };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((x) => `${x.node} became leader of term ${x.term} at ${ms(x.atMs)}, cut off from a majority since ${ms(x.cutOffSinceMs)}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `A leader without a majority: ${say}${found.length > 3 ? ` (${found.length} in all)` : ''}.`, witnesses: w.toArray(), details };
    }
    if (judged === 0) return { name: this.name, verdict: 'unknown', message: 'Not judged: no node was seen becoming leader.', witnesses: [], details };
    return { name: this.name, verdict: 'valid', message: `Every leader could reach a majority when elected (${judged} leadership(s)).`, witnesses: [], details };
  },
};
