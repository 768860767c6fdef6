import { ELECTION_DEFAULTS } from '../../../common/src/election-settings.js';
import type { CoreConfig, NodeId } from './types.js';

/**
 * A complete CoreConfig with the node's documented defaults (node/API.md, common's
 * ELECTION_DEFAULTS: 150-300 ms, heartbeat 50 ms, Pre-Vote and CheckQuorum on), no bugs.
 * Override any field.
 */
export function defaultCoreConfig(
  id: NodeId,
  peers: readonly NodeId[],
  overrides: Partial<Omit<CoreConfig, 'id' | 'peers'>> = {},
): CoreConfig {
  return {
    id,
    peers,
    electionTimeoutMin: ELECTION_DEFAULTS.electionTimeoutMin,
    electionTimeoutMax: ELECTION_DEFAULTS.electionTimeoutMax,
    heartbeatInterval: ELECTION_DEFAULTS.heartbeatInterval,
    preVote: ELECTION_DEFAULTS.preVote,
    checkQuorum: ELECTION_DEFAULTS.checkQuorum,
    bugs: [],
    ...overrides,
  };
}
