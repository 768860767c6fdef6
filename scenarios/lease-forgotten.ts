import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * A leader's follower drawn into another node's term (thesis §9.6, Pre-Vote and leader
 * stickiness): the leader's messages stop reaching every node but n5 (the leader is one of
 * n1-n4; with n5 leading, n5 is cut off from all), and every link into n5 is slow. The first node
 * to campaign, on the pre-votes of the others that lost the leader, is stopped as it does (its
 * `campaign` event), so its term finds no leader. n5 takes that term from its late vote request
 * a moment after it last heard its leader, and so forgets it; the slow links are healed, and the
 * pre-votes for the term after (of the nodes whose timers restarted when they voted) reach n5
 * less than a minimum election timeout after that last contact. A correct node grants them (it
 * knows no leader of its term, so holds no lease); one that kept the lease of the leader it
 * forgot refuses them for `leader-recently-heard`, and `node-reports` says so.
 */
const scenario: Scenario = {
  name: 'lease-forgotten',
  description:
    "Cuts the leader's messages to all but n5, whose incoming links are slow, and stops the first candidate: n5 takes its term just after hearing the leader, and the next pre-votes must find n5 without a lease (it forgot that leader).",
  nodes: 5,
  electionTimeout: [150, 160],
  steps: [
    { wait: 1000 },
    { fault: { kind: 'latency', links: { from: 'all', to: 'n5' }, latencyMs: 60 }, id: 'slow' },
    { fault: { kind: 'timeout', links: { from: 'leader', to: ['n1', 'n2', 'n3', 'n4'] } }, id: 'cut' },
    { fault: { kind: 'pause', target: 'trigger' }, on: { event: 'campaign' }, id: 'stopped' },
    { wait: 100 },
    { heal: 'slow' },
    { wait: 400 },
    { heal: 'all' },
    { wait: 1000 },
  ],
};
export default scenario;
