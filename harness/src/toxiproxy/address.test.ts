import { describe, expect, it } from 'vitest';
import { joinHostPort, resolveListenAddress, splitHostPort } from './address.js';

describe('splitHostPort', () => {
  it('splits names, IPv4 and bracketed IPv6', () => {
    expect(splitHostPort('localhost:8474')).toEqual({ host: 'localhost', port: 8474 });
    expect(splitHostPort('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(splitHostPort('[::1]:80')).toEqual({ host: '::1', port: 80 });
    expect(splitHostPort(':80')).toEqual({ host: '', port: 80 });
  });
  it('reports malformed addresses in Go wording', () => {
    expect(splitHostPort('localhost')).toMatch(/missing port/);
    expect(splitHostPort('::1:80')).toMatch(/too many colons/);
    expect(splitHostPort('a:99999')).toMatch(/invalid port/);
    expect(splitHostPort('a:-1')).toMatch(/invalid port/);
  });
});

describe('resolveListenAddress', () => {
  it('maps localhost to 127.0.0.1 and keeps IPs', async () => {
    expect(await resolveListenAddress('localhost:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(await resolveListenAddress('[::1]:5')).toEqual({ host: '::1', port: 5 });
  });
  it('rejects a malformed address', async () => {
    await expect(resolveListenAddress('nope')).rejects.toThrow(/missing port/);
  });
  it('formats IPv6 with brackets', () => {
    expect(joinHostPort('::1', 9)).toBe('[::1]:9');
    expect(joinHostPort('127.0.0.1', 9)).toBe('127.0.0.1:9');
  });
});
