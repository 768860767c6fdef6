import { describe, expect, it } from 'vitest';
import { heartbeatFor, parseRanges, parseSweepArgs, SWEEP_USAGE } from './sweep-args.js';

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
  it("takes the scenario's names, --report-dir and --heartbeat-interval, and the old --out and --heartbeat as aliases", () => {
    const a = parseSweepArgs(['--election-timeout', '150-300', '--heartbeat-interval', '20', '--report-dir', 'y'], now);
    const b = parseSweepArgs(['--election-timeout', '150-300', '--heartbeat', '20', '--out', 'y'], now);
    expect(a).toMatchObject({ heartbeatMs: 20, outDir: 'y' });
    expect(b).toEqual(a);
    expect(SWEEP_USAGE).toMatch(/--report-dir DIR/);
    expect(SWEEP_USAGE).toMatch(/--heartbeat-interval MS/);
    expect(SWEEP_USAGE).not.toMatch(/--out DIR|--heartbeat MS/);
  });
  it('reads every option', () => {
    const a = parseSweepArgs(['--election-timeout', '12-24,150-300', '--nodes', '3', '--trials', '7', '--heartbeat', '5', '--runtime', 'sim', '--fault', 'kill,pause', '--seed', '9', '--time-limit', '60s', '--out', 'x', '--trial-timeout', '900'], now);
    expect(a).toMatchObject({ nodes: 3, trials: 7, heartbeatMs: 5, runtime: 'sim', faults: ['kill', 'pause'], seed: 9, timeLimitMs: 60_000, outDir: 'x', trialTimeoutMs: 900 });
  });
  it.each([
    [[], /--election-timeout is required/],
    [['--election-timeout', '150-300', '--runtime', 'vm'], /--runtime: "vm"/],
    [['--election-timeout', '150-300', '--fault', 'crash'], /--fault: "crash"/],
    [['--election-timeout', '12-24', '--heartbeat', '12'], /--heartbeat-interval: 12 ms is not below the minimum of 12-24/],
    [['--election-timeout', '12-24', '--heartbeat-interval', '12'], /--heartbeat-interval: 12 ms is not below the minimum of 12-24/],
    [['--election-timeout', '150-300', '--nodes', '2'], /^--nodes 2: a cluster needs at least 3 nodes/],
    [['--election-timeout', '150-300', '--nodes', '-1'], /^--nodes must be a whole number from 3 to 15, got "-1"$/],
    [['--election-timeout', '150-300', '--seed', '-1'], /^--seed must be a whole number from 0 to 2147483648, got "-1"$/],
    [['--election-timeout', '150-300', '--out', '/proc/sweep'], /^--report-dir "\/proc\/sweep": is under \/proc/],
    [['--election-timeout', '150-300', '--trials', '0'], /--trials must be a whole number from 1 to \d+, got "0"/],
    [['--election-timeout', '150-300', '--time-limit', 'soon'], /--time-limit must be a duration in ms or with a unit/],
    [['--election-timeout', '150-300', '--time-limit', '60'], /--time-limit 60 would be 60 ms \(durations are ms\): write 60s/],
    [['--election-timeout', '150-300', '--bogus'], /unknown option --bogus/],
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

describe('a sweep of another subject', () => {
  it('takes --subject and --node-command, and refuses them on the simulated runtime', () => {
    const args = parseSweepArgs(['--election-timeout', '150-300', '--subject', 'course', '--node-command', 'python3 node.py']);
    expect(args.subject?.name).toBe('course');
    expect(() => parseSweepArgs(['--election-timeout', '150-300', '--runtime', 'sim', '--subject', 'course', '--node-command', 'x'])).toThrow(/--runtime sim runs only the project's own node/);
    expect(parseSweepArgs(['--election-timeout', '150-300']).subject).toBeUndefined();
  });
});
