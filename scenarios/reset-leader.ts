import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * Connection resets (Toxiproxy's reset_peer) instead of silent drops: the leader's connections
 * fail at once, then its outgoing ones fail 50 ms after they carry data.
 */
const scenario: Scenario = {
  name: 'reset-leader',
  description:
    "Resets every connection to and from the leader for 3 s (reset_peer: its RPCs fail at once instead of timing out), then resets only the leader's outgoing messages, 50 ms after they start, for 3 s: each time the others elect a new leader, the old one steps down, and after the heal one leader remains.",
  nodes: 3,
  steps: [
    { wait: 1000 },
    { fault: { kind: 'reset', links: { around: 'leader' } }, holdMs: 3000 },
    { wait: 1500 },
    { fault: { kind: 'reset', links: { from: 'leader', to: 'all' }, timeoutMs: 50 }, holdMs: 3000 },
    { wait: 1000 },
  ],
};
export default scenario;
