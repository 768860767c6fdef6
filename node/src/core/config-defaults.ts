import type { CoreConfig, NodeId } from './types.js';

/**
 * A complete CoreConfig with the node's documented defaults (node/API.md): election timeout
 * 150-300 ms, heartbeat 50 ms, Pre-Vote and CheckQuorum on, no bugs. Override any field.
 */
export function defaultCoreConfig(
  id: NodeId,
  peers: readonly NodeId[],
  overrides: Partial<Omit<CoreConfig, 'id' | 'peers'>> = {},
): CoreConfig {
  return {
    id,
    peers,
    electionTimeoutMin: 150,
    electionTimeoutMax: 300,
    heartbeatInterval: 50,
    preVote: true,
    checkQuorum: true,
    bugs: [],
    ...overrides,
  };
}
