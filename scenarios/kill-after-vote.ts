import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * Every node is killed the moment a candidate wins its election, while its voters may still be
 * writing the vote they have just granted, then all restart and elect again; five times.
 */
const scenario: Scenario = {
  name: 'kill-after-vote',
  description:
    'Five times: kill every node and restart them (a fresh election), then kill every node again as soon as one becomes leader (fired by its become-leader event, without reading anyone\'s last events), while its voters may still be writing the votes it won with, restart them and let them elect. A voter must not answer a vote before it is durable: one that did forgets it, and the restarted cluster can elect a second leader in the same term.',
  nodes: 3,
  // Each boot of a node draws the same timeouts (its seed): with a wide range the same node
  // always campaigns first after a restart of all. A narrow one lets the boot order decide; its
  // 300 ms leaves the harness time to see the nodes up and arm the trigger before they elect.
  electionTimeout: [300, 310],
  skipChecks: {
    'election-time': 'every kill lands as a leader is elected, before anyone can see it settled: there is no failover to time',
  },
  steps: [
    { wait: 500 },
    {
      repeat: 5,
      steps: [
        { fault: { kind: 'kill', target: 'all' }, holdMs: 100 },
        { on: { event: 'become-leader' }, fault: { kind: 'kill', target: 'all' }, withinMs: 3000, holdMs: 100 },
        { wait: 1000 },
      ],
    },
  ],
};
export default scenario;
