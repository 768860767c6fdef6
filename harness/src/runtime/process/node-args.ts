import type { NodeSettings } from '../types.js';

/** Everything that makes one node's command line. */
export interface NodeArgsInput {
  id: string;
  host: string;
  port: number;
  /** `id=host:port,...` (the proxies this node dials). */
  peers: string;
  dataDir: string;
  settings: NodeSettings;
  /** The node's position in the cluster; its seed is `settings.seed + index`. */
  index: number;
}

/** The node's CLI flags (node/API.md), every setting explicit so no environment default leaks in. */
export function nodeArgs(input: NodeArgsInput): string[] {
  const s = input.settings;
  return [
    '--id', input.id,
    '--host', input.host,
    '--port', String(input.port),
    '--peers', input.peers,
    '--data-dir', input.dataDir,
    '--election-timeout', `${s.electionTimeoutMin}-${s.electionTimeoutMax}`,
    '--heartbeat-interval', String(s.heartbeatInterval),
    '--rpc-timeout', String(s.rpcTimeout),
    s.preVote ? '--pre-vote' : '--no-pre-vote',
    s.checkQuorum ? '--check-quorum' : '--no-check-quorum',
    ...s.bugs.flatMap((bug) => ['--bug', bug]),
    '--seed', String(s.seed + input.index),
    '--log-level', s.logLevel,
    ...(s.disk !== undefined ? ['--disk', s.disk] : []),
  ];
}

/** Environment variables the node reads as defaults (node/API.md); the harness never passes them on. */
const NODE_ENV_KEYS = new Set([
  'NODE_ID', 'HOST', 'PORT', 'PEERS', 'DATA_DIR', 'ELECTION_TIMEOUT', 'HEARTBEAT_INTERVAL',
  'RPC_TIMEOUT', 'PRE_VOTE', 'CHECK_QUORUM', 'BUGS', 'SEED', 'LOG_LEVEL', 'DISK',
  // tsx and vitest hooks would load a TypeScript loader into every node process.
  'NODE_OPTIONS',
]);

/** The harness's environment without the node's configuration variables and NODE_OPTIONS. */
export function nodeEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && !NODE_ENV_KEYS.has(k)) out[k] = v;
  }
  return out;
}
