import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { statusOf, waitUntilReady } from './readiness.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

/** A /status server that answers 503 for the first `busy` requests, then `body`. */
async function statusServer(busy: number, body: object): Promise<string> {
  let seen = 0;
  server = createServer((_req, res) => {
    seen += 1;
    if (seen <= busy) res.writeHead(503).end('starting');
    else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
}

describe('waitUntilReady: the one readiness wait', () => {
  it('waits through unwelcome answers and resolves with what the ready answer said', async () => {
    const url = await statusServer(2, { id: 'n1', pid: 42, bootId: 'b' });
    await expect(waitUntilReady({ url, deadline: Date.now() + 5000, intervalMs: 5, accept: statusOf({ id: 'n1', pid: 42 }) })).resolves.toEqual({ id: 'n1', pid: 42, bootId: 'b' });
  });

  it('fails at the deadline saying what the last probe got', async () => {
    const url = await statusServer(0, { id: 'n2', pid: 7, bootId: 'b' });
    await expect(waitUntilReady({ url, deadline: Date.now() + 150, intervalMs: 5, accept: statusOf({ id: 'n1' }) })).rejects.toThrow(
      'not ready: /status answered id n2 pid 7, expected n1',
    );
  });

  it('fails at once when the thing waited for has stopped', async () => {
    const started = Date.now();
    await expect(
      waitUntilReady({ url: 'http://127.0.0.1:9/status', deadline: Date.now() + 10_000, accept: statusOf({ id: 'n1' }), stopped: () => 'exited (code 2)' }),
    ).rejects.toThrow('exited (code 2)');
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
