import { Proxy, Toxic, Toxiproxy } from 'toxiproxy-node-client';
import { EnvironmentError } from '../../../common/src/errors.js';
import type { Cut } from '../history/types.js';
import { directedLinks } from './link-names.js';
import { LinkProber, type FaultProbe, type ProbeTarget } from './link-prober.js';
import { toxicBody, type LinkToxic, type Stream } from './link-toxic.js';
import { proxiesOf, type NetworkState, type ProbeTiming } from './probe-expectation.js';
import { patchProxy } from './toxiproxy-patch.js';

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
  /** Resolves once the probes of earlier operations have been recorded (at once where nothing probes). */
  settled(): Promise<void>;
}

/** What the Toxiproxy partitioner needs to know of a cluster (any runtime's Cluster has it). */
export interface ProxiedCluster {
  readonly nodes: readonly string[];
  /** Name of the Toxiproxy proxy that carries node `from`'s RPCs to node `to`. */
  proxyName(from: string, to: string): string;
}

/** What `createPartitioner` needs of a cluster. */
export type PartitionTarget = ProxiedCluster &
  Pick<ProbeTarget, 'statusUrl' | 'probeHost'> & {
    /** Toxiproxy API URL reachable from the harness. */
    readonly toxiproxyUrl: string;
    /** True when the cluster's Toxiproxy carries nothing but this run (the embedded server). */
    readonly ownsToxiproxy?: boolean;
  };

/**
 * The partitioner of a started cluster, talking to its Toxiproxy with a new node client.
 * `healAll` uses the global reset only when the cluster owns its Toxiproxy. Given `onProbe`, it
 * proves each operation in force (see `PartitionerOptions.probes`).
 */
export function createPartitioner(cluster: PartitionTarget, probes?: { onProbe(entry: FaultProbe): void; timing?: ProbeTiming }): Partitioner {
  const client = new Toxiproxy(cluster.toxiproxyUrl);
  return new ToxiproxyPartitioner(cluster, client, {
    mayReset: cluster.ownsToxiproxy === true,
    ...(probes ? { probes: { prober: new LinkProber(cluster, client, probes.timing), onProbe: probes.onProbe } } : {}),
  });
}

export interface PartitionerOptions {
  /**
   * Whether `healAll` may use Toxiproxy's global `POST /reset` (only when the server carries
   * nothing but this run, i.e. the embedded one). Otherwise it heals this run's proxies one by one.
   */
  mayReset: boolean;
  /**
   * Faults proven in force: after every operation (cut, heal, toxic on or off, heal all) the
   * prober tries each proxy the operation touched and `onProbe` gets what it saw (a
   * `fault-probe` history entry). An operation resolves before its probes end, but the next one
   * (and `healAll`, which probes inline) waits for them. Absent: the partitioner trusts
   * Toxiproxy's answers.
   */
  probes?: { prober: LinkProber; onProbe(entry: FaultProbe): void };
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
  /** The probes of the last operation, still running; the next operation waits for them. */
  private pendingProbe: Promise<void> = Promise.resolve();

  constructor(
    private readonly cluster: ProxiedCluster,
    private readonly client: Toxiproxy,
    private readonly options: PartitionerOptions,
  ) {
    // Learn early which proxies answer, in the background (the run is warming up), so a fault
    // is not held up by it: its cut silences proxies already seen open.
    const probes = options.probes;
    if (probes) this.pendingProbe = probes.prober.baseline(directedLinks(cluster.nodes), this.state()).catch(() => undefined);
  }

  /** Apply directed cuts (duplicates within one call count once). */
  applyCuts(cuts: readonly Cut[]): Promise<void> {
    return this.serial(async () => {
      const links = this.distinct(cuts);
      await this.baseline(links);
      const fresh: Cut[] = [];
      for (const cut of links) {
        const count = this.cutCounts.get(key(cut)) ?? 0;
        this.cutCounts.set(key(cut), count + 1);
        if (count === 0) fresh.push(cut);
      }
      await this.all('apply cuts', fresh.map((cut) => this.cutOn(cut)));
      this.probeLater('apply-cuts', links);
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
      this.probeLater('heal-cuts', this.distinct(cuts));
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
      await this.baseline(handle.links);
      this.toxics.set(handle.id, handle);
      await this.all(
        `add ${toxic.type} toxic`,
        this.placements(handle).map(({ proxy, stream, name }) => proxy.addToxic(toxicBody(name, stream, toxic))),
      );
      this.probeLater('add-toxic', handle.links, toxic.type);
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
      this.probeLater('remove-toxic', handle.links, handle.toxic.type);
    });
  }

  /** Heal everything: every proxy of the run enabled, every toxic removed, all counts cleared. */
  healAll(): Promise<void> {
    return this.serial(async () => {
      this.cutCounts.clear();
      this.toxics.clear();
      if (this.options.mayReset) {
        await this.client.reset();
        await this.probe('heal-all', directedLinks(this.cluster.nodes));
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
      await this.probe('heal-all', directedLinks(this.cluster.nodes));
    });
  }

  /** Resolves once every operation so far, and its probes, is done and recorded. */
  settled(): Promise<void> {
    return this.serial(async () => undefined);
  }

  /** The cuts and toxics in force, as the probes' expectations need them. */
  private state(): NetworkState {
    return { cuts: this.activeCuts(), toxics: [...this.toxics.values()] };
  }

  private async baseline(links: readonly Link[]): Promise<void> {
    await this.options.probes?.prober.baseline(proxiesOf(links), this.state());
  }

  /**
   * Probes an operation's links without holding up its caller (a slowed link takes its latency
   * to answer, a cut one its silence): the fault's timing stays as scheduled, and the next
   * operation waits for these probes, so it cannot change the links under them.
   */
  private probeLater(op: FaultProbe['op'], links: readonly Link[], toxic?: string): void {
    this.pendingProbe = this.probe(op, links, toxic).catch(() => undefined);
  }

  /** Probes now, with the state as it is at the call (taken before the first await). */
  private async probe(op: FaultProbe['op'], links: readonly Link[], toxic?: string): Promise<void> {
    const probes = this.options.probes;
    if (!probes || links.length === 0) return;
    const pairs = op === 'heal-all' ? links : proxiesOf(links);
    probes.onProbe(await probes.prober.probe(op, links, pairs, this.state(), toxic));
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

  /** Enable or disable one proxy with PATCH, sending only `enabled` (Toxiproxy keeps the rest). */
  private async setEnabled(from: string, to: string, enabled: boolean): Promise<void> {
    await patchProxy(this.client, this.cluster.proxyName(from, to), { enabled });
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
    const run = async (): Promise<T> => {
      await this.pendingProbe;
      return op();
    };
    const result = this.queue.then(run, run);
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
