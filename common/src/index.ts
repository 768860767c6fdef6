export * from './errors.js';
export * from './ms-range.js';
