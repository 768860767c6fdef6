import { describe, expect, it } from 'vitest';
import { ms as checkMs } from '../checkers/support/witnesses.js';
import { consoleStamp, fmtMs } from './time-format.js';

describe('fmtMs: one unit style for console, checks and report', () => {
  it('writes milliseconds, integers as they are and others to one decimal', () => {
    expect(fmtMs(850)).toBe('850 ms');
    expect(fmtMs(201.72)).toBe('201.7 ms');
    expect(fmtMs(3891.8)).toBe('3891.8 ms');
    expect(fmtMs(0)).toBe('0 ms');
    expect(fmtMs(12.04)).toBe('12 ms');
  });

  it("agrees with the checks' messages for every value they print", () => {
    for (const v of [0, 1, 15, 201.7, 850, 3891.8, 4114.1, 60000, 123456.5]) expect(fmtMs(v)).toBe(checkMs(v));
  });

  it('stamps console lines with the run time in the same style, aligned', () => {
    expect(consoleStamp(2105.4)).toBe('[   2105 ms]');
    expect(consoleStamp(300)).toBe('[    300 ms]');
    expect(consoleStamp(undefined)).toHaveLength(consoleStamp(2105).length);
  });
});
