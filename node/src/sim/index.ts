export * from './event-queue.js';
export * from './network.js';
export * from './sim-cluster.js';
export * from './scenario.js';
