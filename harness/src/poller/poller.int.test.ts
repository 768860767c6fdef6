import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { NodeEventEntry } from '../history/types.js';
import type { PollerEntry } from './poller.js';
import { Poller } from './poller.js';
import { until } from '../test-support/until.js';

/** A fake node: `/status` and `/events` as node/API.md has them, with knobs. */
class FakeNode {
  server: Server = createServer((req, res) => this.handle(req.url ?? '', res));
  port = 0;
  bootId = 'boot-1';
  status = { state: 'follower', term: 1, leader: null as string | null };
  events: Array<{ seq: number; atMs: number; kind: string; term: number; node: string }> = [];
  firstSeq = 1;
  statusDelayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  constructor(readonly id: string) {}

  async listen(): Promise<void> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.port = (this.server.address() as { port: number }).port;
  }
  url(): string {
    return `http://127.0.0.1:${this.port}`;
  }
  /** Long polls waiting for the next event (`wait=MS`, as the node's `/events`). */
  waiting: Array<() => void> = [];
  longPolls = 0;
  emit(kind: string, term: number): void {
    const seq = (this.events.at(-1)?.seq ?? 0) + 1;
    this.events.push({ seq, atMs: Date.now(), kind, term, node: this.id });
    for (const wake of this.waiting.splice(0)) wake();
  }
  restart(): void {
    this.bootId = `boot-${Number(this.bootId.split('-')[1]) + 1}`;
    this.events = [];
    this.emit('start', this.status.term);
  }
  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }
  private handle(url: string, res: import('node:http').ServerResponse): void {
    const u = new URL(url, 'http://x');
    if (u.pathname === '/status') {
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      setTimeout(() => {
        this.inFlight--;
        if (!res.destroyed) res.end(JSON.stringify({ id: this.id, ...this.status, bootId: this.bootId, votedFor: null }));
      }, this.statusDelayMs);
      return;
    }
    const since = Number(u.searchParams.get('since') ?? 0);
    const wait = u.searchParams.get('wait');
    if (wait !== null && !this.events.some((e) => e.seq > since)) {
      this.longPolls++;
      const answer = () => {
        clearTimeout(timer);
        if (!res.destroyed) this.handle(`/events?since=${since}`, res);
      };
      const timer = setTimeout(answer, Number(wait));
      this.waiting.push(answer);
      return;
    }
    const events = this.events.filter((e) => e.seq > since && e.seq >= this.firstSeq).slice(0, 1000);
    res.end(JSON.stringify({
      bootId: this.bootId, next: events.at(-1)?.seq ?? since,
      firstSeq: this.events.find((e) => e.seq >= this.firstSeq)?.seq ?? (this.events.at(-1)?.seq ?? 0) + 1, events,
    }));
  }
}

