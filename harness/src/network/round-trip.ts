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
 * Never rejects; leaves no socket open.
 */
export function roundTrip(host: string, port: number, deadlineMs: number): Promise<RoundTrip> {
  const started = performance.now();
  return new Promise<RoundTrip>((resolve) => {
    let done = false;
    let received = '';
    const socket = connect({ host, port });
    const finish = (result: RoundTrip['result'], detail?: string): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ result, ms: performance.now() - started, ...(detail !== undefined ? { detail } : {}) });
    };
    const timer = setTimeout(() => finish('timeout'), deadlineMs);
    socket.setNoDelay(true);
    socket.once('connect', () => {
      socket.write(`GET /status HTTP/1.1\r\nHost: ${host}:${port}\r\nConnection: close\r\n\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.length >= 5) {
        if (received.startsWith('HTTP/')) finish('answered');
        else finish('error', `not an HTTP answer: ${JSON.stringify(received.slice(0, 20))}`);
      }
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNREFUSED') finish('refused');
      else if (e.code === 'ECONNRESET' || e.code === 'EPIPE') finish('closed', e.code);
      else finish('error', e.code ?? e.message);
    });
    socket.once('close', () => finish('closed'));
  });
}
