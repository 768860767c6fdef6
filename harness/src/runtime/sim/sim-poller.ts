import type { NodeEventEntry, PollEntry } from '../../history/types.js';
import { LeaderView, type LeaderTerm } from '../../poller/leader-view.js';
import type { Rng } from '../../util/rng.js';
import { NodeStatusError } from '../../../../node/src/sim/sim-cluster.js';
import type { SimNodes } from './sim-nodes.js';

/** Figures of a simulated poller, in the shape of the real poller's main counters. */
export interface SimPollerStats {
  elapsedMs: number;
  nodes: number;
  intervalMs: number;
  polls: number;
  outcomes: { ok: number; timeout: number; refused: number; error: number };
  events: number;
  simulated: true;
}

export interface SimPollerOptions {
  /** Status poll period per node (the run's `pollIntervalMs`). */
  intervalMs: number;
  /**
   * Gets every poll and node-event entry, already stamped (`type`, `t`, `wall` first, as the
   * Recorder writes them), in the order the harness learns them.
   */
  record(entry: PollEntry | NodeEventEntry): void;
  /** Round trip of an ok poll: uniform in [min, max] ms (default 0.5-2.5, a loopback GET). */
  okLatencyMs?: readonly [min: number, max: number];
  /** Draws the poll latencies. */
  rng: Rng;
  /**
   * A node's events and state are seen only once its write is done, as on a real node, which
   * logs a step's events after its write and cannot answer during it (a kill that does not
   * wait for the write, fired by a node event, needs this). Off: both are seen as the step
   * happens, which no kill of the nemesis can tell apart, since it waits for the write.
   */
  afterWrites?: boolean;
}

/**
 * What the real poller (harness/src/poller) would have recorded, synthesized on virtual time:
 * every `intervalMs` one `poll` per node from its status, stamped when the answer arrives a
 * seeded 0.5-2.5 ms later (outcome `refused` while it is down, `timeout` after 0.8 × interval
 * while it is paused), and the node events logged since the last tick. Feeds a LeaderView
 * exactly as the real poller does. Poll times never coincide with the schedule's round times.
 */
export class SimPoller {
  readonly leaderView: LeaderView;
  private readonly pollTimeoutMs: number;
  private readonly okLatencyMs: readonly [number, number];
  private readonly counts = { polls: 0, ok: 0, timeout: 0, refused: 0, error: 0, events: 0 };
  private running = false;
  private startedAt = 0;
  private stoppedAt: number | null = null;
  /** Virtual time of the next poll tick. */
  nextTickAt = Infinity;

  constructor(
    private readonly nodes: SimNodes,
    private readonly options: SimPollerOptions,
  ) {
    this.pollTimeoutMs = Math.max(1, Math.floor(options.intervalMs * 0.8));
    this.okLatencyMs = options.okLatencyMs ?? [0.5, 2.5];
    this.leaderView = new LeaderView({
      nodes: nodes.nodes,
      now: () => nodes.now,
      staleMs: Math.max(250, 5 * options.intervalMs),
    });
  }

  /** Starts polling; the first tick is now. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.startedAt = this.nodes.now;
    this.tick();
  }

  /**
   * Records every event not recorded yet of these nodes (default all), e.g. before a kill.
   * Asked for given nodes (the nemesis, before it kills them), it waits as the real `/events`
   * request does for a node blocked writing its state: until the write is done.
   */
  flushEvents(which: readonly string[] = this.nodes.nodes): void {
    if (which !== this.nodes.nodes) {
      let until = this.nodes.now;
      for (const node of which) until = Math.max(until, this.nodes.sim.busyUntil(node));
      if (until > this.nodes.now) this.nodes.runUntil(until);
    }
    for (const node of this.nodes.nodes) {
      if (which !== this.nodes.nodes && !which.includes(node)) continue;
      // Entries built by SimNodes as the event happened: `type`, `t`, `wall`, the node's
      // fields, `bootId` (keys in the order the Recorder writes them).
      this.nodes.drainEntries(node, this.recordEvent, this.options.afterWrites === true);
    }
  }

