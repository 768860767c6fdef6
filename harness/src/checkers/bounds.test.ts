import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../../common/src/errors.js';
import { deriveBounds, explainBounds, lateReplyMs } from './bounds.js';

const defaults = { electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, pollIntervalMs: 50 };

describe('deriveBounds', () => {
  it('gives at most 1 s for 150-300 ms timeouts', () => {
    const b = deriveBounds(defaults);
    expect(b).toEqual({ electionMs: 850, stepDownMs: 700, recoveryMs: 2700 });
    expect(b.electionMs).toBeLessThanOrEqual(1000);
    expect(b.stepDownMs).toBeGreaterThanOrEqual(2 * 300);
  });

  it('stays within 1 s for 150-300 at any poll interval of at least 20 polls/s', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), (poll) => {
        expect(deriveBounds({ ...defaults, pollIntervalMs: poll }).electionMs).toBeLessThanOrEqual(1000);
      }),
    );
  });

  it('grows with the timeouts and uses the rpc timeout when given', () => {
    expect(deriveBounds({ ...defaults, electionTimeoutMin: 1000, electionTimeoutMax: 2000 }).electionMs).toBe(4000 + 200 + 100);
    expect(deriveBounds({ ...defaults, rpcTimeout: 10 }).electionMs).toBe(600 + 20 + 100);
  });

  it('applies overrides and validates them', () => {
    expect(deriveBounds(defaults, { electionMs: 500 }).electionMs).toBe(500);
    expect(deriveBounds(defaults, { electionMs: 500 }).stepDownMs).toBe(700);
    expect(() => deriveBounds(defaults, { stepDownMs: -1 })).toThrow(/bounds.stepDownMs/);
    expect(() => deriveBounds({ ...defaults, electionTimeoutMin: 400 })).toThrow(ConfigError);
    expect(() => deriveBounds({ ...defaults, pollIntervalMs: 0 })).toThrow(/pollIntervalMs/);
  });

  it('explains each bound', () => {
    const e = explainBounds(defaults, { recoveryMs: 5000 });
    expect(e.electionMs).toMatch(/^electionMs 850 ms = 2x300/);
    expect(e.recoveryMs).toMatch(/set by the scenario/);
  });
});

describe('stepDownMs with an RPC deadline past the default', () => {
  const base = { electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, pollIntervalMs: 50 };
  it('grows by what the deadline adds over the default; unchanged at the default', () => {
    expect(lateReplyMs(75, 150)).toBe(0);
    expect(deriveBounds({ ...base, rpcTimeout: 75 }).stepDownMs).toBe(700);
    expect(deriveBounds({ ...base, rpcTimeout: 40 }).stepDownMs).toBe(700);
    expect(deriveBounds({ ...base, rpcTimeout: 1000 }).stepDownMs).toBe(700 + 925);
    expect(explainBounds({ ...base, rpcTimeout: 1000 }).stepDownMs).toMatch(/\+ 925 \(replies counted up to an RPC deadline of 1000 ms\)/);
  });
  it('the default deadline is the node\'s own (defaultRpcTimeout: whole ms), for an odd minimum timeout too', () => {
    // A 151 ms minimum: the node's deadline is 75 ms, not 75.5.
    expect(lateReplyMs(100, 151)).toBe(25);
    expect(lateReplyMs(75, 151)).toBe(0);
    const odd = { ...base, electionTimeoutMin: 151 };
    expect(deriveBounds(odd).electionMs).toBe(2 * 300 + 2 * 75 + 2 * 50);
    expect(deriveBounds({ ...odd, rpcTimeout: 75 })).toEqual(deriveBounds(odd));
  });
});
