import { describe, expect, it } from 'vitest';
import { expectRoundTrip, proxiesOf, type NetworkState } from './probe-expectation.js';

const timing = { silenceMs: 200, answerMs: 1000 };
const none: NetworkState = { cuts: [], toxics: [] };

describe('expectRoundTrip', () => {
  it('a round trip is open with no cuts or toxics', () => {
    expect(expectRoundTrip('a', 'b', none, timing)).toEqual({ from: 'a', to: 'b', expect: 'open', deadlineMs: 1000 });
  });
  it('a cut either way blocks the round trips of both proxies of the pair, and only those', () => {
    const state: NetworkState = { cuts: [['a', 'b']], toxics: [] };
    expect(expectRoundTrip('a', 'b', state, timing).expect).toBe('blocked');
    expect(expectRoundTrip('b', 'a', state, timing).expect).toBe('blocked'); // a's replies to b are dropped
    expect(expectRoundTrip('a', 'c', state, timing).expect).toBe('open');
    expect(expectRoundTrip('c', 'b', state, timing).expect).toBe('open');
    expect(expectRoundTrip('b', 'a', state, timing).deadlineMs).toBe(200);
  });
  it('a black hole, a reset (at once or later: it swallows the data) and zero bandwidth block; positive bandwidth stays open with more time', () => {
    expect(expectRoundTrip('a', 'b', { cuts: [], toxics: [{ links: [['b', 'a']], toxic: { type: 'timeout' } }] }, timing).expect).toBe('blocked');
    expect(expectRoundTrip('a', 'b', { cuts: [], toxics: [{ links: [['a', 'b']], toxic: { type: 'bandwidth', rateKBps: 0 } }] }, timing).expect).toBe('blocked');
    expect(expectRoundTrip('b', 'a', { cuts: [], toxics: [{ links: [['a', 'b']], toxic: { type: 'reset_peer' } }] }, timing).expect).toBe('blocked');
    expect(expectRoundTrip('a', 'b', { cuts: [], toxics: [{ links: [['a', 'b']], toxic: { type: 'reset_peer', timeoutMs: 50 } }] }, timing)).toEqual({ from: 'a', to: 'b', expect: 'blocked', deadlineMs: 250 });
    const slow = expectRoundTrip('a', 'b', { cuts: [], toxics: [{ links: [['a', 'b']], toxic: { type: 'bandwidth', rateKBps: 4 } }] }, timing);
    expect(slow).toEqual({ from: 'a', to: 'b', expect: 'open', deadlineMs: 1500 });
  });
  it('a reset link (reset_peer, at once or after a delay) either way blocks the round trips of both proxies of the pair, like a cut', () => {
    for (const toxic of [{ type: 'reset_peer' as const }, { type: 'reset_peer' as const, timeoutMs: 50 }]) {
      const state: NetworkState = { cuts: [], toxics: [{ links: [['a', 'b']], toxic }] };
      // A delayed reset answers nothing either; the probe waits the delay out too.
      expect(expectRoundTrip('a', 'b', state, timing)).toEqual({ from: 'a', to: 'b', expect: 'blocked', deadlineMs: 200 + (toxic.timeoutMs ?? 0) });
      expect(expectRoundTrip('b', 'a', state, timing).expect).toBe('blocked');
      expect(expectRoundTrip('a', 'c', state, timing).expect).toBe('open');
    }
  });
  it('latency toxics on either link of the pair add up to the least delay (latency - jitter each)', () => {
    const state: NetworkState = {
      cuts: [],
      toxics: [
        { links: [['a', 'b']], toxic: { type: 'latency', latencyMs: 100, jitterMs: 20 } },
        { links: [['b', 'a'], ['c', 'a']], toxic: { type: 'latency', latencyMs: 50 } },
      ],
    };
    expect(expectRoundTrip('a', 'b', state, timing)).toEqual({ from: 'a', to: 'b', expect: 'open', minDelayMs: 130, deadlineMs: 1000 + 120 + 50 });
    expect(expectRoundTrip('b', 'a', state, timing).minDelayMs).toBe(130);
    expect(expectRoundTrip('a', 'c', state, timing).minDelayMs).toBe(50);
    expect(expectRoundTrip('b', 'c', state, timing).minDelayMs).toBeUndefined();
  });
  it('a cut link under latency waits the latency longer before calling it silent', () => {
    const state: NetworkState = { cuts: [['a', 'b']], toxics: [{ links: [['a', 'b']], toxic: { type: 'latency', latencyMs: 300, jitterMs: 0 } }] };
    expect(expectRoundTrip('a', 'b', state, timing)).toEqual({ from: 'a', to: 'b', expect: 'blocked', deadlineMs: 500 });
  });
});

describe('proxiesOf', () => {
  it('both proxies of each link, once each', () => {
    expect(proxiesOf([['a', 'b'], ['b', 'a'], ['a', 'c']])).toEqual([['a', 'b'], ['b', 'a'], ['a', 'c'], ['c', 'a']]);
  });
});
