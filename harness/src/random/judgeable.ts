import type { RunOutcome } from './run-record.js';

/**
 * Whether a run fails in a way its replay can judge: invalid, and no check said unknown. The
 * shrinker and the greedy pass keep only such candidates, so the minimal schedule replays
 * invalid rather than unknown (a step that leaves a fault with no leader to remove, say, is
 * dropped or never kept).
 */
export function judgeableFailure(r: Pick<RunOutcome, 'verdict' | 'unjudged'>): boolean {
  return r.verdict === 'invalid' && !(r.unjudged && r.unjudged.length > 0);
}
