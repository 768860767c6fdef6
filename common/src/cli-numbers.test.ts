import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { optionalDurationMs, optionalWholeNumber, parseDurationMs, parseMsRange, parseWholeNumber } from './cli-numbers.js';

describe('parseMsRange', () => {
  it('reads MIN-MAX, with spaces around the parts', () => {
    expect(parseMsRange('150-300', '--x')).toEqual([150, 300]);
    expect(parseMsRange(' 150 - 300 ', '--x')).toEqual([150, 300]);
    expect(parseMsRange('7-7', '--x')).toEqual([7, 7]);
  });
  it.each([
    ['fast', /--x: "fast" is not MIN-MAX/],
    ['150', /"150" is not MIN-MAX/],
    ['-5-10', /not MIN-MAX/],
    ['1.5-3', /not MIN-MAX/],
    ['0-10', /minimum must be at least 1 ms/],
    ['10-60001', /maximum must be at most 60000 ms/],
    ['300-150', /min 300 is above max 150/],
  ])('rejects %s with a ConfigError naming the option', (raw, message) => {
    expect(() => parseMsRange(raw, '--x')).toThrow(message);
    expect(() => parseMsRange(raw, '--x')).toThrow(ConfigError);
  });
  it('keeps the limits it is given', () => {
    expect(() => parseMsRange('1-5', '--y', { least: 2, most: 100 })).toThrow(/--y: "1-5": the minimum must be at least 2 ms/);
    expect(parseMsRange('10-3600000', '--y', { least: 1, most: 3_600_000 })).toEqual([10, 3_600_000]);
  });
});

describe('parseWholeNumber', () => {
  it('reads digits, spaces around allowed, within the range', () => {
    expect(parseWholeNumber('5', '--n', 1, 15)).toBe(5);
    expect(parseWholeNumber(' 15 ', '--n', 1, 15)).toBe(15);
    expect(optionalWholeNumber(undefined, '--n', 1, 15)).toBeUndefined();
    expect(optionalWholeNumber('0', '--n', 0, 1)).toBe(0);
  });
  it.each(['many', '', '-1', '1.5', '1e3', '0', '16', '99999999999999999999'])('rejects "%s" naming the option and the range', (raw) => {
    expect(() => parseWholeNumber(raw, '--n', 1, 15)).toThrow(ConfigError);
    expect(() => parseWholeNumber(raw, '--n', 1, 15)).toThrow(`--n must be a whole number from 1 to 15, got "${raw}"`);
  });
});

describe('parseDurationMs', () => {
  it('reads ms like every other duration, and a unit for convenience', () => {
    expect(parseDurationMs('90000', '--time-limit', 1000, 3_600_000)).toBe(90_000);
    expect(parseDurationMs('90000ms', '--time-limit', 1000, 3_600_000)).toBe(90_000);
    expect(parseDurationMs(' 90s ', '--time-limit', 1000, 3_600_000)).toBe(90_000);
    expect(parseDurationMs('5m', '--time-limit', 1000, 3_600_000)).toBe(300_000);
    expect(parseDurationMs('1h', '--time-limit', 1000, 3_600_000)).toBe(3_600_000);
    expect(optionalDurationMs(undefined, '--time-limit', 1000, 3_600_000)).toBeUndefined();
  });
  it.each([
    ['60', /--time-limit 60 would be 60 ms \(durations are ms\): write 60s for seconds, or 60ms if you mean it/],
    ['ten', /--time-limit must be a duration in ms or with a unit \(90000, 90s, 5m, 1h\), got "ten"/],
    ['1.5s', /must be a duration/],
    ['-5s', /must be a duration/],
    ['500ms', /--time-limit must be from 1s to 1h, got "500ms"/],
    ['2h', /--time-limit must be from 1s to 1h, got "2h"/],
  ])('refuses %s naming the option', (raw, message) => {
    expect(() => parseDurationMs(raw, '--time-limit', 1000, 3_600_000)).toThrow(ConfigError);
    expect(() => parseDurationMs(raw, '--time-limit', 1000, 3_600_000)).toThrow(message);
  });
});
