import type { Scenario } from '../harness/src/scenario/types.js';

/** kill -9 the leader three times, restarting it with its data each time. */
const scenario: Scenario = {
  name: 'kill-leader',
  description:
    'Kills the current leader with SIGKILL and restarts it 2 s later, three times: a new leader within the bound each time, terms never go back on the restarted node.',
  nodes: 3,
  steps: [{ wait: 1000 }, { repeat: 3, steps: [{ fault: { kind: 'kill', target: 'leader' }, holdMs: 2000 }, { wait: 1000 }] }],
};
export default scenario;
