import { describe, expect, it } from 'vitest';
import { heartbeatFor, parseRanges, parseSweepArgs } from './sweep-args.js';

describe('parseRanges', () => {
  it('reads a list of MIN-MAX ranges', () => {
    expect(parseRanges('150-155, 150-300')).toEqual([{ min: 150, max: 155 }, { min: 150, max: 300 }]);
  });
  it.each([
    ['150', /"150" is not MIN-MAX/],
    ['300-150', /min 300 is above max 150/],
    ['150-300,,12-24', /empty range/],
    ['1-5', /at least 2 ms/],
    ['150-300,150-300', /given twice/],
    ['a-b', /not MIN-MAX/],
  ])('rejects %s with a clear message', (text, message) => {
    expect(() => parseRanges(text)).toThrow(message);
  });
});

describe('parseSweepArgs', () => {
  const now = () => new Date('2026-01-02T03:04:05Z');
  it('fills the defaults', () => {
    const a = parseSweepArgs(['--election-timeout', '150-300'], now);
    expect(a).toMatchObject({ nodes: 5, trials: 100, runtime: 'process', faults: ['kill'], seed: 1, pollIntervalMs: 25, outDir: 'reports/sweep-20260102-030405' });
    expect(a.heartbeatMs).toBeUndefined();
  });
  it('reads every option', () => {
    const a = parseSweepArgs(['--election-timeout', '12-24,150-300', '--nodes', '3', '--trials', '7', '--heartbeat', '5', '--runtime', 'sim', '--fault', 'kill,pause', '--seed', '9', '--time-limit', '60', '--out', 'x', '--trial-timeout', '900'], now);
    expect(a).toMatchObject({ nodes: 3, trials: 7, heartbeatMs: 5, runtime: 'sim', faults: ['kill', 'pause'], seed: 9, timeLimitSec: 60, outDir: 'x', trialTimeoutMs: 900 });
  });
  it.each([
    [[], /--election-timeout is required/],
    [['--election-timeout', '150-300', '--runtime', 'vm'], /--runtime: "vm"/],
    [['--election-timeout', '150-300', '--fault', 'crash'], /--fault: "crash"/],
    [['--election-timeout', '12-24', '--heartbeat', '12'], /--heartbeat: 12 ms is not below the minimum of 12-24/],
    [['--election-timeout', '150-300', '--trials', '0'], /--trials must be a whole number from 1 to \d+, got "0"/],
    [['--election-timeout', '150-300', '--time-limit', 'soon'], /--time-limit/],
    [['--election-timeout', '150-300', '--bogus'], /Unknown option/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseSweepArgs(argv as string[], now)).toThrow(message);
  });
  it('lowers the default heartbeat below a short range and says so', () => {
    expect(heartbeatFor({ min: 150, max: 300 }, undefined)).toEqual({ ms: 50 });
    const h = heartbeatFor({ min: 12, max: 24 }, undefined);
    expect(h.ms).toBe(4);
    expect(h.note).toMatch(/lowered to 4 ms/);
  });
});
