import { describe, expect, it } from 'vitest';
import { defaultRpcTimeout, ELECTION_DEFAULTS } from './election-settings.js';

describe('election settings', () => {
  it('defaults to 150-300 ms, 50 ms heartbeat, a 75 ms RPC deadline derived from the minimum', () => {
    expect(ELECTION_DEFAULTS).toMatchObject({ electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, rpcTimeout: 75 });
    expect(defaultRpcTimeout(ELECTION_DEFAULTS.electionTimeoutMin)).toBe(ELECTION_DEFAULTS.rpcTimeout);
    expect(Object.isFrozen(ELECTION_DEFAULTS)).toBe(true);
  });
  it('derives the RPC deadline as half the minimum, capped at 100, never 0', () => {
    expect(defaultRpcTimeout(1000)).toBe(100);
    expect(defaultRpcTimeout(80)).toBe(40);
    expect(defaultRpcTimeout(1)).toBe(1);
  });
});
