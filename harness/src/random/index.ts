export * from './constraints.js';
export * from './fault-arbitraries.js';
export * from './schedule-arbitrary.js';
export * from './to-scenario.js';
export * from './run-record.js';
export * from './search.js';
export * from './minimize.js';
export * from './run-one.js';
export { runRandom, exitCode, RANDOM_DEFAULTS } from './random-main.js';
