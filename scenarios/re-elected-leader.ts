import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * A leader loses its leadership and wins it back while messages of its first leadership are
 * still in flight, then cannot reach anyone in its new first CheckQuorum window. Thesis §6.2:
 * a leader's CheckQuorum window counts only answers to that leadership, so it must step down
 * when the window ends: neither the answers its peers gave before it was deposed nor replies to
 * heartbeats of the earlier leadership that arrive late keep it leading.
 */
const scenario: Scenario = {
  name: 're-elected-leader',
  description:
    'Pre-Vote off, long RPC deadlines. Three times: slow the leader\'s messages to one follower by 1000 ms, so that follower campaigns and deposes it while its other follower still answers; the deposed leader (fired by its step-down) is made deaf for 600 ms, so it raises its term and wins again once it hears; as it becomes leader its outgoing links are cut for 600 ms: its new first CheckQuorum window goes unanswered but for late replies to its old heartbeats, and it must step down at the window\'s end.',
  nodes: 3,
  preVote: false,
  rpcTimeout: 2000,
  recoveryMs: 3000,
  steps: [
    { wait: 1000 },
    {
      repeat: 3,
      steps: [
        { fault: { kind: 'latency', links: { from: 'all', to: 'leader' }, latencyMs: 40 }, id: 'ears' },
        { fault: { kind: 'latency', links: { from: 'leader', to: 'follower' }, latencyMs: 1000 }, id: 'slow' },
        { on: { event: 'step-down' }, withinMs: 1000, fault: { kind: 'one-way', target: 'trigger', blocks: 'inbound' }, holdMs: 700 },
        { heal: 'slow' },
        { on: { event: 'campaign' }, withinMs: 1500, fault: { kind: 'one-way', target: 'trigger', blocks: 'outbound' }, id: 'mute' },
        { on: { event: 'become-leader' }, delayMs: 60, withinMs: 1000, fault: { kind: 'one-way', target: 'trigger', blocks: 'inbound' }, holdMs: 600 },
        { heal: 'mute' },
        { heal: 'ears' },
        { wait: 1500 },
      ],
    },
  ],
};
export default scenario;
