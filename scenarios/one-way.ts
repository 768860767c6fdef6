import type { Scenario } from '../harness/src/scenario/types.js';

/** The leader can send but not receive: its heartbeats arrive, no replies or requests reach it. */
const scenario: Scenario = {
  name: 'one-way',
  description:
    'The leader can send but not receive for 3 s: followers still hear heartbeats, the leader hears nothing back, so CheckQuorum must make it step down and a new leader be elected.',
  nodes: 3,
  steps: [{ wait: 1000 }, { fault: { kind: 'one-way', target: 'leader', blocks: 'inbound' }, holdMs: 3000 }, { wait: 1000 }],
};
export default scenario;
