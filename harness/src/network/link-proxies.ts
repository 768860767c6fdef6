import { Proxy, type Toxiproxy } from 'toxiproxy-node-client';
import { EnvironmentError } from '../../../common/src/errors.js';
import { directedLinks, linkProxyName, parseHostPort } from './link-names.js';
import { patchProxy } from './toxiproxy-patch.js';

/** One directed link's proxy: node `from` reaches node `to` at `listen`. */
export interface LinkProxy {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  /** The proxy's bound listen address (what `from` dials to reach `to`). */
  readonly listen: { host: string; port: number };
  /** `host:port` of node `to`. */
  upstream: string;
}

export interface LinkProxiesOptions {
  client: Toxiproxy;
  runId: string;
  nodes: readonly string[];
  /** Where node `to` listens (`host:port`); the proxies `*→to` forward there. */
  upstreamOf(node: string): string;
  /** Host the proxies listen on (default `127.0.0.1`); the port is chosen by Toxiproxy. */
  listenHost?: string;
}

/**
 * The n·(n−1) proxies of one run, one per directed link, created before the nodes start so each
 * node's `--peers` can name the proxies it must use. Only proxy-level operations live here
 * (enable, move upstream, delete); toxics and cuts belong to the Partitioner.
 */
export class LinkProxies {
  private readonly byName = new Map<string, LinkProxy>();

  private constructor(
    private readonly client: Toxiproxy,
    readonly runId: string,
    readonly nodes: readonly string[],
    proxies: LinkProxy[],
  ) {
    for (const p of proxies) this.byName.set(p.name, p);
  }

  /**
   * Create every proxy in one `populate` call (listen on port 0, read the bound port back).
   * On failure, deletes whatever was created and throws EnvironmentError.
   */
  static async create(options: LinkProxiesOptions): Promise<LinkProxies> {
    const { client, runId, nodes } = options;
    const listenHost = options.listenHost ?? '127.0.0.1';
    const wanted = directedLinks(nodes).map(([from, to]) => ({
      name: linkProxyName(runId, from, to),
      listen: `${listenHost}:0`,
      upstream: options.upstreamOf(to),
      enabled: true,
    }));
    let created: Record<string, Proxy>;
    try {
      created = await client.populate(wanted);
    } catch (cause) {
      await Promise.allSettled(wanted.map((w) => deleteQuietly(client, w.name)));
      throw new EnvironmentError(
        `could not create the ${wanted.length} link proxies of run ${runId} on Toxiproxy ${client.host}: ` +
          `${(cause as Error).message}. Check that the Toxiproxy server is healthy and may listen on ${listenHost}.`,
        { cause },
      );
    }
    const proxies = directedLinks(nodes).map(([from, to]): LinkProxy => {
      const name = linkProxyName(runId, from, to);
      const p = created[name];
      if (p === undefined) throw new EnvironmentError(`Toxiproxy did not return proxy ${name} from populate`);
      return { name, from, to, listen: parseHostPort(p.listen), upstream: p.upstream };
    });
    const bad = proxies.find((p) => p.listen.port === 0);
    if (bad !== undefined) {
      await Promise.allSettled(wanted.map((w) => deleteQuietly(client, w.name)));
      throw new EnvironmentError(`Toxiproxy returned listen port 0 for ${bad.name}: it must report the bound address`);
    }
    return new LinkProxies(client, runId, nodes, proxies);
  }

  /** The proxy carrying `from`'s messages to `to`. Throws for an unknown pair. */
  get(from: string, to: string): LinkProxy {
    const p = this.byName.get(linkProxyName(this.runId, from, to));
    if (p === undefined) throw new Error(`no link proxy ${from}→${to} in run ${this.runId}`);
    return p;
  }

  all(): LinkProxy[] {
    return [...this.byName.values()];
  }

  /** The `--peers` value for `node`: each other node at the listen address of proxy node→peer. */
  peersFlag(node: string): string {
    return this.nodes
      .filter((peer) => peer !== node)
      .map((peer) => {
        const { host, port } = this.get(node, peer).listen;
        return `${peer}=${host}:${port}`;
      })
      .join(',');
  }

  /**
   * Point every proxy `*→to` at a new address of node `to` (after it had to move port), with
   * one PATCH each naming only `upstream`: Toxiproxy keeps the enabled flag, listen address
   * and toxics.
   */
  async setUpstream(to: string, upstream: string): Promise<void> {
    const targets = this.all().filter((p) => p.to === to);
    await Promise.all(
      targets.map(async (p) => {
        await patchProxy(this.client, p.name, { upstream });
        p.upstream = upstream;
      }),
    );
  }

  /** Delete every proxy of this run (404s ignored). Safe to call more than once. */
  async removeAll(): Promise<void> {
    const results = await Promise.allSettled(this.all().map((p) => deleteQuietly(this.client, p.name)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      throw new EnvironmentError(
        `could not delete ${failed.length} proxies of run ${this.runId}: ${(failed[0]!.reason as Error).message}`,
        { cause: failed[0]!.reason },
      );
    }
  }
}

/** Delete a proxy by name; a proxy that is already gone is fine. */
export async function deleteQuietly(client: Toxiproxy, name: string): Promise<void> {
  try {
    await new Proxy(client, { name, listen: '', upstream: '', enabled: true, toxics: [] }).remove();
  } catch (error) {
    if (!/status code 404/.test((error as Error).message)) throw error;
  }
}

/** Delete every proxy whose name starts with `<runId>-` (what a crashed run left behind). */
export async function removeRunProxies(client: Toxiproxy, runId: string): Promise<number> {
  const all = await client.getAll();
  const mine = Object.keys(all).filter((name) => name.startsWith(`${runId}-`));
  await Promise.all(mine.map((name) => deleteQuietly(client, name)));
  return mine.length;
}
