export * from './event-log.js';
export * from './http-body.js';
export * from './logger.js';
export * from './raft-node.js';
export * from './rpc-client.js';
export * from './storage.js';
export * from './validate.js';
export * from './request-guard.js';
