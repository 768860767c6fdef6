import { createServer, type Server, type Socket } from 'node:net';
import { joinHostPort, listenErrorMessage, resolveListenAddress } from './address.js';
import { listenFailed } from './api/api-error.js';
import { Connection } from './connection.js';
import { SOCKET_HIGH_WATER_MARK } from './link.js';
import type { ProxyMetrics } from './metrics.js';
import { toxicJson } from './toxic.js';
import { ToxicCollection } from './toxic-collection.js';

/** Fields of a proxy that `update` may change; omitted ones keep their values. */
export interface ProxyChanges {
  readonly listen?: string | undefined;
  readonly upstream?: string | undefined;
  readonly enabled?: boolean | undefined;
}

/**
 * One proxy: a listener that accepts clients and joins each to a fresh upstream connection
 * through the proxy's toxics. `stop()` is immediate and complete: the listener is closed (new
 * connections refused) and every open connection destroyed before it returns.
 * Not safe for overlapping async calls; the API serialises them.
 */
export class Proxy {
  /** The listen address: as given until started, then the bound `ip:port`. */
  listen: string;
  upstream: string;
  private server: Server | undefined;
  private readonly connections = new Set<Connection>();
  readonly toxics = new ToxicCollection(() => this.connections);

  constructor(
    readonly name: string,
    listen: string,
    upstream: string,
    private readonly metrics: ProxyMetrics,
  ) {
    this.listen = listen;
    this.upstream = upstream;
  }

  /** True while listening. */
  get enabled(): boolean {
    return this.server !== undefined;
  }

  /** Number of open connections (for tests and metrics). */
  get connectionCount(): number {
    return this.connections.size;
  }

  /** Starts listening (no-op when enabled). Throws 500 with Go's wording if it cannot listen. */
  async start(): Promise<void> {
    if (this.server) return;
    let address;
    try {
      address = await resolveListenAddress(this.listen);
    } catch (error) {
      throw listenFailed((error as Error).message);
    }
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: true, highWaterMark: SOCKET_HIGH_WATER_MARK }, (client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', (error: NodeJS.ErrnoException) => reject(listenFailed(listenErrorMessage(address, error))));
      server.listen({ host: address.host, port: address.port }, () => resolve());
    });
    server.on('error', () => {});
    const bound = server.address();
    if (bound === null || typeof bound === 'string') throw listenFailed('listen tcp: no address');
    this.listen = joinHostPort(bound.address, bound.port);
    this.server = server;
  }

  /** Closes the listener and destroys every open connection, synchronously. Idempotent. */
  stop(): void {
    const server = this.server;
    this.server = undefined;
    server?.close();
    for (const connection of [...this.connections]) connection.destroy();
  }

  /**
   * Applies changes: a new listen address or upstream stops the proxy (dropping connections)
   * and moves it; then `enabled` is applied. Throws 500 if the new address cannot be bound
   * (the proxy is then left stopped).
   */
  async update(changes: ProxyChanges): Promise<void> {
    const wasEnabled = this.enabled;
    const listen = changes.listen ?? this.listen;
    const upstream = changes.upstream ?? this.upstream;
    if (listen !== this.listen || upstream !== this.upstream) {
      this.stop();
      this.listen = listen;
      this.upstream = upstream;
    }
    const enabled = changes.enabled ?? wasEnabled;
    if (enabled) await this.start();
    else this.stop();
  }

  /** The API's JSON shape. */
  toJSON(): object {
    return {
      name: this.name,
      listen: this.listen,
      upstream: this.upstream,
      enabled: this.enabled,
      toxics: this.toxics.list().map(toxicJson),
    };
  }

  private accept(client: Socket): void {
    if (!this.server) {
      client.destroy();
      return;
    }
    const labels = { proxy: this.name, listener: this.listen, upstream: this.upstream };
    const connection = new Connection({
      client,
      upstream: this.upstream,
      toxics: (stream) => this.toxics.of(stream),
      counters: (direction) => this.metrics.counters({ ...labels, direction }),
      closed: (c) => this.connections.delete(c),
    });
    this.connections.add(connection);
  }
}
