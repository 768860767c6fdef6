import { Proxy, Toxic, Toxiproxy } from 'toxiproxy-node-client';
import { EnvironmentError } from '../../../common/src/errors.js';
import type { Cut } from '../history/types.js';
import { toxicBody, type LinkToxic, type Stream } from './link-toxic.js';

/** A directed node-to-node link, `[from, to]`: messages sent by `from` to `to`. */
export type Link = Cut;

/** A link toxic in force; pass it to `removeLinkToxic` to take it off. */
export interface LinkToxicHandle {
  readonly id: string;
  readonly links: readonly Link[];
  readonly toxic: LinkToxic;
}

/** The network of a cluster as a run uses it: directed cuts and link toxics, counted, always healable. */
export interface Partitioner {
  /** Apply directed cuts (duplicates within one call count once). */
  applyCuts(cuts: readonly Cut[]): Promise<void>;
  /** Undo `applyCuts` for these cuts; a link heals when no cut of it is left. Unknown cuts are ignored. */
  healCuts(cuts: readonly Cut[]): Promise<void>;
  /** The cuts in force now. */
  activeCuts(): Cut[];
  /** Put `toxic` on every message link in `links`. */
  applyLinkToxic(links: readonly Link[], toxic: LinkToxic): Promise<LinkToxicHandle>;
  /** Take a link toxic off again (idempotent). */
  removeLinkToxic(handle: LinkToxicHandle): Promise<void>;
  /** Heal everything: every link restored, every toxic removed, all counts cleared. */
  healAll(): Promise<void>;
}

/** What the Toxiproxy partitioner needs to know of a cluster (any runtime's Cluster has it). */
export interface ProxiedCluster {
  readonly nodes: readonly string[];
  /** Name of the Toxiproxy proxy that carries node `from`'s RPCs to node `to`. */
  proxyName(from: string, to: string): string;
}

/** What `createPartitioner` needs of a cluster. */
export type PartitionTarget = ProxiedCluster & {
  /** Toxiproxy API URL reachable from the harness. */
  readonly toxiproxyUrl: string;
  /** True when the cluster's Toxiproxy carries nothing but this run (the embedded server). */
  readonly ownsToxiproxy?: boolean;
};

/**
 * The partitioner of a started cluster, talking to its Toxiproxy with a new node client.
 * `healAll` uses the global reset only when the cluster owns its Toxiproxy.
 */
export function createPartitioner(cluster: PartitionTarget): Partitioner {
  return new ToxiproxyPartitioner(cluster, new Toxiproxy(cluster.toxiproxyUrl), { mayReset: cluster.ownsToxiproxy === true });
}

export interface PartitionerOptions {
  /**
   * Whether `healAll` may use Toxiproxy's global `POST /reset` (only when the server carries
   * nothing but this run, i.e. the embedded one). Otherwise it heals this run's proxies one by one.
   */
  mayReset: boolean;
}

const CUT_TOXIC = 'cut';

/**
 * The one effectful partitioner (Jepsen's `partitioner`): turns directed message cuts and link
 * toxics into Toxiproxy state. Works in *messages*, not proxies: node X's messages to Y travel
 * as X's requests on proxy X→Y and as X's replies on the downstream of proxy Y→X.
 *
 * - A cut X→Y disables proxy X→Y and puts a `timeout` toxic (timeout 0) on the downstream of
 *   proxy Y→X, so Y's requests still reach X but X's replies to them are dropped.
 * - A link toxic on X→Y sits on the upstream of X→Y and the downstream of Y→X.
 *
 * Cuts are counted: two faults cutting the same link need two heals. Operations run one at a
 * time, in call order. Callers must not change the same proxies behind its back.
 */
