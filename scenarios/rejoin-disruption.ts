import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * The seed chapter's Pre-Vote exercise: a follower is cut off for 3 s (10-20 election
 * timeouts), then healed. With Pre-Vote (the default) it never raised its term while cut off
 * and rejoins quietly: 0 needless elections. With `--no-pre-vote` it comes back in a much
 * higher term and deposes the healthy leader: a needless election. The run's exercise figure
 * (summary.exercise, printed at the end) counts them; run both to compare.
 * stable-leadership allows that one election within the election bound after the heal.
 */
const scenario: Scenario = {
  name: 'rejoin-disruption',
  description:
    'Isolates a follower for 3 s, then heals: with Pre-Vote it rejoins without an election; with --no-pre-vote its higher term deposes the healthy leader. The summary counts the needless elections.',
  nodes: 3,
  steps: [{ wait: 1000 }, { fault: { kind: 'partition', partition: { isolate: 'follower' } }, holdMs: 3000 }, { wait: 2500 }],
};
export default scenario;
