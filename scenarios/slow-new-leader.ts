import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * The leader is isolated; as another node campaigns, every message out of it is slowed past the
 * largest election timeout. Its vote requests left before the slowdown, so it wins, but its
 * heartbeats reach no one within its first CheckQuorum window: with CheckQuorum it must step
 * down when that window ends (thesis §6.2), not lead on as if its voters had answered.
 */
const scenario: Scenario = {
  name: 'slow-new-leader',
  description:
    'Isolate the leader; as a node campaigns (fired by its campaign event), slow every message out of it by 400 ms for 500 ms: it wins on the votes it asked for just before, then no heartbeat of its first CheckQuorum window is answered in time, so it must step down at the window\'s end.',
  nodes: 3,
  steps: [
    { wait: 1000 },
    { fault: { kind: 'partition', partition: { isolate: 'leader' } }, id: 'cut' },
    { on: { event: 'campaign' }, delayMs: [0, 5], withinMs: 1500, fault: { kind: 'latency', links: { from: 'trigger', to: 'all' }, latencyMs: 400 }, holdMs: 500 },
    { wait: 1000 },
    { heal: 'cut' },
    { wait: 1000 },
  ],
};
export default scenario;
