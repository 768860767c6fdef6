import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.js';
import { inEventOrder, inTimeOrder } from './timeline.js';

describe('inTimeOrder', () => {
  it('returns an ordered history as is, and sorts stably otherwise, once per history', () => {
    const ordered = new HistoryBuilder(['n1']).start().poll('n1', { term: 1 }, 10).end(20).entries;
    expect(inTimeOrder(ordered)).toBe(ordered);
    const h = new HistoryBuilder(['n1']).start().poll('n1', { term: 1 }, 10).event('n1', 'term', 1, {}, 5).event('n1', 'x', 1, {}, 5).entries;
    const sorted = inTimeOrder(h);
    expect(sorted.map((e) => e.t)).toEqual([0, 0, 5, 5, 10]);
    expect(sorted.filter((e) => e.t === 5).map((e) => (e as { kind?: string }).kind)).toEqual(['term', 'x']);
    expect(inTimeOrder(h)).toBe(sorted);
    expect(h.map((e) => e.t)).toEqual([0, 0, 10, 5, 5]);
  });
});

describe('inEventOrder', () => {
  it("keeps one boot's events in the order its node wrote them, even when their times read swapped", () => {
    const h = new HistoryBuilder(['n1', 'n2']).start();
    h.event('n1', 'step-down', 6, {}, 10044.9).event('n1', 'become-follower', 6, {}, 10043.9).event('n2', 'vote', 6, {}, 10044);
    h.poll('n2', { term: 6 }, 10050);
    const order = inEventOrder(h.entries).filter((e) => e.type === 'node-event').map((e) => (e as { kind?: string }).kind);
    expect(order).toEqual(['vote', 'step-down', 'become-follower']);
    expect(inTimeOrder(h.entries).filter((e) => e.type === 'node-event').map((e) => (e as { kind?: string }).kind)).toEqual(['become-follower', 'vote', 'step-down']);
  });

  it("keeps one boot's order among equal times when other entries sit between its events", () => {
    const h = new HistoryBuilder(['n1', 'n2']).start();
    h.event('n1', 'become-candidate', 6, {}, 100).event('n1', 'become-leader', 6, {}, 100);
    h.event('n2', 'vote', 6, {}, 100).event('n2', 'term', 6, {}, 100);
    const [first, second, third, fourth] = h.entries.filter((e) => e.type === 'node-event');
    // File order: n1's second event, n2's two, then n1's first (all read at the same time).
    const entries = [...h.entries.filter((e) => e.type !== 'node-event'), second!, third!, fourth!, first!];
    const order = inEventOrder(entries).filter((e) => e.type === 'node-event').map((e) => (e as { kind?: string }).kind);
    expect(order).toEqual(['become-candidate', 'vote', 'term', 'become-leader']);
  });
});
