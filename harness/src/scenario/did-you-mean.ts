/** The near-miss hint lives in common/ (the option table uses it too); scenario code imports it from here. */
export { closest, didYouMean } from '../../../common/src/did-you-mean.js';
