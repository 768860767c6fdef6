import type { Scenario } from '../harness/src/scenario/types.js';

/** The whole cluster is killed with SIGKILL and restarted, again and again. */
const scenario: Scenario = {
  name: 'crash-restart',
  description:
    'Kills every node with SIGKILL and restarts them all from their data directories, three times: durable term and vote must survive, so terms never go back and nobody votes twice in a term.',
  nodes: 3,
  steps: [{ wait: 1000 }, { repeat: 3, steps: [{ fault: { kind: 'kill', target: 'all' }, holdMs: 500 }, { wait: 1500 }] }],
};
export default scenario;
