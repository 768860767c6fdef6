import { describe, expect, it } from 'vitest';
import { PROCESS_TIMING } from '../../runtime/sim/sim-nodes.js';
import { simWriteMaxMs, voteOverheadMs, writeDelayMs } from './write-time.js';

describe('write-time', () => {
  it('a save syncs twice: sync-delay counts two times; other modes add nothing', () => {
    expect(writeDelayMs(undefined)).toBe(0);
    expect(writeDelayMs('real')).toBe(0);
    expect(writeDelayMs('lossy,faults')).toBe(0);
    expect(writeDelayMs('lossy,sync-delay=20')).toBe(40);
  });
  it('the longest simulated save is the simulation\'s own longest plus the mode\'s delay', () => {
    expect(simWriteMaxMs(undefined)).toBe(PROCESS_TIMING.persistMaxMs);
    expect(simWriteMaxMs('sync-delay=7')).toBe(PROCESS_TIMING.persistMaxMs + 14);
  });
  it('a vote\'s round trip besides the toxics: two busy one-way delays (4 ms each) and the voter\'s longest save', () => {
    expect(voteOverheadMs(undefined)).toBe(8 + PROCESS_TIMING.persistMaxMs);
    expect(voteOverheadMs('sync-delay=5')).toBe(8 + PROCESS_TIMING.persistMaxMs + 10);
  });
});
