import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { courseSubject } from './course.js';
import { freePorts } from './fixtures/plan-cluster.js';
import { fetchStatus, waitReady } from './probe.js';

/** fetchStatus and waitReady against a local HTTP server that answers what each test says. */
let server: Server | undefined;
afterEach(async () => {
  await new Promise((r) => (server ? server.close(r) : r(undefined)));
  server = undefined;
});

async function serve(answer: (n: number) => { code: number; body: string } | 'hang'): Promise<string> {
  let n = 0;
  server = createServer((req, res) => {
    const a = answer(++n);
    if (a === 'hang') return;
    res.writeHead(a.code, { 'content-type': 'application/json' });
    res.end(a.body);
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

const spec = courseSubject('/tmp').status;

describe('fetchStatus', () => {
  it('reads a status through the map', async () => {
    const url = await serve(() => ({ code: 200, body: '{"id":"a","state":"LEADER","term":2,"leader":"a"}' }));
    expect(await fetchStatus(spec, url)).toEqual({ ok: true, status: { state: 'leader', term: 2, leader: 'a', id: 'a' } });
  });

  it('says what came back, or why nothing did, and never throws', async () => {
    const url = await serve(() => ({ code: 200, body: 'hello' }));
    expect(await fetchStatus(spec, url)).toEqual({ ok: false, error: '/status did not answer JSON; it answered 200 "hello"' });
    const [closed] = await freePorts(1);
    const refused = await fetchStatus(spec, `http://127.0.0.1:${closed}`);
    expect(refused).toEqual({ ok: false, error: expect.stringMatching(/^\/status: connect ECONNREFUSED/) });
  });

  it('gives up on a node that does not answer in time', async () => {
    const url = await serve(() => 'hang');
    expect(await fetchStatus(spec, url, 100)).toEqual({ ok: false, error: expect.stringMatching(/took more than 100 ms/) });
  });
});

describe('waitReady', () => {
  it('waits until the path answers 200', async () => {
    const url = await serve((n) => (n < 3 ? { code: 503, body: '{}' } : { code: 200, body: '{}' }));
    await expect(waitReady({ baseUrl: url, path: '/status', deadline: Date.now() + 5000, intervalMs: 10 })).resolves.toBeUndefined();
  });

  it('fails at the deadline naming the URL and the last answer', async () => {
    const url = await serve(() => ({ code: 500, body: '{}' }));
    await expect(waitReady({ baseUrl: url, path: '/ready', deadline: Date.now() + 200, intervalMs: 10 })).rejects.toThrow(
      new RegExp(`^${url}/ready not ready: answered 500$`),
    );
  });

  it('stops waiting as soon as the process is gone', async () => {
    const [closed] = await freePorts(1);
    await expect(
      waitReady({ baseUrl: `http://127.0.0.1:${closed}`, path: '/status', deadline: Date.now() + 60_000, stopped: () => 'n1 exited (code 1) while starting' }),
    ).rejects.toThrow('n1 exited (code 1) while starting');
  });
});
