export * from './types.js';
export * from './bugs.js';
export * from './quorum.js';
export * from './prng.js';
export * from './log.js';
export * from './vote-decision.js';
export * from './election-timer.js';
export * from './config-defaults.js';
export { RaftCore, createCore } from './raft-core.js';
