import type { Cut } from '../../history/types.js';
import type { LinkToxic } from '../../network/link-toxic.js';
import { distinctLinks, type Link, type LinkToxicHandle, type Partitioner } from '../../network/partitioner.js';
import type { Rng } from '../../util/rng.js';
import type { SimLinks } from './sim-links.js';

/**
 * Virtual time one Toxiproxy API call takes (uniform, ms). The real partitioner makes two calls
 * per directed link (a cut: disable the proxy and black-hole the replies; a toxic: upstream
 * and downstream), all at once; measured here, a toxic on the 12 links of 4 nodes (24 calls)
 * took 39 ms (median), a cut of 8 links 24 ms, so the calls are served one after another at
 * about 1-2 ms each. The links change one by one over that time; the operation returns (and
 * the fault is recorded) when the last one has.
 */
export const TOXIPROXY_API_MS: readonly [number, number] = [1, 2];

/**
 * The partitioner of a simulated run: the same operations as the Toxiproxy one (counted
 * directed cuts, link toxics, heal all), applied to the in-memory links, each taking as long
 * as Toxiproxy's API would (`TOXIPROXY_API_MS`) when a clock is given.
 */
export class SimPartitioner implements Partitioner {
  private nextToxicId = 1;
  private readonly handles = new Set<string>();

  /** Nothing is probed in simulation: the cuts hold by construction. */
  async settled(): Promise<void> {}

  constructor(
    private readonly links: SimLinks,
    private readonly nodes: readonly string[],
    /** `apiMs`: what one API call takes (default TOXIPROXY_API_MS; a timing perturbation may draw a busier host). */
    private readonly time?: { rng: Rng; advance(ms: number): void; apiMs?: readonly [number, number] },
  ) {}

  async applyCuts(cuts: readonly Cut[]): Promise<void> {
    const valid = distinctLinks(cuts, this.nodes);
    this.api(valid.map((c) => () => this.links.cut([c])));
  }

  async healCuts(cuts: readonly Cut[]): Promise<void> {
    const valid = distinctLinks(cuts, this.nodes);
    this.api(valid.map((c) => () => this.links.uncut([c])));
  }

  activeCuts(): Cut[] {
    return this.links.activeCuts();
  }

  async applyLinkToxic(links: readonly Link[], toxic: LinkToxic): Promise<LinkToxicHandle> {
    const handle: LinkToxicHandle = { id: `t${this.nextToxicId++}`, links: distinctLinks(links, this.nodes), toxic };
    this.handles.add(handle.id);
    // The toxic reaches one more link with each step (addToxic replaces the same id).
    const on = handle.links;
    this.api(on.map((_, i) => () => this.links.addToxic(handle.id, on.slice(0, i + 1), toxic)));
    return handle;
  }

  async removeLinkToxic(handle: LinkToxicHandle): Promise<void> {
    if (!this.handles.delete(handle.id)) return;
    const on = handle.links;
    this.api(on.map((_, i) => () => (i + 1 < on.length ? this.links.addToxic(handle.id, on.slice(i + 1), handle.toxic) : this.links.removeToxic(handle.id))));
  }

  async healAll(): Promise<void> {
    this.handles.clear();
    // The embedded server's global reset: one call.
    this.api([() => this.links.healAll()], 1);
  }

  /**
   * Applies `changes` (one per directed link) one after another over the time the real
   * partitioner's API calls (`calls`, default two per link) would take.
   */
  private api(changes: ReadonlyArray<() => void>, calls = 2 * changes.length): void {
    if (!this.time) {
      for (const c of changes) c();
      return;
    }
    const [lo, hi] = this.time.apiMs ?? TOXIPROXY_API_MS;
    const step = (calls * (lo + this.time.rng.next() * (hi - lo))) / Math.max(1, changes.length);
    for (const c of changes) {
      this.time.advance(step / 2);
      c();
      this.time.advance(step / 2);
    }
  }
}
