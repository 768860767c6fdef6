import type { HistoryEntry } from '../history/types.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** An election timeout a node drew outside the configured range. */
export interface TimeoutOutOfRange {
  node: string;
  kind: string;
  term: number;
  timeoutMs: number;
  atMs: number;
}

const DRAWS: ReadonlySet<string> = new Set(['become-follower', 'become-pre-candidate', 'become-candidate']);

/** A node that drew, at every one of its campaigns, the very timeout of its role change before. */
export interface TimeoutNotRedrawn {
  node: string;
  campaigns: number;
  timeoutMs: number;
}

/**
 * How many campaigns of one node, each reporting the same timeout as the role change before it,
 * it takes to call the timeout not redrawn when timeouts are drawn from `widthMs + 1` whole ms:
 * a fresh uniform draw repeats the one before with chance 1 / (width + 1), so all of n repeat by
 * chance with (1 / (width + 1))^n; n is the least with that below 1e-7. Infinity for a range of
 * one value (every draw is that value).
 */
export function campaignsToJudgeRedraw(widthMs: number): number {
  return widthMs < 1 ? Infinity : Math.ceil(7 / Math.log10(widthMs + 1));
}

/**
 * Election timeouts stay in the configured range (§5.2: each is chosen at random from a fixed
 * interval, [electionTimeoutMin, electionTimeoutMax] here): our node reports the timeout it
 * drew on each role change in its `become-follower`, `become-pre-candidate` and
 * `become-candidate` events (`electionTimeoutMs`, node/API.md), and each must lie in the run's
 * range. And each is drawn anew (§5.2: "each candidate restarts its randomized election
 * timeout at the start of an election"): a node whose every campaign (`become-candidate`)
 * reports the very timeout of the role change just before it (`campaignsToJudgeRedraw` of them,
 * at least; a later boot replays an earlier boot's draws, so each role-change index of a boot
 * counts once per node), which a fresh draw repeats only by chance, kept its timeout. Not applicable to another subject (its timers are its own; the run may not set them);
 * not judged when no event carried a timeout.
 */
export const timeoutRange: Checker = {
  name: 'timeout-range',
  description: 'Every election timeout a node draws lies in the configured range [electionTimeoutMin, electionTimeoutMax].',
  check(history, ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} does not report its drawn timeouts.`);
    const { electionTimeoutMin: min, electionTimeoutMax: max } = ctx.config;
    const found: TimeoutOutOfRange[] = [];
    const w = new Witnesses();
    let draws = 0;
    let lo = Infinity;
    let hi = -Infinity;
    // Per boot the draw of its last role change and how many role changes it drew; per node its
    // campaigns and how many repeated it. A node's random source starts from the node's seed at
    // every boot, so a later boot replays the draws of an earlier one: a campaign at a role-change
    // index an earlier boot of the node already campaigned at is the same draw, not counted again.
    const lastDraw = new Map<string, number>();
    const drawsInBoot = new Map<string, number>();
    const countedAt = new Map<string, Set<number>>();
    const campaigns = new Map<string, { n: number; same: number; timeoutMs: number; first?: HistoryEntry; at?: HistoryEntry }>();
    for (const e of history) {
      if (isTeardown(e)) break;
      if (e.type !== 'node-event' || !DRAWS.has(e.kind)) continue;
      const t = e['electionTimeoutMs'];
      if (typeof t !== 'number') continue;
      draws++;
      const before = lastDraw.get(e.bootId);
      lastDraw.set(e.bootId, t);
      const index = (drawsInBoot.get(e.bootId) ?? 0) + 1;
      drawsInBoot.set(e.bootId, index);
      const counted = countedAt.get(e.node) ?? new Set<number>();
      countedAt.set(e.node, counted);
      if (e.kind === 'become-candidate' && before !== undefined && !counted.has(index)) {
        counted.add(index);
        const c = campaigns.get(e.node) ?? { n: 0, same: 0, timeoutMs: t };
        c.n++;
        if (t === before) {
          c.same++;
          c.timeoutMs = t;
          c.first ??= e;
          c.at = e;
        }
        campaigns.set(e.node, c);
      }
      if (t < lo) lo = t;
      if (t > hi) hi = t;
      if (t >= min && t <= max) continue;
      found.push({ node: e.node, kind: e.kind, term: e.term, timeoutMs: t, atMs: e.t });
      w.add(e);
    }
    const need = campaignsToJudgeRedraw(max - min);
    const kept: TimeoutNotRedrawn[] = [];
    for (const [node, c] of campaigns) {
      if (c.n < need || c.same < c.n) continue;
      kept.push({ node, campaigns: c.n, timeoutMs: c.timeoutMs });
      w.add(c.first, c.at);
    }
    const details = { violations: found.slice(0, 50), outOfRange: found.length, notRedrawn: kept, draws, rangeMs: [min, max], seenMs: draws > 0 ? [lo, hi] : null };
    if (kept.length > 0 && found.length === 0) {
      const say = kept
        .slice(0, 3)
        .map((k) => `${k.node} at all ${k.campaigns} of its campaigns (the last drew ${ms(k.timeoutMs)})`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `Election timeout not drawn anew for an election (§5.2): the timeout of the role change before kept by ${say}; a fresh draw in ${min}-${max} ms repeats it by chance once in ${max - min + 1}.`, witnesses: w.toArray(), details };
    }
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} drew ${ms(f.timeoutMs)} (${f.kind}, term ${f.term}, at ${ms(f.atMs)})`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} election timeout(s) outside ${min}-${max} ms: ${say}.`, witnesses: w.toArray(), details };
    }
    if (draws === 0) return notJudged(this.name, 'no role change reported the election timeout it drew (electionTimeoutMs).', details);
    return { name: this.name, verdict: 'valid', message: `All ${draws} election timeouts drawn lay in ${min}-${max} ms (seen ${ms(lo)} to ${ms(hi)}).`, witnesses: [], details };
  },
};
