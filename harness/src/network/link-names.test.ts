import { describe, expect, it } from 'vitest';
import { directedLinks, linkProxyName, parseHostPort } from './link-names.js';
import { toxicAttributes, toxicBody } from './link-toxic.js';

describe('link names', () => {
  it('has n·(n−1) directed links', () => {
    expect(directedLinks(['a', 'b', 'c'])).toEqual([
      ['a', 'b'], ['a', 'c'], ['b', 'a'], ['b', 'c'], ['c', 'a'], ['c', 'b'],
    ]);
    expect(directedLinks(['a', 'b', 'c', 'd', 'e'])).toHaveLength(20);
  });

  it('names a proxy by run, source and destination', () => {
    expect(linkProxyName('r1', 'n1', 'n2')).toBe('r1-n1-to-n2');
  });

  it('parses listen addresses', () => {
    expect(parseHostPort('127.0.0.1:43127')).toEqual({ host: '127.0.0.1', port: 43127 });
    expect(parseHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(() => parseHostPort('nope')).toThrow(/host:port/);
  });
});

describe('link toxics', () => {
  it('maps faults to Toxiproxy attributes', () => {
    expect(toxicAttributes({ type: 'latency', latencyMs: 100, jitterMs: 20 })).toEqual({ latency: 100, jitter: 20 });
    expect(toxicAttributes({ type: 'latency', latencyMs: 100 })).toEqual({ latency: 100, jitter: 0 });
    expect(toxicAttributes({ type: 'bandwidth', rateKBps: 5 })).toEqual({ rate: 5 });
    expect(toxicAttributes({ type: 'timeout' })).toEqual({ timeout: 0 });
    expect(toxicBody('x', 'upstream', { type: 'timeout', timeoutMs: 5 })).toEqual({
      name: 'x', stream: 'upstream', type: 'timeout', toxicity: 1, attributes: { timeout: 5 },
    });
  });
});
