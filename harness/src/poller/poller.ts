import { Agent } from 'node:http';
import type { EventsGapEntry, NodeEventEntry, PollEntry } from '../history/types.js';
import { EventsCursor, isEventsResponse, type EventsResponse } from './events-cursor.js';
import { getJson } from './http-get.js';
import { LeaderView } from './leader-view.js';
import { toPollEntry, toSubjectPollEntry } from './poll-entry.js';
import type { StatusSpec } from '../subject/types.js';
import { StatsCounter, type PollerStats } from './poller-stats.js';

/** What the poller needs of a cluster (any runtime's Cluster has it). */
export interface PolledCluster {
  readonly nodes: readonly string[];
  /** Base URL of the node's HTTP API, reachable from the harness directly (not proxied). */
  statusUrl(node: string): string;
}

/** The run clock the poller stamps entries with; a Recorder fits (`clock: recorder`). */
export interface PollerClock {
  /** Milliseconds since the run started (monotonic). */
  now(): number;
  /** A node's epoch ms mapped onto the run clock. */
  toRunTime(wallMs: number): number;
}

/** What the poller hands on. */
export type PollerEntry = PollEntry | NodeEventEntry | EventsGapEntry;

export interface PollerOptions {
  nodes: readonly string[];
  /** Base URL of a node's own HTTP API (never a proxy): `cluster.statusUrl`. Asked at every poll. */
  statusUrl(node: string): string;
  /** Gets every entry, stamped, in the order the harness learned it (e.g. `(e) => recorder.record(e)`). */
  record(entry: PollerEntry): void;
  /** Default: a clock whose zero is the poller's construction. */
  clock?: PollerClock;
  /** Status poll period per node (default 50 ms: 20 polls per node per second). */
  intervalMs?: number;
  /**
   * Deadline of one status poll (default max(0.8 × interval, 200 ms)). A node whose poll is
   * still in flight skips ticks, so a slow answer lowers that node's rate instead of counting
   * as "no answer": on a busy machine a 40 ms deadline calls a healthy node unreachable.
   */
  pollTimeoutMs?: number;
  /** `/events` is fetched at least this often per node (default 100 ms), and at once when a poll shows a change. */
  eventsIntervalMs?: number;
  /** Deadline of one `/events` fetch (default 1000 ms). */
  eventsTimeoutMs?: number;
  /**
   * Polls older than this do not count for `leaderView` (default max(500, 10 × interval)). A
   * node that stops answering is seen sooner: its failed poll replaces its last ok one.
   */
  staleMs?: number;
  /**
   * A subject's status map (harness/src/subject/): `GET spec.path` read through it. Absent: the
   * project's own node's `/status`.
   */
  status?: StatusSpec;
  /** The subject has an events endpoint at this path (default `/events`); null: status polls only. */
  eventsPath?: string | null;
  /** Which boot of `node` answers now (a subject's status has no boot id: the runtime's pid). */
  bootOf?(node: string): string | undefined;
  /**
   * Follow every node's events as they happen: one long poll `GET /events?since=N&wait=MS`
   * (node/API.md) per node at all times, asked again as soon as it answers, so an event is
   * recorded within a few ms of the node logging it (steps fired by node events need this).
   * The value is the `wait` (ms); absent: `/events` is polled every `eventsIntervalMs`.
   * Only for the project's own node (a subject's events endpoint may not know `wait`).
   */
  eventsWaitMs?: number;
}

interface Watch {
  node: string;
  pollInFlight: Promise<void> | null;
  eventsInFlight: Promise<void> | null;
  cursor: EventsCursor;
  lastEventsAt: number;
  eventsWanted: boolean;
  lastStatusKey: string;
  /** The long poll that follows this node's events (follow mode), while one is out. */
  following: Promise<void> | null;
}

/**
 * Watches every node directly over HTTP, never through the proxies, so faults do not blind it:
 * `GET /status` every `intervalMs` (a node whose previous poll is still in flight skips that
 * tick; it never has two at once) and `GET /events?since=` continuously per boot. Entries go to
 * `record`; polls also feed `leaderView`. `stats()` states its own cost.
 *
 * Lost events cannot be fetched from a dead process: call `flushEvents([node])` right before
 * killing or stopping a node to keep its last transitions.
 */