describe('Poller against fake nodes', () => {
  const fakes: FakeNode[] = [];
  let poller: Poller | undefined;
  afterEach(async () => {
    await poller?.stop();
    await Promise.all(fakes.splice(0).map((f) => f.close()));
  });

  async function setup(n: number, options: Partial<ConstructorParameters<typeof Poller>[0]> = {}) {
    for (let i = 1; i <= n; i++) {
      const f = new FakeNode(`n${i}`);
      await f.listen();
      f.emit('start', 0);
      fakes.push(f);
    }
    const entries: PollerEntry[] = [];
    const byId = new Map(fakes.map((f) => [f.id, f]));
    poller = new Poller({
      nodes: fakes.map((f) => f.id),
      statusUrl: (node) => byId.get(node)!.url(),
      record: (e) => entries.push(e),
      ...options,
    });
    return { entries, poller };
  }

  it('polls every node about 20 times a second and follows events across a restart', async () => {
    const { entries, poller } = await setup(3);
    poller.start();
    await until(() => entries.filter((e) => e.type === 'poll').length >= 30);
    fakes[0]!.status = { state: 'leader', term: 2, leader: 'n1' };
    fakes[0]!.emit('become-leader', 2);
    fakes[1]!.status = { state: 'follower', term: 2, leader: 'n1' };
    await expect(poller.leaderView.waitForSettledLeader(3000)).resolves.toEqual({ node: 'n1', term: 2 });
    await until(() => entries.some((e) => e.type === 'node-event' && e.kind === 'become-leader'));
    fakes[0]!.restart();
    fakes[0]!.emit('become-follower', 2);
    await until(() => entries.some((e) => e.type === 'node-event' && e.bootId === 'boot-2' && e.kind === 'become-follower'));
    await new Promise((r) => setTimeout(r, 300));
    await poller.stop();
    const count = entries.length;
    await new Promise((r) => setTimeout(r, 120));
    expect(entries.length).toBe(count); // nothing after stop

    const events = entries
      .filter((e): e is NodeEventEntry => e.type === 'node-event' && e.node === 'n1')
      .map((e) => `${e.bootId}:${e.kind}`);
    expect(events).toEqual(['boot-1:start', 'boot-1:become-leader', 'boot-2:start', 'boot-2:become-follower']);
    expect(entries.some((e) => e.type === 'events-gap')).toBe(false);
    const stats = poller.stats();
    // The first polls race the fake servers' own warm-up in this one process; most must be ok.
    expect(stats.outcomes.ok).toBeGreaterThanOrEqual(stats.polls * 0.8);
    expect(stats.outcomes.ok + stats.outcomes.timeout).toBe(stats.polls);
    expect(stats.pollsPerNodePerSecond).toBeGreaterThan(10); // 20 wanted; a loaded machine may lose some
    expect(stats.pollsPerNodePerSecond).toBeLessThanOrEqual(21);
    expect(stats.cpuMs).toBeGreaterThan(0);
    expect(stats.events).toBe(6); // n1: start, become-leader, start, become-follower; n2, n3: start
  });

  it('follow mode (eventsWaitMs): an event is recorded within a few ms through a held long poll, across a restart', async () => {
    const { entries, poller } = await setup(2, { eventsWaitMs: 2000, eventsIntervalMs: 10_000 });
    poller.start();
    await until(() => entries.filter((e) => e.type === 'node-event').length >= 2 && fakes[0]!.longPolls > 0);
    const lags: number[] = [];
    for (let i = 0; i < 5; i++) {
      const seen = entries.length;
      const t0 = performance.now();
      fakes[0]!.emit('term', i + 1);
      await until(() => entries.slice(seen).some((e) => e.type === 'node-event' && e.kind === 'term' && e.term === i + 1), 2000, 'term event', 1);
      lags.push(performance.now() - t0);
    }
    // The polling interval is 10 s here: only the held long poll can bring these in time.
    expect(Math.max(...lags)).toBeLessThan(500);
    fakes[0]!.restart();
    fakes[0]!.emit('become-candidate', 6);
    await until(() => entries.some((e) => e.type === 'node-event' && e.bootId === 'boot-2' && e.kind === 'become-candidate'));
    const stopping = performance.now();
    await poller.stop();
    expect(performance.now() - stopping).toBeLessThan(1000); // the held long polls are cut, not waited for
    const n1 = entries.filter((e): e is NodeEventEntry => e.type === 'node-event' && e.node === 'n1').map((e) => `${e.bootId}:${e.kind}`);
    expect(n1).toEqual(['boot-1:start', ...Array(5).fill('boot-1:term'), 'boot-2:start', 'boot-2:become-candidate']);
  });

  it('never overlaps polls of a node: slow answers time out and ticks are skipped', async () => {
    const { entries, poller } = await setup(1, { intervalMs: 50, pollTimeoutMs: 40 });
    fakes[0]!.statusDelayMs = 120;
    poller.start();
    await until(() => entries.filter((e) => e.type === 'poll').length >= 4);
    await poller.stop();
    const polls = entries.filter((e) => e.type === 'poll');
    expect(polls.every((p) => p.outcome === 'timeout')).toBe(true);
    expect(polls.every((p) => p.latencyMs >= 39 && p.latencyMs < 200)).toBe(true);
    // A timed-out request is abandoned by the poller, so the server may still be answering
    // the last one; the poller itself never has two in flight for a node.
    expect(poller.stats().polls).toBe(polls.length);
  });

  it('reports a refused node and a gap in its events', async () => {
    const { entries, poller } = await setup(2, { eventsIntervalMs: 50 });
    await fakes[1]!.close();
    for (let i = 0; i < 5; i++) fakes[0]!.emit('term', i);
    fakes[0]!.firstSeq = 4; // seqs 1..3 were dropped before the poller read them
    poller.start();
    await until(() => entries.some((e) => e.type === 'poll' && e.node === 'n2') && entries.some((e) => e.type === 'events-gap'));
    await poller.stop();
    expect(entries.find((e) => e.type === 'poll' && e.node === 'n2')).toMatchObject({ outcome: 'refused' });
    expect(entries.find((e) => e.type === 'events-gap')).toMatchObject({ node: 'n1', fromSeq: 1, toSeq: 3 });
    expect(entries.filter((e) => e.type === 'node-event').map((e) => (e as { seq: number }).seq)).toEqual([4, 5, 6]);
  });
});
