import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { EnvironmentError } from '../../../common/src/errors.js';
import { joinHostPort } from './address.js';
import { createApiHandler } from './api/http-api.js';
import { ProxyMetrics } from './metrics.js';
import { ProxyCollection } from './proxy-collection.js';

/** Where the API listens. Defaults: the real server's `localhost:8474`. Port 0 picks a free port. */
export interface ToxiproxyServerOptions {
  /** Host or IP to bind; default `localhost` (bound as 127.0.0.1). */
  readonly host?: string;
  /** Port; default 8474; 0 = ephemeral. */
  readonly port?: number;
  /** Receives warnings, e.g. an update sent with the deprecated POST (default: dropped). */
  readonly onWarning?: (message: string) => void;
}

/** A running server. `close()` is idempotent and leaves no socket open. */
export interface ToxiproxyServer extends AsyncDisposable {
  /** Base URL of the API, e.g. `http://127.0.0.1:8474`; give it to `new Toxiproxy(url)`. */
  readonly url: string;
  /** The bound API port. */
  readonly port: number;
  /** Bound host (IP). */
  readonly host: string;
  /** The proxies, for in-process inspection (tests); drive the server through its HTTP API. */
  readonly proxies: ProxyCollection;
  /**
   * Stops the API (open HTTP connections too) and every proxy (listeners and all proxied
   * connections) and resolves once every socket is closed.
   */
  close(): Promise<void>;
}

/**
 * Starts a Toxiproxy-compatible server in this process. Rejects with `EnvironmentError` when
 * the address cannot be bound (port taken, unknown host).
 */
export async function startToxiproxyServer(options: ToxiproxyServerOptions = {}): Promise<ToxiproxyServer> {
  const requestedHost = options.host ?? 'localhost';
  const host = requestedHost === 'localhost' ? '127.0.0.1' : requestedHost;
  const port = options.port ?? 8474;
  const metrics = new ProxyMetrics();
  const proxies = new ProxyCollection(metrics);
  const http = createServer({ keepAliveTimeout: 5_000 }, createApiHandler({ proxies, metrics, ...(options.onWarning ? { warn: options.onWarning } : {}) }));
  const sockets = new Set<Socket>();
  http.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    http.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        new EnvironmentError(
          `toxiproxy server cannot listen on ${joinHostPort(host, port)}: ${error.code ?? error.message}; pick another --port or stop what uses it`,
          { cause: error },
        ),
      ),
    );
    http.listen({ host, port }, () => resolve());
  });
  const address = http.address();
  if (address === null || typeof address === 'string') throw new EnvironmentError('toxiproxy server has no TCP address');
  const url = `http://${joinHostPort(address.address, address.port)}`;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      proxies.stopAll();
      http.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };
  return { url, port: address.port, host: address.address, proxies, close, [Symbol.asyncDispose]: close };
}
