import type { Cut } from '../history/types.js';
import type { LinkToxic } from '../network/link-toxic.js';
import type { Link, LinkToxicHandle, Partitioner } from '../network/partitioner.js';
import type { Rng } from '../util/rng.js';
import type { SimLinks } from './sim-links.js';

/**
 * Virtual time a Toxiproxy API change takes (uniform, ms): a few HTTP calls on loopback. Half
 * passes before the change takes effect, half after (the fault is recorded once it returns).
 */
export const TOXIPROXY_API_MS: readonly [number, number] = [1, 4];

/** The partitioner operations the runner's fault code uses. */
export type PartitionerOps = Pick<Partitioner, 'applyCuts' | 'healCuts' | 'activeCuts' | 'applyLinkToxic' | 'removeLinkToxic' | 'healAll'>;

/**
 * The partitioner of a simulated run: the same operations as the Toxiproxy one (counted
 * directed cuts, link toxics, heal all), applied to the in-memory links, each taking as long
 * as Toxiproxy's API would (`TOXIPROXY_API_MS`) when a clock is given.
 */
export class SimPartitioner implements PartitionerOps {
  private nextToxicId = 1;
  private readonly handles = new Set<string>();

  constructor(
    private readonly links: SimLinks,
    private readonly nodes: readonly string[],
    private readonly time?: { rng: Rng; advance(ms: number): void },
  ) {}

  async applyCuts(cuts: readonly Cut[]): Promise<void> {
    const valid = this.valid(cuts);
    this.api(() => this.links.cut(valid));
  }

  async healCuts(cuts: readonly Cut[]): Promise<void> {
    const valid = this.valid(cuts);
    this.api(() => this.links.uncut(valid));
  }

  activeCuts(): Cut[] {
    return this.links.activeCuts();
  }

  async applyLinkToxic(links: readonly Link[], toxic: LinkToxic): Promise<LinkToxicHandle> {
    const handle: LinkToxicHandle = { id: `t${this.nextToxicId++}`, links: this.valid(links), toxic };
    this.handles.add(handle.id);
    this.api(() => this.links.addToxic(handle.id, handle.links, toxic));
    return handle;
  }

  async removeLinkToxic(handle: LinkToxicHandle): Promise<void> {
    if (!this.handles.delete(handle.id)) return;
    this.api(() => this.links.removeToxic(handle.id));
  }

  async healAll(): Promise<void> {
    this.handles.clear();
    this.api(() => this.links.healAll());
  }

  private api(change: () => void): void {
    if (!this.time) return change();
    const [lo, hi] = TOXIPROXY_API_MS;
    const ms = lo + this.time.rng.next() * (hi - lo);
    this.time.advance(ms / 2);
    change();
    this.time.advance(ms / 2);
  }

  /** The partitioner's argument checks: two different, known nodes per link. */
  private valid(links: readonly Link[]): Link[] {
    for (const [from, to] of links) {
      if (from === to) throw new Error(`a link needs two different nodes, got ${from}→${to}`);
      for (const n of [from, to]) if (!this.nodes.includes(n)) throw new Error(`unknown node ${n} in link ${from}→${to}`);
    }
    return [...links];
  }
}

/**
 * The runner's fault code types its partitioner as the Toxiproxy class; it only calls the
 * operations above, so the simulated one stands in for it.
 */
export function asPartitioner(p: SimPartitioner): Partitioner {
  return p as unknown as Partitioner;
}