export class Poller {
  readonly leaderView: LeaderView;
  private readonly clock: PollerClock;
  private readonly intervalMs: number;
  private readonly pollTimeoutMs: number;
  private readonly eventsIntervalMs: number;
  private readonly eventsTimeoutMs: number;
  private readonly watches: Watch[];
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 4, keepAliveMsecs: 1000 });
  /** Follow mode's long polls get their own sockets: one held per node must never queue a status poll. */
  private readonly followAgent = new Agent({ keepAlive: true, maxSockets: 1, keepAliveMsecs: 1000 });
  private readonly counter = new StatsCounter();
  private timer: NodeJS.Timeout | undefined;
  private state: 'new' | 'running' | 'stopped' = 'new';
  private stopping: Promise<void> | undefined;
  private recordError: unknown;

  constructor(private readonly options: PollerOptions) {
    this.intervalMs = options.intervalMs ?? 50;
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be > 0, got ${options.intervalMs}`);
    this.pollTimeoutMs = options.pollTimeoutMs ?? Math.max(200, Math.floor(this.intervalMs * 0.8));
    this.eventsIntervalMs = options.eventsIntervalMs ?? 100;
    this.eventsTimeoutMs = options.eventsTimeoutMs ?? 1000;
    this.clock = options.clock ?? defaultClock();
    this.leaderView = new LeaderView({
      nodes: options.nodes,
      now: () => this.clock.now(),
      staleMs: options.staleMs ?? Math.max(500, 10 * this.intervalMs),
    });
    this.watches = options.nodes.map((node) => ({
      node, pollInFlight: null, eventsInFlight: null, cursor: new EventsCursor(node),
      lastEventsAt: -Infinity, eventsWanted: true, lastStatusKey: '', following: null,
    }));
    const wait = options.eventsWaitMs;
    if (wait !== undefined && !(Number.isInteger(wait) && wait > 0 && wait <= 60_000)) {
      throw new RangeError(`eventsWaitMs must be a whole number of ms from 1 to 60000, got ${wait}`);
    }
  }

  /** Start polling (the first tick is immediate). Once only; a stopped poller stays stopped. */
  start(): void {
    if (this.state !== 'new') return;
    this.state = 'running';
    this.counter.start();
    this.tick();
    this.timer = setInterval(() => this.tick(), this.intervalMs);
    this.timer.unref();
    if (this.options.eventsWaitMs !== undefined && this.options.eventsPath === undefined) {
      for (const w of this.watches) w.following = this.follow(w, this.options.eventsWaitMs);
    }
  }

  /**
   * Follow mode: long polls of one node's `/events`, one after the other, until the poller
   * stops. A node that does not answer (down, restarting) is asked again every 10 ms. Its
   * answers go through the node's cursor like every other fetch: an answer to a `since` the
   * cursor has moved past (a flush came back first) is dropped and asked again.
   */
  private async follow(w: Watch, waitMs: number): Promise<void> {
    while (this.state === 'running' && this.stopping === undefined) {
      const asked = w.cursor.query();
      const result = await getJson(`${this.options.statusUrl(w.node)}/events?since=${asked}&wait=${waitMs}`, {
        agent: this.followAgent,
        timeoutMs: waitMs + this.eventsTimeoutMs,
      });
      if (this.state !== 'running' || this.stopping !== undefined) return;
      this.counter.eventFetches++;
      if (result.outcome !== 'ok' || !isEventsResponse(result.body)) {
        await new Promise((r) => setTimeout(r, 10));
        continue;
      }
      this.acceptEvents(w, result.body, asked);
    }
  }

  /**
   * Fetch `/events` of these nodes (default all) now, after any fetch in flight, and resolve
   * when their entries have been recorded. Unreachable nodes are skipped silently.
   */
  async flushEvents(nodes: readonly string[] = this.options.nodes): Promise<void> {
    if (this.options.eventsPath === null) return;
    await Promise.all(
      this.watches.filter((w) => nodes.includes(w.node)).map(async (w) => {
        while (w.eventsInFlight !== null) await w.eventsInFlight;
        if (this.state === 'stopped') return;
        await this.fetchEvents(w);
      }),
    );
  }

  /**
   * Stop polling, wait for requests in flight, then (unless `drainEvents: false`) fetch every
   * node's remaining events once. No entry is recorded after this resolves. Idempotent.
   * Rejects with the first error `record` threw, if any.
   */
  stop(options: { drainEvents?: boolean } = {}): Promise<void> {
    this.stopping ??= (async () => {
      clearInterval(this.timer);
      const wasRunning = this.state === 'running';
      // Follow mode's long polls end here: their sockets are destroyed, each loop sees `stopping`.
      this.followAgent.destroy();
      await Promise.all(this.watches.flatMap((w) => [w.pollInFlight, w.eventsInFlight, w.following]));
      if (wasRunning && options.drainEvents !== false) await this.flushEvents();
      this.state = 'stopped';
      this.counter.stop();
      this.agent.destroy();
      if (this.recordError !== undefined) throw this.recordError;
    })();
    return this.stopping;
  }

  /** The poller's cost and achieved rate so far (final after `stop`). */
  stats(): PollerStats {
    return this.counter.snapshot(this.watches.length, this.intervalMs);
  }

  private tick(): void {
    if (this.state !== 'running' || this.stopping !== undefined) return;
    const now = performance.now();
    for (const w of this.watches) {
      if (w.pollInFlight !== null) this.counter.skippedTicks++;
      else w.pollInFlight = this.pollStatus(w).finally(() => (w.pollInFlight = null));
      if (this.options.eventsPath !== null && w.following === null && w.eventsInFlight === null && (w.eventsWanted || now - w.lastEventsAt >= this.eventsIntervalMs)) {
        void this.fetchEvents(w);
      }
    }
  }

  private async pollStatus(w: Watch): Promise<void> {
    const spec = this.options.status;
    if (spec !== undefined) {
      const boot = this.options.bootOf?.(w.node);
      const result = await getJson(`${this.options.statusUrl(w.node)}${spec.path}`, { agent: this.agent, timeoutMs: this.pollTimeoutMs, raw: true });
      const entry = toSubjectPollEntry(w.node, result, spec, this.clock.now(), Date.now(), boot);
      this.counter.poll(entry.outcome, entry.latencyMs);
      this.leaderView.observe(entry);
      this.emit(entry);
      return;
    }
    const result = await getJson(`${this.options.statusUrl(w.node)}/status`, { agent: this.agent, timeoutMs: this.pollTimeoutMs });
    const entry = toPollEntry(w.node, result, this.clock.now(), Date.now());
    this.counter.poll(entry.outcome, entry.latencyMs);
    this.leaderView.observe(entry);
    this.emit(entry);
    if (entry.outcome === 'ok') {
      const key = `${entry.bootId}|${entry.term}|${entry.state}|${entry.leader}|${entry.votedFor}`;
      if (key !== w.lastStatusKey) w.eventsWanted = true;
      w.lastStatusKey = key;
    }
  }

  private fetchEvents(w: Watch): Promise<void> {
    const run = async (): Promise<void> => {
      w.eventsWanted = false;
      w.lastEventsAt = performance.now();
      for (let page = 0; page < 50; page++) {
        const asked = w.cursor.query();
        const result = await getJson(`${this.options.statusUrl(w.node)}${this.options.eventsPath ?? '/events'}?since=${asked}`, {
          agent: this.agent,
          timeoutMs: this.eventsTimeoutMs,
        });
        this.counter.eventFetches++;
        if (result.outcome !== 'ok' || !isEventsResponse(result.body)) return;
        if (!this.acceptEvents(w, result.body, asked)) return;
      }
    };
    const inFlight = run().finally(() => (w.eventsInFlight = null));
    w.eventsInFlight = inFlight;
    return inFlight;
  }

  /** Records what one `/events` answer adds; true when the cursor asks for another page. */
  private acceptEvents(w: Watch, body: EventsResponse, asked: number): boolean {
    const { entries, again } = w.cursor.accept(body, asked, {
      t: this.clock.now(),
      wall: Date.now(),
      toRunTime: (ms) => this.clock.toRunTime(ms),
    });
    for (const entry of entries) {
      if (entry.type === 'node-event') this.counter.events++;
      else this.counter.gaps++;
      this.emit(entry);
    }
    return again;
  }

  private emit(entry: PollerEntry): void {
    if (this.state === 'stopped') return;
    try {
      this.options.record(entry);
    } catch (error) {
      this.recordError ??= error;
    }
  }
}

/** A poller for a started cluster's nodes, observed at `cluster.statusUrl` (direct, not proxied). */
export function createPoller(
  cluster: PolledCluster,
  options: Omit<PollerOptions, 'nodes' | 'statusUrl'>,
): Poller {
  return new Poller({ ...options, nodes: cluster.nodes, statusUrl: (node) => cluster.statusUrl(node) });
}

function defaultClock(): PollerClock {
  const origin = performance.now();
  const now = (): number => performance.now() - origin;
  return { now, toRunTime: (wallMs) => wallMs - Date.now() + now() };
}