export class ToxiproxyPartitioner implements Partitioner {
  private readonly cutCounts = new Map<string, number>();
  private readonly toxics = new Map<string, LinkToxicHandle>();
  private nextToxicId = 1;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly cluster: ProxiedCluster,
    private readonly client: Toxiproxy,
    private readonly options: PartitionerOptions,
  ) {}

  /** Apply directed cuts (duplicates within one call count once). */
  applyCuts(cuts: readonly Cut[]): Promise<void> {
    return this.serial(async () => {
      const fresh: Cut[] = [];
      for (const cut of this.distinct(cuts)) {
        const count = this.cutCounts.get(key(cut)) ?? 0;
        this.cutCounts.set(key(cut), count + 1);
        if (count === 0) fresh.push(cut);
      }
      await this.all('apply cuts', fresh.map((cut) => this.cutOn(cut)));
    });
  }

  /** Undo `applyCuts` for these cuts; a link heals when no cut of it is left. Unknown cuts are ignored. */
  healCuts(cuts: readonly Cut[]): Promise<void> {
    return this.serial(async () => {
      const healed: Cut[] = [];
      for (const cut of this.distinct(cuts)) {
        const count = this.cutCounts.get(key(cut)) ?? 0;
        if (count <= 0) continue;
        if (count === 1) {
          this.cutCounts.delete(key(cut));
          healed.push(cut);
        } else {
          this.cutCounts.set(key(cut), count - 1);
        }
      }
      await this.all('heal cuts', healed.map((cut) => this.cutOff(cut)));
    });
  }

  /** The cuts in force now. */
  activeCuts(): Cut[] {
    return [...this.cutCounts.keys()].map((k) => k.split('\u0000') as unknown as Cut);
  }

  /** Put `toxic` on every message link in `links`. */
  applyLinkToxic(links: readonly Link[], toxic: LinkToxic): Promise<LinkToxicHandle> {
    return this.serial(async () => {
      const handle: LinkToxicHandle = { id: `t${this.nextToxicId++}`, links: this.distinct(links), toxic };
      this.toxics.set(handle.id, handle);
      await this.all(
        `add ${toxic.type} toxic`,
        this.placements(handle).map(({ proxy, stream, name }) => proxy.addToxic(toxicBody(name, stream, toxic))),
      );
      return handle;
    });
  }

  /** Take a link toxic off again (idempotent). */
  removeLinkToxic(handle: LinkToxicHandle): Promise<void> {
    return this.serial(async () => {
      if (!this.toxics.delete(handle.id)) return;
      await this.all(
        `remove ${handle.toxic.type} toxic`,
        this.placements(handle).map(({ proxy, stream, name }) => this.removeToxic(proxy.getPath(), name, stream)),
      );
    });
  }

  /** Heal everything: every proxy of the run enabled, every toxic removed, all counts cleared. */
  healAll(): Promise<void> {
    return this.serial(async () => {
      this.cutCounts.clear();
      this.toxics.clear();
      if (this.options.mayReset) {
        await this.client.reset();
        return;
      }
      const pairs = this.cluster.nodes.flatMap((from) =>
        this.cluster.nodes.filter((to) => to !== from).map((to) => [from, to] as const),
      );
      await this.all(
        'heal all',
        pairs.map(async ([from, to]) => {
          await this.setEnabled(from, to, true);
          const path = this.proxy(from, to).getPath();
          const { data } = await this.client.getApi().get<Array<{ name: string; stream: Stream }>>(`${path}/toxics`);
          await Promise.all((data ?? []).map((t) => this.removeToxic(path, t.name, t.stream)));
        }),
      );
    });
  }

  private async cutOn([from, to]: Cut): Promise<void> {
    await Promise.all([
      this.setEnabled(from, to, false),
      this.proxy(to, from).addToxic(toxicBody(cutToxicName(from), 'downstream', { type: 'timeout', timeoutMs: 0 })),
    ]);
  }

  private async cutOff([from, to]: Cut): Promise<void> {
    await Promise.all([
      this.setEnabled(from, to, true),
      this.removeToxic(this.proxy(to, from).getPath(), cutToxicName(from), 'downstream'),
    ]);
  }

  private placements(handle: LinkToxicHandle) {
    return handle.links.flatMap(([from, to]) => [
      { proxy: this.proxy(from, to), stream: 'upstream' as const, name: `${handle.id}-${handle.toxic.type}-up` },
      { proxy: this.proxy(to, from), stream: 'downstream' as const, name: `${handle.id}-${handle.toxic.type}-down` },
    ]);
  }

  /** The node client's handle for proxy from→to (it addresses a proxy by name only). */
  private proxy(from: string, to: string): Proxy {
    const name = this.cluster.proxyName(from, to);
    return new Proxy(this.client, { name, listen: '', upstream: '', enabled: true, toxics: [] });
  }

  /**
   * Enable or disable one proxy. Sends only `enabled`: Toxiproxy keeps omitted fields (the
   * client's type asks for all three, but reading them first would double the requests).
   */
  private async setEnabled(from: string, to: string, enabled: boolean): Promise<void> {
    await this.proxy(from, to).update({ enabled } as Parameters<Proxy['update']>[0]);
  }

  private async removeToxic(proxyPath: string, name: string, stream: Stream): Promise<void> {
    const toxic = new Toxic(this.client.getApi(), proxyPath, {
      name, stream, type: 'timeout', toxicity: 1, attributes: {},
    });
    try {
      await toxic.remove();
    } catch (error) {
      if (!/status code 404/.test((error as Error).message)) throw error;
    }
  }

  private distinct(links: readonly Link[]): Link[] {
    return distinctLinks(links, this.cluster.nodes);
  }

  private serial<T>(op: () => Promise<T>): Promise<T> {
    const result = this.queue.then(op, op);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async all(what: string, ops: Array<Promise<unknown>>): Promise<void> {
    const results = await Promise.allSettled(ops);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      const cause = failed[0]!.reason as Error;
      throw new EnvironmentError(
        `Toxiproxy failed to ${what} (${failed.length} of ${ops.length} requests): ${cause.message}. ` +
          'Some links may be half-changed; healing the whole network, or stopping the cluster, restores them.',
        { cause },
      );
    }
  }
}

/**
 * Validated, de-duplicated links (a link named twice in one call counts once): throws for an
 * unknown node or a node linked to itself. The simulated partitioner uses it too.
 */
export function distinctLinks(links: readonly Link[], nodes: readonly string[]): Link[] {
  const seen = new Map<string, Link>();
  for (const link of links) {
    const [from, to] = link;
    if (from === to) throw new Error(`a link needs two different nodes, got ${from}→${to}`);
    for (const node of link) {
      if (!nodes.includes(node)) throw new Error(`unknown node ${node} in link ${from}→${to}`);
    }
    seen.set(key(link), [from, to]);
  }
  return [...seen.values()];
}

function key([from, to]: Cut): string {
  return `${from}\u0000${to}`;
}

/** Name of the timeout toxic that drops `from`'s replies on proxy to→from. */
function cutToxicName(from: string): string {
  return `${CUT_TOXIC}-${from}-replies`;
}
