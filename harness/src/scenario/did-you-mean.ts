/** Near-miss suggestions for error messages; the one implementation is in common/ (the subject module uses it too). */
export { closest, didYouMean } from '../../../common/src/did-you-mean.js';
