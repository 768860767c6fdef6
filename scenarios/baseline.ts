import type { Scenario } from '../harness/src/scenario/types.js';

/** No faults at all: one leader is elected and keeps leading. */
const scenario: Scenario = {
  name: 'baseline',
  description: 'No faults: a leader is elected within the bound and leadership stays stable for the whole run.',
  nodes: 3,
  steps: [{ wait: 5000 }],
  recoveryMs: 1000,
};
export default scenario;
