import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP server for tests, with every accepted socket tracked so close() is complete. */
export interface TestServer {
  readonly port: number;
  readonly address: string;
  /** Accepted sockets, in order. */
  readonly accepted: Socket[];
  close(): Promise<void>;
}

/** Starts a loopback server running `onSocket` for each client. */
export async function startServer(onSocket: (socket: Socket) => void): Promise<TestServer> {
  const accepted: Socket[] = [];
  const server: Server = createServer({ allowHalfOpen: false }, (socket) => {
    accepted.push(socket);
    socket.on('error', () => {});
    onSocket(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    address: `127.0.0.1:${port}`,
    accepted,
    close: async () => {
      for (const s of accepted) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/** An echo server. */
export const startEcho = (): Promise<TestServer> => startServer((s) => s.pipe(s));

/** Port of a `host:port` listen address. */
export function portOf(listen: string): number {
  return Number(listen.slice(listen.lastIndexOf(':') + 1));
}

/** Connects to 127.0.0.1:port and collects what arrives. */
export async function dial(port: number): Promise<Probe> {
  const socket = connect({ port, host: '127.0.0.1', noDelay: true });
  const probe = new Probe(socket);
  await once(socket, 'connect');
  return probe;
}

/** A client socket that records data (with arrival times), its end, and how it closed. */
export class Probe {
  readonly chunks: Array<{ at: number; data: Buffer }> = [];
  received = 0;
  error: NodeJS.ErrnoException | undefined;
  ended = false;
  readonly closed: Promise<{ at: number; error: string | undefined }>;

  constructor(readonly socket: Socket) {
    socket.on('data', (data: Buffer) => {
      this.chunks.push({ at: performance.now(), data });
      this.received += data.length;
    });
    socket.on('end', () => (this.ended = true));
    socket.on('error', (e: NodeJS.ErrnoException) => (this.error = e));
    this.closed = new Promise((resolve) =>
      socket.once('close', () => resolve({ at: performance.now(), error: this.error?.code })),
    );
  }

  /** Everything received so far, as text. */
  text(): string {
    return Buffer.concat(this.chunks.map((c) => c.data)).toString();
  }

  /** Waits until at least `bytes` arrived; rejects after `timeoutMs` or if the socket closes first. */
  async waitFor(bytes: number, timeoutMs = 3000): Promise<number> {
    const start = performance.now();
    while (this.received < bytes) {
      if (this.socket.destroyed) throw new Error(`closed after ${this.received}/${bytes} bytes`);
      if (performance.now() - start > timeoutMs) throw new Error(`timed out with ${this.received}/${bytes} bytes`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return performance.now();
  }

  /** Waits for close; rejects after `timeoutMs`. */
  async waitClosed(timeoutMs = 3000): Promise<{ at: number; error: string | undefined }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`not closed within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([this.closed, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Sleeps. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves with the error code of a connection attempt ('connected' if it succeeds). */
export async function tryConnect(port: number): Promise<string> {
  const socket = connect({ port, host: '127.0.0.1' });
  try {
    await once(socket, 'connect');
    return 'connected';
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  } finally {
    socket.destroy();
  }
}