  private readonly recordEvent = (entry: NodeEventEntry): void => {
    this.counts.events++;
    this.options.record(entry);
  };

  /** Stops polling and records the remaining events. Idempotent. */
  stop(): void {
    if (!this.running) return;
    this.running = false;
    this.nextTickAt = Infinity;
    this.stoppedAt = this.nodes.now;
    this.flushEvents();
  }

  /** The settled leader now, or null. */
  current(): LeaderTerm | null {
    return this.leaderView.current();
  }

  stats(): SimPollerStats {
    const { polls, ok, timeout, refused, error, events } = this.counts;
    return {
      elapsedMs: (this.stoppedAt ?? this.nodes.now) - this.startedAt,
      nodes: this.nodes.nodes.length,
      intervalMs: this.options.intervalMs,
      polls,
      outcomes: { ok, timeout, refused, error },
      events,
      simulated: true,
    };
  }

  private readonly tickFn = (): void => this.tick();

  private tick(): void {
    if (!this.running) return;
    const t = this.nodes.now;
    const nodes = this.nodes.nodes;
    for (let i = 0; i < nodes.length; i++) this.poll(nodes[i]!, t);
    this.flushEvents();
    this.nextTickAt = t + this.options.intervalMs;
    this.nodes.at(this.nextTickAt, this.tickFn);
  }

  private poll(node: string, t: number): void {
    const sim = this.nodes.sim;
    const state = sim.runState(node);
    if (state === 'down') {
      this.emit({ type: 'poll', t, wall: this.nodes.epochMs + t, node, outcome: 'refused', latencyMs: 0.3, error: 'ECONNREFUSED' });
      return;
    }
    if (state === 'paused') {
      const at = t + this.pollTimeoutMs;
      this.nodes.at(at, () => {
        if (!this.running) return;
        this.emit({
          type: 'poll', t: at, wall: this.nodes.epochMs + at, node, outcome: 'timeout',
          latencyMs: this.pollTimeoutMs, error: `no answer within ${this.pollTimeoutMs} ms`,
        });
      });
      return;
    }
    // The answer arrives a little later; the node's state is read then (as the real GET does).
    const [lo, hi] = this.okLatencyMs;
    const latencyMs = Math.round((lo + this.options.rng.next() * (hi - lo)) * 1000) / 1000;
    const at = t + latencyMs;
    const answer = (at: number, latencyMs: number): void => {
      if (!this.running) return;
      // A node in its write answers once it is done (or never, if it dies in it).
      const busy = sim.busyUntil(node);
      if (this.options.afterWrites === true && busy > at && sim.isUp(node)) {
        this.nodes.at(busy, () => answer(busy, Math.round((busy - t) * 1000) / 1000));
        return;
      }
      // (A node writing its state answers here with the state it is writing, where the real one
      // answers once the write is done; no kill from the nemesis lands inside a write, as
      // flushEvents waits for it, so the two agree on every history but a lost write's.)
      let status: ReturnType<typeof sim.liveStatus>;
      try {
        status = sim.liveStatus(node);
      } catch (e) {
        if (!(e instanceof NodeStatusError)) throw e;
        // The node's status could not be built: its server answers HTTP 500 (http-routes.ts),
        // which the real poller records as an error (poller/http-get.ts).
        this.emit({ type: 'poll', t: at, wall: this.nodes.epochMs + at, node, outcome: 'error', latencyMs, error: 'HTTP 500' });
        return;
      }
      if (status === null) return; // died or froze in flight: the next tick shows it
      this.emit({
        type: 'poll',
        t: at,
        wall: this.nodes.epochMs + at,
        node,
        outcome: 'ok',
        latencyMs,
        state: status.role === 'pre-candidate' ? 'follower' : status.role,
        term: status.term,
        role: status.role,
        leader: status.leader,
        votedFor: status.votedFor,
        bootId: this.nodes.bootId(node),
      });
    };
    this.nodes.at(at, () => answer(at, latencyMs));
  }

  private emit(entry: PollEntry): void {
    this.counts.polls++;
    this.counts[entry.outcome]++;
    this.leaderView.observe(entry);
    this.options.record(entry);
  }
}
