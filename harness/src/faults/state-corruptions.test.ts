import { describe, expect, it } from 'vitest';
import { parseState, stateText } from '../../../node/src/server/storage.js';
import { corruptStateText, STATE_CORRUPTION_NAMES } from './state-corruptions.js';

describe('state file corruptions', () => {
  it('every corruption of a real state file (and of none) fails our node\'s validation', () => {
    const texts = [stateText({ term: 7, votedFor: 'n2' }, 'f'), stateText({ term: 1, votedFor: null }, 'f'), null];
    for (const how of STATE_CORRUPTION_NAMES) {
      for (const t of texts) {
        expect(() => parseState(corruptStateText(how, t), 'f'), `${how} of ${t}`).toThrow(/corrupt/);
      }
    }
  });

  it('keeps what it does not corrupt: a wrong version keeps term and vote', () => {
    expect(JSON.parse(corruptStateText('wrong-version', stateText({ term: 7, votedFor: 'n2' }, 'f')))).toEqual({ version: 2, term: 7, votedFor: 'n2' });
    expect(corruptStateText('empty', 'x')).toBe('');
  });
});
