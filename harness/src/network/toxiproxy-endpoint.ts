import { spawn } from 'node:child_process';
import { Toxiproxy } from 'toxiproxy-node-client';
import { ensureToxiproxyBundle } from '../build/bundles.js';
import { EnvironmentError } from '../../../common/src/errors.js';
import { startToxiproxyServer } from '../toxiproxy/index.js';

/**
 * A Toxiproxy the harness drives: the project's own server (started as a child process on
 * 127.0.0.1 with an ephemeral port, or inside this process) or an external one given by URL.
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
  /**
   * Run the project's server inside this process instead of as a child process (default false).
   * A child keeps the proxies' latency apart from the harness's own work (polling, recording):
   * in-process, every node-to-node message waits for the harness's event loop.
   */
  inProcess?: boolean;
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
  if (options.inProcess) {
    const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    const url = server.url.replace(/\/+$/, '');
    return endpoint(url, new Toxiproxy(url), true, () => server.close());
  }
  const child = await startToxiproxyChild();
  return endpoint(child.url, new Toxiproxy(child.url), true, child.stop);
}

/**
 * The project's Toxiproxy server as a child process on 127.0.0.1 (an ephemeral port), from its
 * bundle. It exits when the harness does, even after SIGKILL (`--parent-pid`).
 */
async function startToxiproxyChild(): Promise<{ url: string; stop: () => Promise<void> }> {
  const bundle = await ensureToxiproxyBundle();
  // Its own session (detached), like the nodes: a signal to the harness's process group
  // (Ctrl-C, `timeout -s TERM`, a closed terminal's SIGHUP) must not stop it before the harness
  // has healed the links through it; `stop`, the exit hook and --parent-pid end it.
  const child = spawn(process.execPath, [bundle, '--host', '127.0.0.1', '--port', '0', '--parent-pid', String(process.pid)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new EnvironmentError(`the Toxiproxy server did not start within 10 s: ${err || out}`)), 10_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const m = /server on (\S+:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new EnvironmentError(`the Toxiproxy server exited at start (code ${code}): ${err || out}`));
    });
  }).catch(async (e: unknown) => {
    child.kill('SIGKILL');
    process.removeListener('exit', killOnExit);
    throw e;
  });
  child.stdout.resume();
  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
  };
  return { url, stop };
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
