export * from './errors.js';
export * from './cli-numbers.js';
