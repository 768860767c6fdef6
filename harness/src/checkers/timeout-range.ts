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

/**
 * Election timeouts stay in the configured range (§5.2: each is chosen at random from a fixed
 * interval, [electionTimeoutMin, electionTimeoutMax] here): our node reports the timeout it
 * drew on each role change in its `become-follower`, `become-pre-candidate` and
 * `become-candidate` events (`electionTimeoutMs`, node/API.md), and each must lie in the run's
 * range. Not applicable to another subject (its timers are its own; the run may not set them);
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
    for (const e of history) {
      if (isTeardown(e)) break;
      if (e.type !== 'node-event' || !DRAWS.has(e.kind)) continue;
      const t = e['electionTimeoutMs'];
      if (typeof t !== 'number') continue;
      draws++;
      if (t < lo) lo = t;
      if (t > hi) hi = t;
      if (t >= min && t <= max) continue;
      found.push({ node: e.node, kind: e.kind, term: e.term, timeoutMs: t, atMs: e.t });
      w.add(e);
    }
    const details = { violations: found.slice(0, 50), outOfRange: found.length, draws, rangeMs: [min, max], seenMs: draws > 0 ? [lo, hi] : null };
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
