import type { Transmission, Transport } from '../../../../node/src/sim/network.js';
import type { Cut } from '../../history/types.js';
import type { LinkToxic } from '../../network/link-toxic.js';
import type { Rng } from '../../util/rng.js';

/**
 * How the simulated links behave when no fault is on them: what a loopback HTTP call through
 * a Toxiproxy proxy costs, plus optional background loss (for random exploration; the real
 * network loses nothing). Delays are one-way, in ms.
 */
export interface LinkBaseline {
  /** One-way delay of a message on a healthy link: uniform in [minDelayMs, maxDelayMs]. */
  minDelayMs: number;
  maxDelayMs: number;
  /** How long until a sender sees a refused connection (a cut link, a dead node). */
  refuseMs: number;
  /** Probability that a message is lost on a healthy link (default 0). */
  dropRate: number;
  /** Probability that a request arrives twice (default 0; HTTP never does this). */
  duplicateRate: number;
}

/**
 * Loopback through one proxy hop: about a third of a millisecond each way (node's HTTP client,
 * the proxy's two sockets, the node's server; CPU cost of the Raft step itself is zero).
 */
export const LOOPBACK: LinkBaseline = { minDelayMs: 0.2, maxDelayMs: 0.5, refuseMs: 0.3, dropRate: 0, duplicateRate: 0 };

/**
 * The same loopback on a busy host: one way 1-4 ms. On this 2-core machine with other work
 * running, a vote round trip through the proxies took 5-15 ms besides the fsync.
 */
export const BUSY_LOOPBACK: LinkBaseline = { ...LOOPBACK, minDelayMs: 1, maxDelayMs: 4 };

/**
 * The healthy-link behaviour a run seed picks: somewhere between a quiet host (LOOPBACK) and a
 * busy one (BUSY_LOOPBACK), `load` in [0, 1) drawn from the seed. Real runs see both, so a
 * failure the simulation calls robust (failing under most seeds) must not hinge on sub-ms links.
 */
export function hostBaseline(load: number): LinkBaseline {
  const mix = (a: number, b: number) => a + load * (b - a);
  return { ...LOOPBACK, minDelayMs: mix(LOOPBACK.minDelayMs, BUSY_LOOPBACK.minDelayMs), maxDelayMs: mix(LOOPBACK.maxDelayMs, BUSY_LOOPBACK.maxDelayMs) };
}

/** Wire sizes (bytes) of one Raft RPC over HTTP/1.1, headers included, for the bandwidth toxic. */
const REQUEST_BYTES = 240;
const REPLY_BYTES = 180;

const key = (from: string, to: string) => `${from}\u0000${to}`;

/**
 * The simulated network of one run, in the partitioner's terms (harness/src/network/
 * partitioner.ts), so a fault has the same effect as on processes:
 * - a cut X→Y: X's requests to Y are refused at once (the proxy is disabled), and X's replies
 *   to Y's requests are dropped (Y waits for its RPC timeout). Cuts are counted.
 * - a latency toxic on X→Y holds each message X sends to Y `latency ± jitter` ms (requests
 *   and replies alike); messages may overtake each other (several connections per link).
 * - a bandwidth toxic on X→Y holds each message X sends to Y for its size / `rate` KB/s.
 *   Toxiproxy limits each connection on its own, and the node's RPC client opens a
 *   connection per RPC in flight (up to 8 per peer), so messages do not queue behind each
 *   other, and nothing of an abandoned RPC is left to delay the next one.
 * - a timeout toxic on X→Y is a black hole: X's messages vanish; with `timeout > 0` the
 *   connection closes after that long, which X sees as a failure of its request.
 * - a reset_peer toxic on X→Y (the `reset` fault): X's messages vanish and X's requests fail
 *   after `timeout` (at least `refuseMs`); X's replies are lost, so Y's request times out.
 * Every random choice comes from the given Rng; nothing reads real time.
 */
