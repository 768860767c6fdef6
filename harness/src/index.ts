/**
 * raft-chaos as a library: `import { runScenario, loadScenario } from 'raft-chaos'`.
 *
 *   const result = await runScenario(await loadScenario('partition-leader'), { runtime: 'sim', seed: 1 });
 *   result.verdict; // 'valid' | 'invalid' | 'unknown'
 *
 * Only re-exports: what a user needs to run scenarios (named or their own), choose where they
 * run, check histories and read them back.
 */
export { runScenario, makeRunId, type RunResult } from './runner/run-scenario.js';
export type { RunOptions, RunSettings } from './runner/options.js';
export { findScenario, loadScenario, scenarioNames } from './scenario/load.js';
export { validateScenario } from './scenario/validate.js';
export type * from './scenario/types.js';
export { scenarios } from '../../scenarios/index.js';
export * from './checkers/index.js';
export { HistoryParseError, parseHistory, readHistory, streamHistory, type ParseOptions } from './history/reader.js';
export type * from './history/types.js';
export { chooseTestbed, testbedCapabilities, TESTBED_NAMES, type TestbedChoice } from './runtime/testbeds.js';
export { simTestbed, type SimSettings, type SimTestbedOptions } from './runtime/sim/sim-testbed.js';
export type * from './runtime/testbed.js';
export type { Cluster, ClusterSpec, NodeSettings, Runtime, RuntimeProcessEvent } from './runtime/types.js';
export { ConfigError, EnvironmentError, RaftChaosError, TimeoutError } from '../../common/src/errors.js';
