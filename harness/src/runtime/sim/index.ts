export * from './virtual-clock.js';
export * from './sim-links.js';
export * from './sim-nodes.js';
export * from './sim-partitioner.js';
export * from './sim-poller.js';
export * from './sim-testbed.js';
