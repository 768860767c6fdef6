import type { Scenario } from '../harness/src/scenario/types.js';

/** Rapid partition and heal of the leader, shorter than an election timeout and longer. */
const scenario: Scenario = {
  name: 'flapping',
  description:
    'Isolates the leader and heals it again and again, 200 ms and 600 ms at a time: elections may or may not finish, but never two leaders in a term, and one leader at the end.',
  nodes: 3,
  steps: [
    { wait: 1000 },
    {
      repeat: 6,
      steps: [
        { fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 200 },
        { wait: 200 },
        { fault: { kind: 'partition', partition: { isolate: 'random' } }, holdMs: 600 },
        { wait: 300 },
      ],
    },
    { wait: 1000 },
  ],
};
export default scenario;
