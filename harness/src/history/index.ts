export type * from './types.js';
export * from './sink.js';
export * from './writer.js';
export * from './recorder.js';
export * from './reader.js';
