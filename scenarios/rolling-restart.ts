import type { Scenario } from '../harness/src/scenario/types.js';

/** Restart every node in turn, as an operator upgrading the cluster would. */
const scenario: Scenario = {
  name: 'rolling-restart',
  description:
    'Restarts every node in turn with SIGTERM, waiting for a settled leader between restarts: at most one leader per term, terms never go back, a leader within the bound after each restart.',
  nodes: 3,
  steps: [{ wait: 1000 }, { fault: { kind: 'rolling-restart', target: 'all', graceful: true } }, { wait: 1000 }],
};
export default scenario;
