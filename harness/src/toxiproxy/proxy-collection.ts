import { joinHostPort, resolveListenAddress } from './address.js';
import { ApiError, badBody, missingField, proxyExists, proxyNotFound } from './api/api-error.js';
import { describe, expectObject, type JsonObject, optionalBoolean, optionalString } from './api/request-body.js';
import type { ProxyMetrics } from './metrics.js';
import { checkName } from './names.js';
import { Proxy } from './proxy.js';

/** A proxy definition as read from a create or populate body. */
interface ProxyInput {
  readonly name: string;
  readonly listen: string;
  readonly upstream: string;
  readonly enabled: boolean;
}

/** Listen address used when a body has none (ours: the real server binds every interface). */
export const DEFAULT_LISTEN = 'localhost:0';

function readProxyInput(body: JsonObject, suffix: string): ProxyInput {
  const name = optionalString(body, 'name');
  if (!name) throw missingField(`name${suffix}`);
  const upstream = optionalString(body, 'upstream');
  if (!upstream) throw missingField(`upstream${suffix}`);
  checkName(name, 'proxy');
  return {
    name,
    upstream,
    listen: optionalString(body, 'listen') || DEFAULT_LISTEN,
    enabled: optionalBoolean(body, 'enabled') ?? true,
  };
}

async function sameAddress(given: string, current: string): Promise<boolean> {
  if (given === current) return true;
  try {
    const resolved = await resolveListenAddress(given);
    return joinHostPort(resolved.host, resolved.port) === current;
  } catch {
    return false;
  }
}

/**
 * Every proxy of a server, by name. Methods throw `ApiError`s with the spec's statuses and
 * messages. Not safe for overlapping async calls; the API serialises them.
 */
export class ProxyCollection {
  private readonly proxies = new Map<string, Proxy>();

  constructor(private readonly metrics: ProxyMetrics) {}

  /** All proxies sorted by name. */
  list(): Proxy[] {
    return [...this.proxies.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** The named proxy; 404 `proxy not found` otherwise. */
  get(name: string): Proxy {
    const proxy = this.proxies.get(name);
    if (!proxy) throw proxyNotFound();
    return proxy;
  }

  /** `POST /proxies`: checks name, upstream, uniqueness, then listens if enabled. */
  async create(body: unknown): Promise<Proxy> {
    const input = readProxyInput(expectObject(body, 'proxy'), '');
    if (this.proxies.has(input.name)) throw proxyExists();
    const proxy = new Proxy(input.name, input.listen, input.upstream, this.metrics);
    if (input.enabled) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }

  /**
   * `POST /populate`: validates every entry first, then creates, keeps or replaces each in
   * order. On the first failure the error carries the proxies handled so far.
   */
  async populate(body: unknown): Promise<Proxy[]> {
    if (body === null) return [];
    if (!Array.isArray(body)) throw badBody(`expected a JSON array of proxies, got ${describe(body)}`);
    const inputs = body.map((entry, i) => readProxyInput(expectObject(entry, `proxy ${i + 1}`), ` at proxy ${i + 1}`));
    const done: Proxy[] = [];
    for (const input of inputs) {
      try {
        done.push(await this.createOrReplace(input));
      } catch (error) {
        if (error instanceof ApiError) {
          throw new ApiError(error.status, error.message, { proxies: done.map((p) => p.toJSON()) });
        }
        throw error;
      }
    }
    return done;
  }

  /** `POST|PATCH /proxies/{p}`: omitted fields keep their values; `name` is ignored. */
  async update(name: string, body: unknown): Promise<Proxy> {
    const proxy = this.get(name);
    const fields = expectObject(body, 'proxy');
    const upstream = optionalString(fields, 'upstream');
    const listen = optionalString(fields, 'listen');
    const enabled = optionalBoolean(fields, 'enabled');
    await proxy.update({ upstream: upstream || undefined, listen: listen || undefined, enabled });
    return proxy;
  }

  /** `DELETE /proxies/{p}`: stops it (listener and connections closed) and forgets it. */
  remove(name: string): void {
    this.get(name).stop();
    this.proxies.delete(name);
  }

  /** `POST /reset`: every proxy enabled, every toxic removed; open connections stay. */
  async reset(): Promise<void> {
    for (const proxy of this.list()) {
      proxy.toxics.clear();
      await proxy.start();
    }
  }

  /** Stops every proxy (server shutdown). */
  stopAll(): void {
    for (const proxy of this.proxies.values()) proxy.stop();
  }

  private async createOrReplace(input: ProxyInput): Promise<Proxy> {
    const existing = this.proxies.get(input.name);
    if (existing) {
      if (existing.upstream === input.upstream && (await sameAddress(input.listen, existing.listen))) return existing;
      existing.stop();
    }
    const proxy = new Proxy(input.name, input.listen, input.upstream, this.metrics);
    if (input.enabled) await proxy.start();
    this.proxies.set(proxy.name, proxy);
    return proxy;
  }
}
