export type { Cluster, ClusterSpec, NodeSettings, Runtime, RuntimeProcessEvent } from './types.js';
export * from './process/index.js';
export type * from './testbed.js';
export { chooseTestbed, testbedCapabilities, TESTBED_NAMES, type TestbedChoice } from './testbeds.js';
export { realTestbed } from './real-testbed.js';
export { makeRunId } from './run-id.js';
export { httpGet, statusOf, waitUntilReady, type HttpAnswer, type Readiness, type ReadinessWait, type ReadyStatus } from './readiness.js';
