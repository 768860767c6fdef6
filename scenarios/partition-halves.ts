import type { Scenario } from '../harness/src/scenario/types.js';

/** Two halves, first with the leader in the minority, then in the majority. */
const scenario: Scenario = {
  name: 'partition-halves',
  description:
    'Splits five nodes 2|3 twice: once with the leader on the minority side (a new leader must appear on the majority side) and once on the majority side (it keeps leading).',
  nodes: 5,
  steps: [
    { wait: 1000 },
    { fault: { kind: 'partition', partition: { halves: 'leader-minority' } }, holdMs: 3000 },
    { wait: 1500 },
    { fault: { kind: 'partition', partition: { halves: 'leader-majority' } }, holdMs: 3000 },
    { wait: 1000 },
  ],
};
export default scenario;
