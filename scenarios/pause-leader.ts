import type { Scenario } from '../harness/src/scenario/types.js';

/** SIGSTOP the leader, then SIGCONT it: a paused leader wakes up deposed. */
const scenario: Scenario = {
  name: 'pause-leader',
  description:
    'Pauses the leader (SIGSTOP) for 3 s: the others elect a new leader; when resumed, the old leader learns the higher term and follows.',
  nodes: 3,
  steps: [{ wait: 1000 }, { fault: { kind: 'pause', target: 'leader' }, holdMs: 3000 }, { wait: 1000 }],
};
export default scenario;
