import type { Toxiproxy } from 'toxiproxy-node-client';
import type { Cut, FaultProbeEntry, LinkProbe } from '../history/types.js';
import { parseHostPort } from './link-names.js';
import { DEFAULT_PROBE_TIMING, expectRoundTrip, type NetworkState, type ProbeExpectation, type ProbeTiming } from './probe-expectation.js';
import { roundTrip, type RoundTrip } from './round-trip.js';

/** What the prober needs of a cluster. */
export interface ProbeTarget {
  readonly nodes: readonly string[];
  proxyName(from: string, to: string): string;
  /** The node's own HTTP API (not proxied), to tell a silent link from a silent node. */
  statusUrl?(node: string): string;
  /**
   * The host at which the harness reaches proxies that listen on every interface (`0.0.0.0`,
   * `::`), e.g. the Toxiproxy container's IP on the run's network. Without it such proxies are
   * not probed (`unprobed`): guessing the API's host could reach some other server on that port.
   */
  readonly probeHost?: string;
}

/** A `fault-probe` entry before the recorder stamps it. */
export type FaultProbe = Omit<FaultProbeEntry, 't' | 'wall'>;

const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

/**
 * Proves faults in force: probes the proxies an operation touched with one cheap round trip each
 * (see `roundTrip`) and says what it saw beside what the partitioner's state predicts
 * (`expectRoundTrip`). It only observes: judging is the `faults-in-force` check's job.
 *
 * A link that is expected open and does not answer is tried once more with twice the deadline
 * (a busy machine is slow, not partitioned). Each probe also asks the target node directly, so
 * a silent node is not taken for a cut link; and it remembers which proxies ever answered, so
 * silence from an address the harness never reached proves nothing. Never throws.
 */
export class LinkProber {
  private readonly addresses = new Map<string, Promise<{ host: string; port: number } | string>>();
  private readonly seenOpen = new Set<string>();

  constructor(
    private readonly target: ProbeTarget,
    private readonly client: Toxiproxy,
    private readonly timing: ProbeTiming = DEFAULT_PROBE_TIMING,
  ) {}

  /**
   * Before an operation: probe the pairs that are open now and never answered yet, so a cut's
   * silence afterwards means something. Cheap (an open link answers in milliseconds) and done at
   * most once per proxy that answers.
   */
  async baseline(pairs: readonly Cut[], state: NetworkState): Promise<void> {
    const fresh = pairs.filter(([f, t]) => !this.seenOpen.has(key(f, t)) && expectRoundTrip(f, t, state, this.timing).expect === 'open');
    await Promise.all(fresh.map(async ([from, to]) => this.trip(from, to, this.timing.answerMs)));
  }

  /** Probe `pairs` (proxies `from→to`) against `state`, the network as it is now. */
  async probe(op: FaultProbe['op'], links: readonly Cut[], pairs: readonly Cut[], state: NetworkState, toxic?: string): Promise<FaultProbe> {
    const started = performance.now();
    const direct = new Map<string, Promise<LinkProbe['direct']>>();
    const directOf = (node: string) => {
      let p = direct.get(node);
      if (!p) direct.set(node, (p = this.direct(node)));
      return p;
    };
    const probes = await Promise.all(pairs.map((pair) => this.one(expectRoundTrip(pair[0], pair[1], state, this.timing), directOf)));
    return {
      type: 'fault-probe',
      op,
      links: links.map(([a, b]) => [a, b] as const),
      ...(toxic !== undefined ? { toxic } : {}),
      probes,
      tookMs: round(performance.now() - started),
    };
  }

  private async one(e: ProbeExpectation, directOf: (node: string) => Promise<LinkProbe['direct']>): Promise<LinkProbe> {
    const seenOpen = this.seenOpen.has(key(e.from, e.to));
    const base = { from: e.from, to: e.to, expect: e.expect, ...(e.minDelayMs !== undefined ? { minDelayMs: e.minDelayMs } : {}), seenOpen };
    const [first, directNow] = await Promise.all([this.trip(e.from, e.to, e.deadlineMs), directOf(e.to)]);
    let trip = first;
    let directSeen = directNow;
    if (typeof trip !== 'string' && e.expect === 'open' && trip.result !== 'answered' && directNow === 'answered') {
      // Slow is not cut: one more try, longer, before the check may call the link blocked
      // (not when the node itself is silent: then the check cannot tell anyway).
      [trip, directSeen] = await Promise.all([this.trip(e.from, e.to, 2 * e.deadlineMs), this.direct(e.to)]);
    }
    if (typeof trip === 'string') return { ...base, result: 'unprobed', ms: 0, direct: directSeen, detail: trip };
    return { ...base, result: trip.result, ms: round(trip.ms), direct: directSeen, ...(trip.detail ? { detail: trip.detail } : {}) };
  }

  /** One round trip through proxy from→to; a string says why it could not be tried. */
  private async trip(from: string, to: string, deadlineMs: number): Promise<RoundTrip | string> {
    const address = await this.address(from, to);
    if (typeof address === 'string') return address;
    const trip = await roundTrip(address.host, address.port, deadlineMs, to);
    if (trip.result === 'answered') this.seenOpen.add(key(from, to));
    return trip;
  }

  private async direct(node: string): Promise<LinkProbe['direct']> {
    if (!this.target.statusUrl) return 'unprobed';
    try {
      const url = new URL(this.target.statusUrl(node));
      const trip = await roundTrip(url.hostname.replace(/^\[(.*)\]$/, '$1'), Number(url.port || 80), this.timing.answerMs, node);
      return trip.result === 'answered' ? 'answered' : 'failed';
    } catch {
      return 'unprobed';
    }
  }

  /** Where proxy from→to listens, as the harness reaches it; a string says why it is unknown. */
  private address(from: string, to: string): Promise<{ host: string; port: number } | string> {
    const name = this.target.proxyName(from, to);
    let found = this.addresses.get(name);
    if (!found) {
      found = this.resolve(from, to, name);
      this.addresses.set(name, found);
    }
    return found;
  }

  private async resolve(from: string, to: string, name: string): Promise<{ host: string; port: number } | string> {
    try {
      const proxy = await this.client.get(name);
      const listen = parseHostPort(proxy.listen);
      if (listen.port === 0) return `proxy ${name} reports no bound port (${proxy.listen})`;
      if (!WILDCARD.has(listen.host)) return listen;
      if (this.target.probeHost !== undefined) return { host: this.target.probeHost, port: listen.port };
      return `proxy ${name} listens on ${proxy.listen}, every interface of Toxiproxy's host, and no probe host is known`;
    } catch (error) {
      this.addresses.delete(name); // try again next time
      return `could not read proxy ${name}: ${(error as Error).message}`;
    }
  }
}

function key(from: string, to: string): string {
  return `${from}\u0000${to}`;
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