export class SimLinks implements Transport {
  private readonly cutCounts = new Map<string, number>();
  private readonly toxics = new Map<string, { links: readonly Cut[]; toxic: LinkToxic }>();
  /** What the cuts and toxics in force mean for each link (from → to), worked out on first use. */
  private faultsByLink = new Map<string, Map<string, LinkFaults>>();
  /** Whether any cut or toxic is in force (else every link is healthy). */
  private faulty = false;
  /** Changes of the cuts or toxics on each link, and heals of all of them (Transport.changes). */
  private readonly linkChanges = new Map<string, number>();
  private heals = 0;
  // Reused results of the healthy path (SimCluster reads a result before the next call).
  private readonly oneDelay: number[] = [0];
  private readonly oneCopy: Transmission = { delays: this.oneDelay };

  constructor(
    private readonly rng: Rng,
    readonly baseline: LinkBaseline = LOOPBACK,
  ) {}

  /** Adds one cut per link (duplicates in one call count once). */
  cut(cuts: readonly Cut[]): void {
    const keys = new Set(cuts.map(([a, b]) => key(a, b)));
    for (const k of keys) this.cutCounts.set(k, (this.cutCounts.get(k) ?? 0) + 1);
    this.touched(keys);
    this.changed();
  }

  /** Removes one cut per link; a link heals when none is left. */
  uncut(cuts: readonly Cut[]): void {
    const keys = new Set(cuts.map(([a, b]) => key(a, b)));
    for (const k of keys) {
      const n = this.cutCounts.get(k) ?? 0;
      if (n <= 1) this.cutCounts.delete(k);
      else this.cutCounts.set(k, n - 1);
    }
    this.touched(keys);
    this.changed();
  }

  /** The cuts in force. */
  activeCuts(): Cut[] {
    return [...this.cutCounts.keys()].map((k) => k.split('\u0000') as unknown as Cut);
  }

  /** Puts a toxic on links under `id` (replacing one of the same id). */
  addToxic(id: string, links: readonly Cut[], toxic: LinkToxic): void {
    this.touched((this.toxics.get(id)?.links ?? []).map(([a, b]) => key(a, b)));
    this.touched(links.map(([a, b]) => key(a, b)));
    this.toxics.set(id, { links, toxic });
    this.changed();
  }

  /** Takes toxic `id` off (no-op when absent). */
  removeToxic(id: string): void {
    this.touched((this.toxics.get(id)?.links ?? []).map(([a, b]) => key(a, b)));
    this.toxics.delete(id);
    this.changed();
  }

  /** Every link whole again, every toxic off. */
  healAll(): void {
    this.cutCounts.clear();
    this.toxics.clear();
    this.heals++;
    this.changed();
  }

  /** Whether messages from `from` reach `to` (no cut, no black hole). */
  isOpen(from: string, to: string): boolean {
    return !this.cutCounts.has(key(from, to)) && this.blackHole(from, to) === undefined;
  }

  /**
   * The result is only valid until the next call: it may be reused (the caller reads it at once).
   */
  request(from: string, to: string, now: number): Transmission {
    if (!this.faulty) return this.healthy();
    const f = this.faultsOf(from, to);
    if (f.cut) return { delays: [], failAfter: this.baseline.refuseMs };
    const hole = f.hole;
    if (hole !== undefined) return hole > 0 ? { delays: [], failAfter: hole } : NOTHING;
    if (this.lost()) return NOTHING;
    const delays = [this.delay(f, now, REQUEST_BYTES)];
    if (this.baseline.duplicateRate > 0 && this.rng.next() < this.baseline.duplicateRate) {
      delays.push(this.delay(f, now, REQUEST_BYTES));
    }
    return { delays };
  }

  /** The result is only valid until the next call: it may be reused (the caller reads it at once). */
  reply(from: string, to: string, now: number): readonly number[] {
    if (!this.faulty) {
      if (this.lost()) return NONE;
      this.oneDelay[0] = this.baseDelay();
      return this.oneDelay;
    }
    const f = this.faultsOf(from, to);
    if (f.cut || f.hole !== undefined || this.lost()) return NONE;
    return [this.delay(f, now, REPLY_BYTES)];
  }

