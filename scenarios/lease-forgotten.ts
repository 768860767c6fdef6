import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * A leader's follower drawn into another node's term (thesis §9.6, Pre-Vote and leader
 * stickiness): the leader's messages stop reaching three of its followers but still reach n5
 * (the leader is n1-n4; with n5 leading, n5 is cut off from all), whose incoming links are slow
 * while the three, whose election timers run out within a few ms of each other (a narrow
 * range), split the next term's vote. n5 takes that term from the late vote requests a moment
 * after it last heard its leader, and so forgets it; the three's pre-votes for the term after
 * reach it, after the slow links healed, less than a minimum election timeout after that last
 * contact. A correct node grants them (no leader is known, so no lease); one that kept the lease
 * of the leader it forgot refuses, and `node-reports` says so.
 */
const scenario: Scenario = {
  name: 'lease-forgotten',
  description:
    "Cuts the leader's messages to three followers while a fourth still hears it over slow links, so the three split the next term and the fourth takes it just after hearing its leader: their next pre-votes must find it without a lease (the leader it forgot keeps none).",
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
