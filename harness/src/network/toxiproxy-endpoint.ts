import { Toxiproxy } from 'toxiproxy-node-client';
import { EnvironmentError } from '../../../common/src/errors.js';
import { startToxiproxyServer } from '../toxiproxy/index.js';

/**
 * A Toxiproxy the harness drives: the embedded server (started in this process on
 * 127.0.0.1 with an ephemeral port) or an external one given by URL.
 *
 * `close()` is idempotent. It stops the embedded server if this endpoint started it, and never
 * touches an external server (its proxies are deleted by whoever created them).
 */
export interface ToxiproxyEndpoint extends AsyncDisposable {
  /** The API URL, e.g. `http://127.0.0.1:43127`. */
  readonly url: string;
  /** The node client, bound to `url`. The only way the harness talks to Toxiproxy. */
  readonly client: Toxiproxy;
  /** True when this endpoint started the server (so it may `reset` it and must stop it). */
  readonly embedded: boolean;
  close(): Promise<void>;
}

export interface ToxiproxyEndpointOptions {
  /** Use this Toxiproxy API URL instead of starting the embedded server. */
  url?: string;
  /** How long to wait for an external server's `/version` (default 5000 ms). */
  connectTimeoutMs?: number;
}

/**
 * Start the embedded Toxiproxy (default) or connect to `options.url`, checking that it answers.
 * Throws EnvironmentError when an external server cannot be reached.
 */
export async function openToxiproxy(options: ToxiproxyEndpointOptions = {}): Promise<ToxiproxyEndpoint> {
  if (options.url !== undefined) {
    const url = options.url.replace(/\/+$/, '');
    const client = new Toxiproxy(url);
    await checkReachable(client, url, options.connectTimeoutMs ?? 5000);
    return endpoint(url, client, false, async () => {});
  }
  const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  const url = server.url.replace(/\/+$/, '');
  return endpoint(url, new Toxiproxy(url), true, () => server.close());
}

function endpoint(url: string, client: Toxiproxy, embedded: boolean, stop: () => Promise<void>): ToxiproxyEndpoint {
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => (closing ??= stop());
  return { url, client, embedded, close, [Symbol.asyncDispose]: close };
}

async function checkReachable(client: Toxiproxy, url: string, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.getVersion(), timeout]);
  } catch (cause) {
    throw new EnvironmentError(
      `Toxiproxy at ${url} did not answer GET /version (${(cause as Error).message}). ` +
        'Start it, fix --toxiproxy-url, or leave the option out to use the embedded server.',
      { cause },
    );
  } finally {
    clearTimeout(timer);
  }
}