  refusedByDownNode(): number {
    // The proxy accepts, fails to reach the dead node's port and closes the connection.
    return 2 * this.baseline.refuseMs;
  }

  /** A black hole's connection timeout on this link (0: never closes), or undefined when none. */
  private blackHole(from: string, to: string): number | undefined {
    let found: number | undefined;
    for (const { links, toxic } of this.toxics.values()) {
      if ((toxic.type !== 'timeout' && toxic.type !== 'reset_peer') || !links.some(([a, b]) => a === from && b === to)) continue;
      // A reset drops the data and fails the connection after its timeout, never sooner than a refusal.
      const t = toxic.type === 'reset_peer' ? Math.max(this.baseline.refuseMs, toxic.timeoutMs ?? 0) : (toxic.timeoutMs ?? 0);
      found = found === undefined ? t : t === 0 || found === 0 ? 0 : Math.min(found, t);
    }
    return found;
  }

  /** Transport: how many times the cuts or toxics on the link from → to changed so far. */
  changes(from: string, to: string): number {
    return (this.linkChanges.get(key(from, to)) ?? 0) + this.heals;
  }

  /** The cuts or toxics on these links changed (Transport.changes). */
  private touched(links: Iterable<string>): void {
    for (const k of links) this.linkChanges.set(k, (this.linkChanges.get(k) ?? 0) + 1);
  }

  /** The cuts or toxics changed: forget what they meant per link. */
  private changed(): void {
    this.faulty = this.cutCounts.size > 0 || this.toxics.size > 0;
    if (this.faultsByLink.size > 0) this.faultsByLink = new Map();
  }

  /** What the faults in force do to the link from → to. */
  private faultsOf(from: string, to: string): LinkFaults {
    let byTo = this.faultsByLink.get(from);
    if (byTo === undefined) this.faultsByLink.set(from, (byTo = new Map()));
    let f = byTo.get(to);
    if (f === undefined) {
      const toxics: LinkToxic[] = [];
      for (const { links, toxic } of this.toxics.values()) if (links.some(([a, c]) => a === from && c === to)) toxics.push(toxic);
      f = { key: key(from, to), cut: this.cutCounts.has(key(from, to)), hole: this.blackHole(from, to), toxics };
      byTo.set(to, f);
    }
    return f;
  }

  /** A request on a link with no fault: the common case, kept cheap. */
  private healthy(): Transmission {
    if (this.lost()) return NOTHING;
    const d = this.baseDelay();
    if (this.baseline.duplicateRate > 0 && this.rng.next() < this.baseline.duplicateRate) return { delays: [d, this.baseDelay()] };
    this.oneDelay[0] = d;
    return this.oneCopy;
  }

  private baseDelay(): number {
    const b = this.baseline;
    return b.minDelayMs + this.rng.next() * (b.maxDelayMs - b.minDelayMs);
  }

  private lost(): boolean {
    return this.baseline.dropRate > 0 && this.rng.next() < this.baseline.dropRate;
  }

  private delay(f: LinkFaults, now: number, bytes: number): number {
    let d = this.baseDelay();
    for (const toxic of f.toxics) {
      if (toxic.type === 'latency') {
        const j = toxic.jitterMs ?? 0;
        d += Math.max(0, toxic.latencyMs + (j > 0 ? (this.rng.next() * 2 - 1) * j : 0));
      } else if (toxic.type === 'bandwidth' && toxic.rateKBps > 0) {
        d += bytes / toxic.rateKBps; // KB/s = bytes per ms, per connection
      }
    }
    return d;
  }
}

/** What the faults in force do to one link (SimLinks works it out once per change). */
interface LinkFaults {
  /** `key(from, to)`. */
  readonly key: string;
  /** The link is cut. */
  readonly cut: boolean;
  /** A black hole's connection timeout (0: never closes), or undefined when none. */
  readonly hole: number | undefined;
  /** The toxics on the link, in the order they were put on. */
  readonly toxics: readonly LinkToxic[];
}

const NONE: readonly number[] = Object.freeze([]);
const NOTHING: Transmission = Object.freeze({ delays: NONE });
