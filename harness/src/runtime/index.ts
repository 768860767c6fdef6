export type { Cluster, ClusterSpec, NodeSettings, Runtime, RuntimeProcessEvent } from './types.js';
export * from './process/index.js';
