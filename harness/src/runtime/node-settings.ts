import { ELECTION_DEFAULTS } from '../../../common/src/election-settings.js';
import type { NodeSettings } from './types.js';

/**
 * Node settings with the node's own defaults (node/API.md): 150-300 ms election timeout,
 * 50 ms heartbeat, 75 ms RPC deadline, Pre-Vote and CheckQuorum on, no bugs, `warn` logs,
 * seed 1. For benches and tests that start clusters without a scenario.
 */
export function nodeSettings(overrides: Partial<NodeSettings> = {}): NodeSettings {
  return {
    ...ELECTION_DEFAULTS,
    bugs: [],
    logLevel: 'warn',
    seed: 1,
    ...overrides,
  };
}
