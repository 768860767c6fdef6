import type { NodeEventEntry } from '../history/types.js';
import { STAMP_RESOLUTION_MS } from './support/stamps.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** A node that campaigned too soon after it started. */
export interface EarlyCampaign {
  node: string;
  bootId: string;
  startedAtMs: number;
  campaignedAtMs: number;
  kind: string;
}

const CAMPAIGNS: ReadonlySet<string> = new Set(['become-pre-candidate', 'become-candidate']);

/**
 * A node starts as a follower and waits a whole election timeout before it campaigns (§5.2:
 * servers start as followers and stay so while they hear a leader; the timeout is drawn from
 * [electionTimeoutMin, electionTimeoutMax]): no `become-pre-candidate` or `become-candidate`
 * event of a boot comes less than `electionTimeoutMin` after that boot's `start` event. A node
 * that campaigns as it boots deposes a healthy leader on every restart (with Pre-Vote off).
 * Our node stamps its events with `Date.now()`, whole milliseconds, so two events of one boot
 * can read up to 1 ms closer than they were: a campaign is early only when it comes more than
 * `STAMP_RESOLUTION_MS` before the minimum (in simulation the stamps are exact, and a node that
 * campaigns at boot does so within a few ms of its start).
 * Not applicable to another subject (its events are its own); not judged when no boot was seen
 * campaigning.
 */
export const bootWait: Checker = {
  name: 'boot-wait',
  description: 'A node that starts waits at least the minimum election timeout before it campaigns (§5.2).',
  check(history, ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} logs its own events.`);
    const min = ctx.config.electionTimeoutMin;
    const started = new Map<string, NodeEventEntry>();
    const judgedBoots = new Set<string>();
    const found: EarlyCampaign[] = [];
    const w = new Witnesses();
    for (const e of history) {
      if (isTeardown(e)) break;
      if (e.type !== 'node-event') continue;
      if (e.kind === 'start') {
        started.set(e.bootId, e);
        continue;
      }
      if (!CAMPAIGNS.has(e.kind) || judgedBoots.has(e.bootId)) continue;
      const start = started.get(e.bootId);
      if (start === undefined) continue;
      // Only a boot's first campaign is held to it.
      judgedBoots.add(e.bootId);
      if (e.t - start.t >= min - STAMP_RESOLUTION_MS) continue;
      found.push({ node: e.node, bootId: e.bootId, startedAtMs: start.t, campaignedAtMs: e.t, kind: e.kind });
      w.add(start, e);
    }
    const details = { violations: found, bootsJudged: judgedBoots.size, minMs: min };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} started at ${ms(f.startedAtMs)} and campaigned (${f.kind}) ${ms(f.campaignedAtMs - f.startedAtMs)} later`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} boot(s) campaigned before the minimum election timeout (${ms(min)}): ${say}.`, witnesses: w.toArray(), details };
    }
    if (judgedBoots.size === 0) return notJudged(this.name, 'no boot was seen campaigning.', details);
    return { name: this.name, verdict: 'valid', message: `Every boot that campaigned waited at least ${ms(min)} first (${judgedBoots.size} boots).`, witnesses: [], details };
  },
};
