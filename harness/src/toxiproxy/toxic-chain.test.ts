import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ToxicChain } from './toxic-chain.js';
import { findToxicKind } from './toxic-kind.js';
import type { Toxic } from './toxic.js';
import './toxics/index.js';

function toxic(name: string, type: string, attributes: Record<string, number>, toxicity = 1): Toxic {
  return { name, type, stream: 'downstream', streamName: 'downstream', toxicity, attributes, kind: findToxicKind(type)! };
}

function harness(toxics: Toxic[]) {
  const out: string[] = [];
  const events = { ended: 0, dropped: 0, resets: 0 };
  const chain = new ToxicChain(
    toxics,
    { write: (c) => out.push(c.toString()), end: () => (events.ended += 1) },
    { drop: (n) => (events.dropped += n), reset: () => (events.resets += 1) },
  );
  return { chain, out, events, write: (s: string) => chain.head.write(Buffer.from(s)) };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('ToxicChain', () => {
  it('with no toxics writes straight to the sink', () => {
    const h = harness([]);
    h.write('a');
    h.chain.head.end();
    expect(h.out).toEqual(['a']);
    expect(h.events.ended).toBe(1);
  });
  it('latency holds chunks, keeps order, and releases them early when removed', () => {
    const h = harness([toxic('l', 'latency', { latency: 100, jitter: 0 })]);
    h.write('a');
    vi.advanceTimersByTime(50);
    h.write('b');
    h.chain.head.end();
    vi.advanceTimersByTime(60);
    expect(h.out).toEqual(['a']);
    h.chain.remove('l');
    expect(h.out).toEqual(['a', 'b']);
    expect(h.events.ended).toBe(1);
  });
  it('updating a toxic releases what it held and restarts it with new settings', () => {
    const h = harness([toxic('b', 'bandwidth', { rate: 0 })]);
    h.write('x');
    vi.advanceTimersByTime(1000);
    expect(h.out).toEqual([]);
    h.chain.update(toxic('b', 'bandwidth', { rate: 1 }));
    expect(h.out).toEqual(['x']);
    h.write('yy'); // 2 bytes at 1 byte/ms
    vi.advanceTimersByTime(1);
    expect(h.out).toEqual(['x']);
    vi.advanceTimersByTime(2);
    expect(h.out).toEqual(['x', 'yy']);
  });
  it('limit_data cuts the crossing chunk, ends, and keeps its count across updates', () => {
    const h = harness([toxic('l', 'limit_data', { bytes: 5 })]);
    h.write('abc');
    h.chain.update(toxic('l', 'limit_data', { bytes: 5 }));
    h.write('defg');
    h.write('h');
    expect(h.out).toEqual(['abc', 'de']);
    expect(h.events.ended).toBe(1);
    expect(h.events.dropped).toBe(3);
  });
  it('timeout drops data, ends after its timeout, and removal ends at once', () => {
    const h = harness([toxic('t', 'timeout', { timeout: 100 })]);
    h.write('abc');
    expect(h.events.dropped).toBe(3);
    vi.advanceTimersByTime(101);
    expect(h.events.ended).toBe(1);
    const h2 = harness([toxic('t', 'timeout', { timeout: 0 })]);
    vi.advanceTimersByTime(10_000);
    expect(h2.events.ended).toBe(0);
    h2.chain.remove('t');
    expect(h2.events.ended).toBe(1);
  });
  it('reset_peer resets after its timeout from the first chunk', () => {
    const h = harness([toxic('r', 'reset_peer', { timeout: 50 })]);
    vi.advanceTimersByTime(500);
    expect(h.events.resets).toBe(0);
    h.write('a');
    vi.advanceTimersByTime(49);
    expect(h.events.resets).toBe(0);
    vi.advanceTimersByTime(2);
    expect(h.events.resets).toBe(1);
  });
  it('slow_close delays only the end', () => {
    const h = harness([toxic('s', 'slow_close', { delay: 100 })]);
    h.write('a');
    h.chain.head.end();
    expect(h.out).toEqual(['a']);
    vi.advanceTimersByTime(99);
    expect(h.events.ended).toBe(0);
    vi.advanceTimersByTime(2);
    expect(h.events.ended).toBe(1);
  });
  it('an inactive toxic (toxicity 0) passes data through', () => {
    const h = harness([toxic('l', 'latency', { latency: 1000, jitter: 0 }, 0)]);
    h.write('a');
    expect(h.out).toEqual(['a']);
  });
  it('disposing cancels every timer', () => {
    const h = harness([toxic('l', 'latency', { latency: 100, jitter: 0 })]);
    h.write('a');
    h.chain.dispose();
    vi.advanceTimersByTime(1000);
    expect(h.out).toEqual([]);
  });
});
