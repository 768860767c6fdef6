import { createServer as createHttpServer, type Server as HttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { roundTrip } from './round-trip.js';

const servers: Array<HttpServer | Server> = [];
const sockets = new Set<Socket>();
afterEach(async () => {
  for (const socket of sockets) socket.destroy();
  sockets.clear();
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
});

async function listen<S extends HttpServer | Server>(server: S): Promise<number> {
  servers.push(server);
  server.on('connection', (socket: Socket) => sockets.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return (server.address() as { port: number }).port;
}

describe('roundTrip', () => {
  it('answered: the node the request was meant for answered; ms is the time to the first byte', async () => {
    const port = await listen(createHttpServer((_q, s) => setTimeout(() => s.end('{"id":"n2","state":"leader"}'), 60)));
    const r = await roundTrip('127.0.0.1', port, 1000, 'n2');
    expect(r.result).toBe('answered');
    expect(r.ms).toBeGreaterThanOrEqual(55);
  });
  it('error: another node answered on that port', async () => {
    const port = await listen(createHttpServer((_q, s) => s.end('{"id":"n3"}')));
    expect(await roundTrip('127.0.0.1', port, 1000, 'n2')).toMatchObject({ result: 'error', detail: 'answered as n3, not n2' });
  });
  it('refused: nothing listens (a disabled proxy)', async () => {
    const port = await listen(createServer());
    servers.pop()!.close();
    await new Promise((r) => setTimeout(r, 20));
    expect((await roundTrip('127.0.0.1', port, 500)).result).toBe('refused');
  });
  it('timeout: accepted, then silence (a dropped reply); closed: accepted, then closed unanswered', async () => {
    const silent = await listen(createServer(() => {}));
    const t = await roundTrip('127.0.0.1', silent, 150);
    expect(t.result).toBe('timeout');
    expect(t.ms).toBeGreaterThanOrEqual(145);
    const closing = await listen(createServer((socket) => socket.end()));
    expect((await roundTrip('127.0.0.1', closing, 500)).result).toBe('closed');
  });
  it('an answer still arriving when time is up counts as answered (the link passed it)', async () => {
    const port = await listen(
      createServer((socket) => {
        socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{"st'));
      }),
    );
    expect((await roundTrip('127.0.0.1', port, 200, 'n1')).result).toBe('answered');
  });
});
