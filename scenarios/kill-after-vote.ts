import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * Every node is killed the moment a candidate wins its election, while its voters may still be
 * writing the vote they have just granted, then all restart; again and again.
 */
const scenario: Scenario = {
  name: 'kill-after-vote',
  description:
    'Kills every node with SIGKILL as soon as a node becomes leader (fired by its become-leader event, no wait for anyone\'s last events), while its voters may still be writing the votes it won with, and restarts them all; six elections. A voter must never answer a vote before it is durable: one that did forgets it, and the restarted cluster elects a second leader in the same term.',
  nodes: 3,
  // Each boot of a node draws the same timeouts (its seed): with a wide range the same node
  // always campaigns first after a restart of all. A narrow one lets the boot order decide.
  electionTimeout: [150, 160],
  skipChecks: {
    'election-time': 'every kill lands as a leader is elected, before anyone can see it settled: there is no failover to time',
  },
  steps: [
    { wait: 500 },
    // A fresh election to start from: the warmup's leader was elected before this step.
    { fault: { kind: 'kill', target: 'all' }, holdMs: 100 },
    {
      repeat: 6,
      steps: [{ on: { event: 'become-leader' }, fault: { kind: 'kill', target: 'all' }, withinMs: 5000, holdMs: 100 }],
    },
    { wait: 1000 },
  ],
};
export default scenario;
