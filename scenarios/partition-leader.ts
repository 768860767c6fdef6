import type { Scenario } from '../harness/src/scenario/types.js';

/** The leader is cut off from everyone; the majority must elect a new one, the old one must step down. */
const scenario: Scenario = {
  name: 'partition-leader',
  description:
    'Isolates the current leader for 3 s: the majority elects a new leader in a higher term, the isolated one steps down (CheckQuorum), and after the heal one leader remains.',
  nodes: 3,
  steps: [{ wait: 1000 }, { fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 3000 }, { wait: 1000 }],
};
export default scenario;
