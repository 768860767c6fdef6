import { describe, expect, it } from 'vitest';
import { EventLog } from './event-log.js';

const add = (log: EventLog, n: number) => {
  for (let i = 0; i < n; i++) log.append({ kind: 'term', term: i, node: 'n1', atMs: 1000 + i });
};

describe('/events log', () => {
  it('numbers events from 1 and pages with since/next', () => {
    const log = new EventLog(100);
    add(log, 5);
    const p = log.since(0, 3);
    expect(p.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(p).toMatchObject({ next: 3, firstSeq: 1 });
    expect(log.since(p.next).events.map((e) => e.seq)).toEqual([4, 5]);
    expect(log.since(5)).toEqual({ next: 5, firstSeq: 1, events: [] });
  });

  it('keeps only the newest entries and reports what was lost through firstSeq', () => {
    const log = new EventLog(10);
    add(log, 25);
    const p = log.since(0);
    expect(p.firstSeq).toBe(16);
    expect(p.events.map((e) => e.seq)).toEqual([16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });

  it('an empty log has firstSeq 1 and echoes since', () => {
    expect(new EventLog().since(0)).toEqual({ next: 0, firstSeq: 1, events: [] });
  });

  it('waitFor: at once when an event after since is there, on the next append otherwise, else after the wait', async () => {
    const log = new EventLog(100);
    add(log, 2);
    let woke = false;
    await log.waitFor(1, 10_000); // seq 2 is there: no wait
    const pending = log.waitFor(2, 10_000).then(() => (woke = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    add(log, 1);
    await pending;
    expect(woke).toBe(true);
    const t0 = performance.now();
    await log.waitFor(3, 40);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(35);
  });

  it('waitFor: an event that does not pass since leaves the poll waiting (a poll far ahead ends with its wait, not with the next event)', async () => {
    const log = new EventLog(100);
    let woke = false;
    const pending = log.waitFor(1000, 10_000).then(() => (woke = true));
    add(log, 3);
    await new Promise((r) => setTimeout(r, 20));
    expect(woke).toBe(false);
    log.wakeAll();
    await pending;
    expect(woke).toBe(true);
  });

  it('waitFor: a cancelled or woken long poll resolves at once', async () => {
    const log = new EventLog(100);
    const gone = new AbortController();
    const t0 = performance.now();
    const a = log.waitFor(0, 10_000, gone.signal);
    const b = log.waitFor(0, 10_000);
    gone.abort();
    await a;
    log.wakeAll();
    await b;
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});
