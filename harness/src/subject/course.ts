import type { NodeRole, Subject } from './types.js';

/** The chapter's three states as a TypeScript or Python node is likely to print them. */
const COURSE_STATES: Record<string, NodeRole> = Object.fromEntries(
  (['follower', 'candidate', 'leader'] as const).flatMap((s) => {
    const upper = s.toUpperCase();
    const capital = s[0]!.toUpperCase() + s.slice(1);
    return [s, upper, capital, `NodeState.${upper}`].map((v) => [v, s]);
  }),
);

/**
 * The course chapter's protocol (`POST /raft/request-vote`, `POST /raft/heartbeat`,
 * `GET /status` `{id, state, term, leader}`), configured through NODE_ID, HOST, PORT, PEERS
 * (`host:port,...`) and DATA_DIR. It has no command of its own: `--node-command` gives it.
 * No Pre-Vote, no CheckQuorum, no votedFor, no events, no settable timers (the chapter's node
 * hard-codes 150-300 ms): a subject file can say more (examples/subjects/).
 */
export function courseSubject(cwd: string): Subject {
  return {
    name: 'course',
    description: "the course chapter's protocol: /raft/request-vote, /raft/heartbeat, /status {id, state, term, leader}",
    source: 'builtin',
    launch: {
      kind: 'command',
      env: { NODE_ID: '{id}', HOST: '{host}', PORT: '{port}', PEERS: '{peers}', DATA_DIR: '{dataDir}' },
      peers: 'host:port',
      cwd,
    },
    ready: { path: '/status', timeoutMs: 15_000 },
    stop: { signal: 'SIGTERM', graceMs: 3_000 },
    status: {
      path: '/status',
      fields: { state: 'state', term: 'term', leader: 'leader', id: 'id' },
      states: COURSE_STATES,
      noLeader: [''],
    },
    durable: true,
    implements: { preVote: false, checkQuorum: false },
  };
}
