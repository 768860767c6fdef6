import type { Scenario } from '../harness/src/scenario/types.js';

/** Jepsen's majorities ring: every node sees a majority, but no two see the same one. */
const scenario: Scenario = {
  name: 'majorities-ring',
  description:
    'Five nodes in a majorities ring (each sees itself and its two neighbours): leadership may move, but never two leaders in a term, and one leader after the heal.',
  nodes: 5,
  steps: [{ wait: 1000 }, { fault: { kind: 'partition', partition: { ring: 'majorities' } }, holdMs: 4000 }, { wait: 1000 }],
};
export default scenario;
