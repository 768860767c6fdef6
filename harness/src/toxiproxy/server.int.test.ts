// The embedded server as a library: ephemeral port, clean close with no leaked sockets.
import { Toxiproxy } from 'toxiproxy-node-client';
import { describe, expect, it } from 'vitest';
import { dial, portOf, sleep, startEcho, tryConnect } from './conformance/sockets.js';
import { startToxiproxyServer } from './index.js';

/** Counts of open TCP handles in this process. */
function tcpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP')).length;
}

describe('startToxiproxyServer', () => {
  it('starts on an ephemeral port and close() leaves no socket open', async () => {
    const echo = await startEcho();
    await sleep(20);
    const before = tcpHandles();
    const server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const client = new Toxiproxy(server.url);
    const proxies = await Promise.all(
      [1, 2, 3].map((i) => client.createProxy({ name: `leak${i}`, listen: '127.0.0.1:0', upstream: echo.address })),
    );
    await client.get('leak1').then((p) => p.addToxic({ name: 'l', type: 'latency', stream: 'downstream', toxicity: 1, attributes: { latency: 1000, jitter: 0 } }));
    const probes = await Promise.all(proxies.map((p) => dial(portOf(p.listen))));
    for (const probe of probes) probe.socket.write('hi');
    await probes[1]!.waitFor(2);
    expect(tcpHandles()).toBeGreaterThan(before + 6);
    await server.close();
    await server.close(); // idempotent
    await Promise.all(probes.map((p) => p.waitClosed(2000)));
    await echo.close();
    await sleep(50);
    expect(tcpHandles()).toBeLessThanOrEqual(before - 1); // the echo server is gone too
    expect(await tryConnect(server.port)).toBe('ECONNREFUSED');
    for (const p of proxies) expect(await tryConnect(portOf(p.listen))).toBe('ECONNREFUSED');
  });

  it('warns, as the real server logs, when an update uses the deprecated POST; PATCH is silent', async () => {
    const warnings: string[] = [];
    await using server = await startToxiproxyServer({ host: '127.0.0.1', port: 0, onWarning: (m) => warnings.push(m) });
    const call = (method: string, path: string, body: object) =>
      fetch(server.url + path, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await call('POST', '/proxies', { name: 'p', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' })).status).toBe(201);
    expect((await call('POST', '/proxies/p/toxics', { name: 't', type: 'latency' })).status).toBe(200);
    expect((await call('PATCH', '/proxies/p', { enabled: false })).status).toBe(200);
    expect((await call('PATCH', '/proxies/p/toxics/t', { toxicity: 0.5 })).status).toBe(200);
    expect(warnings).toEqual([]);
    expect((await call('POST', '/proxies/p', { enabled: true })).status).toBe(200);
    expect((await call('POST', '/proxies/p/toxics/t', { toxicity: 1 })).status).toBe(200);
    expect(warnings).toEqual([
      'ProxyUpdate: HTTP method POST is deprecated. Use HTTP PATCH instead.',
      'ToxicUpdate: HTTP method POST is deprecated. Use HTTP PATCH instead.',
    ]);
  });

  it('reports a taken port as EnvironmentError', async () => {
    const first = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
    await expect(startToxiproxyServer({ host: '127.0.0.1', port: first.port })).rejects.toMatchObject({
      name: 'EnvironmentError',
    });
    await first.close();
  });

  it('is async-disposable', async () => {
    let port = 0;
    {
      await using server = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
      port = server.port;
    }
    expect(await tryConnect(port)).toBe('ECONNREFUSED');
  });
});
