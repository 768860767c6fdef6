/**
 * The election settings a node runs with, as the node and the harness both name them
 * (node/API.md lists the flags; the harness's run config records them).
 */
export interface ElectionSettings {
  /** Election timeout range, ms: each wait is drawn uniformly from [min, max]. */
  electionTimeoutMin: number;
  electionTimeoutMax: number;
  /** Leader heartbeat period, ms (must be below `electionTimeoutMin`). */
  heartbeatInterval: number;
  /** Deadline of one RPC, ms. */
  rpcTimeout: number;
  preVote: boolean;
  checkQuorum: boolean;
}

/**
 * The ONE set of defaults (the Raft paper's 150-300 ms, a 50 ms heartbeat, a 75 ms RPC deadline,
 * Pre-Vote and CheckQuorum on). The node's flags, its core's config and every harness default
 * read them from here; do not write these numbers anywhere else.
 */
export const ELECTION_DEFAULTS: Readonly<ElectionSettings> = Object.freeze({
  electionTimeoutMin: 150,
  electionTimeoutMax: 300,
  heartbeatInterval: 50,
  rpcTimeout: 75,
  preVote: true,
  checkQuorum: true,
});

/**
 * The RPC deadline when none is given: half the minimum election timeout, at most 100 ms and
 * at least 1 (75 ms for the default 150 ms), so a vote round fits well inside one timeout.
 */
export function defaultRpcTimeout(electionTimeoutMin: number): number {
  return Math.max(1, Math.min(100, Math.floor(electionTimeoutMin / 2)));
}
