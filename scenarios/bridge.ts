import type { Scenario } from '../harness/src/scenario/types.js';

/** Two halves joined by one bridge node that sees both. */
const scenario: Scenario = {
  name: 'bridge',
  description:
    'Five nodes split into two pairs joined by a bridge node (a follower) that sees both sides: only a leader the bridge supports can hold a majority; one leader per term throughout.',
  nodes: 5,
  steps: [{ wait: 1000 }, { fault: { kind: 'partition', partition: { bridge: 'follower' } }, holdMs: 4000 }, { wait: 1000 }],
};
export default scenario;
