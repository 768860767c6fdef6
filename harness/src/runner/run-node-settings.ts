import type { NodeSettings } from '../runtime/types.js';
import type { RunSettings } from './options.js';

/** The node settings a run's settings give every node, real or simulated (the log level is the runtime's). */
export function runNodeSettings(settings: RunSettings): Omit<NodeSettings, 'logLevel'> {
  const { electionTimeoutMin, electionTimeoutMax, heartbeatInterval, rpcTimeout, preVote, checkQuorum, bugs, disk } = settings.config;
  return { electionTimeoutMin, electionTimeoutMax, heartbeatInterval, rpcTimeout, preVote, checkQuorum, bugs, seed: settings.seed, ...(disk !== undefined ? { disk } : {}) };
}
