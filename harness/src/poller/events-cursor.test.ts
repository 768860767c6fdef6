import { describe, expect, it } from 'vitest';
import { EventsCursor, type EventsResponse } from './events-cursor.js';

const stamp = { t: 500, wall: 10_500, toRunTime: (ms: number) => ms - 10_000 };
const ev = (seq: number, kind = 'term') => ({ seq, atMs: 10_000 + seq, kind, term: seq, node: 'n1' });
const page = (bootId: string, events: ReturnType<typeof ev>[], firstSeq = 1, since = 0): EventsResponse => ({
  bootId, firstSeq, events, next: events.length > 0 ? events[events.length - 1]!.seq : since,
});

describe('EventsCursor', () => {
  it('copies events with the run-clock time and advances', () => {
    const c = new EventsCursor('n1');
    const r = c.accept(page('b1', [ev(1, 'start'), ev(2)]), 0, stamp);
    expect(r.again).toBe(false);
    expect(r.entries).toEqual([
      { type: 'node-event', t: 1, wall: 10_001, node: 'n1', bootId: 'b1', seq: 1, atMs: 10_001, kind: 'start', term: 1 },
      { type: 'node-event', t: 2, wall: 10_002, node: 'n1', bootId: 'b1', seq: 2, atMs: 10_002, kind: 'term', term: 2 },
    ]);
    expect(c.query()).toBe(2);
    expect(c.accept(page('b1', [], 1, 2), 2, stamp).entries).toEqual([]);
    expect(c.query()).toBe(2);
  });

  it('reports lost events as a gap', () => {
    const c = new EventsCursor('n1');
    c.accept(page('b1', [ev(1)]), 0, stamp);
    const r = c.accept(page('b1', [ev(7), ev(8)], 7), 1, stamp);
    expect(r.entries[0]).toEqual({ type: 'events-gap', t: 500, wall: 10_500, node: 'n1', bootId: 'b1', fromSeq: 2, toSeq: 6 });
    expect(r.entries).toHaveLength(3);
    expect(c.query()).toBe(8);
  });

  it('starts over at 0 when the node restarted, dropping an answer meant for the old boot', () => {
    const c = new EventsCursor('n1');
    c.accept(page('b1', [ev(1), ev(2), ev(3)]), 0, stamp);
    const stale = c.accept(page('b2', [], 1, 3), 3, stamp);
    expect(stale).toEqual({ entries: [], again: true });
    expect(c.query()).toBe(0);
    const fresh = c.accept(page('b2', [ev(1, 'start')]), 0, stamp);
    expect(fresh.entries.map((e) => [e.type, e.bootId])).toEqual([['node-event', 'b2']]);
  });

  it('asks again after a full page', () => {
    const c = new EventsCursor('n1');
    const events = Array.from({ length: 1000 }, (_, i) => ev(i + 1));
    expect(c.accept(page('b1', events), 0, stamp).again).toBe(true);
    expect(c.query()).toBe(1000);
  });
});
