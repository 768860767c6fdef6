import type { NodeId } from '../core/types.js';
import type { Rng } from '../core/prng.js';

/** How links behave; one set of conditions for every link that is not cut. */
export interface LinkConditions {
  /** One-way delay range, ms (inclusive). */
  readonly minDelay: number;
  readonly maxDelay: number;
  /** Probability in [0,1] that a message is lost. */
  readonly dropRate: number;
  /** Probability in [0,1] that a request is delivered twice. */
  readonly duplicateRate: number;
}

/**
 * The fate of one request: the delays (ms) of the copies that arrive, and, when the sender
 * learns of a failure before its own RPC timeout (a refused or closed connection), after how
 * many ms.
 */
export interface Transmission {
  readonly delays: readonly number[];
  readonly failAfter?: number;
}

/**
 * Decides what becomes of each message of a simulated cluster. `SimNetwork` is the plain one;
 * a richer model (per-link toxics, refused connections) can be given to SimCluster instead.
 * Implementations draw from their own seeded randomness and must not read real time. A result
 * is read at once, before the next call: an implementation may reuse the returned object.
 */
export interface Transport {
  /** A request from `from` to `to`, sent at virtual time `now`. */
  request(from: NodeId, to: NodeId, now: number): Transmission;
  /** The reply of `from` (who answers) back to `to`: at most one delay; none when lost. */
  reply(from: NodeId, to: NodeId, now: number): readonly number[];
  /**
   * When a request reaches a node that is down: after how many ms the sender sees the
   * connection fail, or undefined when it only learns by its own timeout.
   */
  refusedByDownNode?(from: NodeId, to: NodeId, now: number): number | undefined;
  /**
   * How many times the cuts or faults on the link from `from` to `to` have changed so far.
   * Optional: with it, a message decided before it leaves (a node sends once its write to disk
   * is done) is decided again as it leaves if its link changed in between, so a link cut
   * during the write refuses it.
   */
  changes?(from: NodeId, to: NodeId): number;
}

/** A perfect, fast network: 1-5 ms, nothing lost or duplicated. */
export const CALM: LinkConditions = { minDelay: 1, maxDelay: 5, dropRate: 0, duplicateRate: 0 };

/**
 * An in-memory network of directed links (after etcd's rafttest network): `cut`, `isolate`,
 * `partition` and `heal` decide who reaches whom; seeded drops, delays and duplicates decide
 * how. It only decides; the cluster delivers.
 */
export class SimNetwork implements Transport {
  private cuts = new Set<string>();
  /** Cuts made on each link, and heals of every link (Transport.changes). */
  private readonly cutsMade = new Map<string, number>();
  private heals = 0;
  conditions: LinkConditions;

  constructor(
    private readonly rng: Rng,
    conditions: LinkConditions = CALM,
  ) {
    this.conditions = conditions;
  }

  /** Messages from `from` no longer reach `to` (one direction). */
  cut(from: NodeId, to: NodeId): void {
    const k = `${from}\u0000${to}`;
    this.cuts.add(k);
    this.cutsMade.set(k, (this.cutsMade.get(k) ?? 0) + 1);
  }

  /** Cuts every link between `node` and `others`, both directions. */
  isolate(node: NodeId, others: readonly NodeId[]): void {
    for (const o of others) {
      if (o === node) continue;
      this.cut(node, o);
      this.cut(o, node);
    }
  }

  /** Only nodes of the same group reach each other; nodes in no group reach nobody. */
  partition(groups: readonly (readonly NodeId[])[], all: readonly NodeId[]): void {
    const groupOf = new Map<NodeId, number>();
    groups.forEach((g, i) => g.forEach((n) => groupOf.set(n, i)));
    for (const a of all) {
      for (const b of all) {
        if (a === b) continue;
        const ga = groupOf.get(a);
        if (ga === undefined || ga !== groupOf.get(b)) this.cut(a, b);
      }
    }
  }

  /** Restores every link. */
  heal(): void {
    this.cuts.clear();
    this.heals++;
  }

  /** Transport: every `cut` of the link (isolates and partitions too) and every `heal` counts. */
  changes(from: NodeId, to: NodeId): number {
    return (this.cutsMade.get(`${from}\u0000${to}`) ?? 0) + this.heals;
  }

  /** Whether the link from `from` to `to` is up. */
  connected(from: NodeId, to: NodeId): boolean {
    return !this.cuts.has(`${from}\u0000${to}`);
  }

  /**
   * The delays (ms) of the copies of one message that arrive: none when the link is cut or
   * the message is dropped, two when it is duplicated. Draws from the seeded rng.
   */
  transmit(from: NodeId, to: NodeId): number[] {
    if (!this.connected(from, to)) return [];
    const c = this.conditions;
    if (this.rng.next() < c.dropRate) return [];
    const delays = [this.rng.int(c.minDelay, c.maxDelay)];
    if (this.rng.next() < c.duplicateRate) delays.push(this.rng.int(c.minDelay, c.maxDelay));
    return delays;
  }

  /** Transport: a request is `transmit`ted (no fast failures on this network). */
  request(from: NodeId, to: NodeId): Transmission {
    return { delays: this.transmit(from, to) };
  }

  /** Transport: a reply is one copy of a `transmit` (duplicates of replies are dropped). */
  reply(from: NodeId, to: NodeId): readonly number[] {
    return this.transmit(from, to).slice(0, 1);
  }
}
