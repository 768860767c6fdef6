import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * A leader loses its leadership and wins it back while messages of its first leadership are
 * still in flight, then cannot reach anyone in its new first CheckQuorum window. Thesis §6.2:
 * a leader's CheckQuorum window counts only answers to that leadership, so it must step down
 * when the window ends: neither the answers its peers gave before it was deposed (it was deposed
 * mid-window, by a higher term) nor replies to heartbeats of the earlier leadership that arrive
 * late (a latency removed lets later messages overtake them) keep it leading.
 *
 * How each step gets there (Pre-Vote off, so a node that hears no leader raises its term):
 * - `ears` slows what the leader hears by 40 ms, so a later vote round of it outlasts the
 *   milliseconds that cutting its outgoing links takes;
 * - `slow` holds its heartbeats to one follower for 1 s: that follower times out and its
 *   RequestVote deposes the leader mid-window, while the other follower's answers are counted;
 * - the deposed node, deaf for 700 ms, raises its term each timeout; heard again, it campaigns in
 *   the highest term and wins;
 * - as it campaigns its outgoing links are cut (its vote requests are already out), and 60 ms
 *   after it wins its incoming ones too, before its voters time out and depose it: in between,
 *   the held heartbeats of its old leadership reach the slowed follower, now in the new term,
 *   whose refusals (of the new term) are the only answers its first window gets.
 * The RPC deadline (2 s) outlasts the held heartbeats, as a real client's may.
 */
const scenario: Scenario = {
  name: 're-elected-leader',
  description:
    'Pre-Vote off, 2 s RPC deadlines. Three times: slow every message to the leader by 40 ms and its messages to one follower by 1000 ms, so that follower campaigns and deposes it while the other still answers; the deposed leader (fired by its step-down) is deaf for 700 ms, so it raises its term and wins again once it hears; its outgoing links are cut as it campaigns and its incoming ones 60 ms after it wins, for 600 ms: its new first CheckQuorum window is answered only by late replies to its old leadership\'s heartbeats, and it must step down at the window\'s end.',
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
