import { connect } from 'node:net';
import type { LinkProbe } from '../history/types.js';

/** How one round trip ended (see `LinkProbe.result`), and after how long. */
export interface RoundTrip {
  readonly result: Exclude<LinkProbe['result'], 'unprobed'>;
  readonly ms: number;
  readonly detail?: string;
}

/**
 * One cheap round trip to a node's HTTP API at `host:port` (directly or through a link proxy):
 * a TCP connect, then `GET /status`, done as soon as the first bytes of an HTTP status line come
 * back (`answered`), or when the connect is refused (`refused`), the connection closes without
 * an answer (`closed`), something else fails (`error`), or `deadlineMs` passes (`timeout`).
 * `ms` of an answer is the time to its first byte. Given `node`, an answer whose `"id"` names
 * another node is an `error` (something else answered on that port); one without an id counts.
 * Never rejects; leaves no socket open.
 */
export function roundTrip(host: string, port: number, deadlineMs: number, node?: string): Promise<RoundTrip> {
  const started = performance.now();
  return new Promise<RoundTrip>((resolve) => {
    let done = false;
    let received = '';
    let firstByteMs: number | undefined;
    const socket = connect({ host, port });
    const finish = (result: RoundTrip['result'], detail?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      const ms = result === 'answered' && firstByteMs !== undefined ? firstByteMs : performance.now() - started;
      resolve({ result, ms, ...(detail !== undefined ? { detail } : {}) });
    };
    // An answer under way when time is up still counts: the link passed it.
    const timer = setTimeout(() => (received.startsWith('HTTP/') ? answered() : finish('timeout')), deadlineMs);
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.write(`GET /status HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`);
    });
    const answered = (): void => {
      const id = /"id"\s*:\s*"([^"]*)"/.exec(received.slice(received.indexOf('\r\n\r\n')))?.[1];
      if (node === undefined || id === undefined || id === node) finish('answered');
      else finish('error', `answered as ${id}, not ${node}`);
    };
    socket.on('data', (chunk: Buffer) => {
      firstByteMs ??= performance.now() - started;
      received += chunk.toString('latin1');
      if (received.length < 5) return;
      if (!received.startsWith('HTTP/')) return finish('error', `not an HTTP answer: ${JSON.stringify(received.slice(0, 20))}`);
      // Done once the body shows whose it is (or, without an id, when the node closes).
      if (node === undefined || /"id"\s*:\s*"[^"]*"/.test(received)) answered();
    });
    socket.once('end', () => {
      if (received.startsWith('HTTP/')) answered();
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (received.startsWith('HTTP/')) answered();
      else if (e.code === 'ECONNREFUSED') finish('refused');
      else if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish('closed', e.code);
      else finish('error', e.code ?? e.message);
    });
    socket.once('close', () => (received.startsWith('HTTP/') ? answered() : finish('closed')));
  });
}
