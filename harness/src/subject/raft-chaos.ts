import type { Subject } from './types.js';

/**
 * The project's own node (node/API.md), the default subject. The runtimes start it as they
 * always have (bundle and flags, `launch.kind: 'raft-chaos'`), so choosing it changes nothing.
 * It implements Pre-Vote and CheckQuorum (each can be turned off per run), votedFor and events.
 */
export const raftChaosSubject: Subject = {
  name: 'raft-chaos',
  description: "raft-chaos's own node: leader election with Pre-Vote, CheckQuorum, durable term and vote, an events log",
  source: 'builtin',
  launch: { kind: 'raft-chaos' },
  ready: { path: '/status', timeoutMs: 15_000 },
  stop: { signal: 'SIGTERM', graceMs: 3_000 },
  status: {
    path: '/status',
    fields: { state: 'state', term: 'term', leader: 'leader', votedFor: 'votedFor', id: 'id' },
    states: { follower: 'follower', candidate: 'candidate', leader: 'leader' },
    noLeader: [],
  },
  events: { path: '/events' },
  durable: true,
  implements: { preVote: true, checkQuorum: true },
};
