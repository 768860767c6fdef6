import { describe, expect, it } from 'vitest';
import { PROCESS_TIMING } from '../../runtime/sim/sim-nodes.js';
import { simWriteMaxMs, writeDelayMs } from './write-time.js';

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
});
