import { Agent, createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LinkProxies } from './link-proxies.js';
import { ToxiproxyPartitioner } from './partitioner.js';
import { openToxiproxy, type ToxiproxyEndpoint } from './toxiproxy-endpoint.js';
import { startToxiproxyServer } from '../toxiproxy/index.js';
import { Toxiproxy } from 'toxiproxy-node-client';

/**
 * Real sockets through the embedded Toxiproxy. Each "node" is a tiny HTTP server that answers
 * `POST /msg` with its own name and counts what it received; node X sends to Y through proxy X→Y.
 */
const NODES = ['a', 'b', 'c'] as const;

interface EchoNode {
  name: string;
  server: Server;
  port: number;
  received: string[];
}

async function echoNode(name: string): Promise<EchoNode> {
  const node: EchoNode = { name, server: createServer(), port: 0, received: [] };
  node.server.on('request', (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      node.received.push(body);
      res.end(name);
    });
  });
  await new Promise<void>((r) => node.server.listen(0, '127.0.0.1', () => r()));
  node.port = (node.server.address() as { port: number }).port;
  return node;
}

/**
 * One request from `from` to its peer at `port` on a fresh keep-alive connection (as the nodes'
 * RPC client holds them), within `timeoutMs`: `reply:<name>`, `timeout` or the error code.
 */
function send(port: number, from: string, timeoutMs = 400): Promise<string> {
  const agent = new Agent({ keepAlive: true });
  return new Promise<string>((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/msg', method: 'POST', agent }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(`reply:${body}`));
      res.on('error', () => resolve('error'));
    });
    const timer = setTimeout(() => req.destroy(new Error('timeout')), timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.message === 'timeout' ? 'timeout' : (e.code ?? e.message)));
    req.on('close', () => clearTimeout(timer));
    req.end(from);
  }).finally(() => agent.destroy());
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

describe('link proxies and the partitioner on the embedded Toxiproxy', () => {
  let endpoint: ToxiproxyEndpoint | undefined;
  const nodes: EchoNode[] = [];

  afterEach(async () => {
    await endpoint?.close();
    await Promise.all(nodes.splice(0).map((n) => new Promise((r) => n.server.close(r))));
  });

  async function setup() {
    endpoint = await openToxiproxy();
    for (const name of NODES) nodes.push(await echoNode(name));
    const portOf = new Map(nodes.map((n) => [n.name, n.port]));
    const links = await LinkProxies.create({
      client: endpoint.client, runId: 'ptest', nodes: NODES, upstreamOf: (n) => `127.0.0.1:${portOf.get(n)}`,
    });
    const partitioner = new ToxiproxyPartitioner(
      { nodes: NODES, proxyName: (f, t) => links.get(f, t).name }, endpoint.client, { mayReset: true },
    );
    const via = (from: string, to: string) => send(links.get(from, to).listen.port, from);
    const received = (name: string) => nodes.find((n) => n.name === name)!.received;
    return { links, partitioner, via, received };
  }

  it('creates one listening proxy per directed link and names peers through them', async () => {
    const { links, via } = await setup();
    expect(links.all()).toHaveLength(6);
    expect(new Set(links.all().map((p) => p.listen.port)).size).toBe(6);
    expect(links.get('a', 'b').name).toBe('ptest-a-to-b');
    expect(links.peersFlag('a')).toBe(
      `b=127.0.0.1:${links.get('a', 'b').listen.port},c=127.0.0.1:${links.get('a', 'c').listen.port}`,
    );
    expect(await via('a', 'b')).toBe('reply:b');
    expect(await via('c', 'a')).toBe('reply:a');
  });

  it('a cut X→Y stops X reaching Y and drops X replies to Y, and only that', async () => {
    const { partitioner, via, received } = await setup();
    await partitioner.applyCuts([['a', 'b']]);
    expect(await via('a', 'b')).toBe('ECONNREFUSED'); // proxy a→b disabled
    const before = received('a').length;
    expect(await via('b', 'a')).toBe('timeout'); // b's request reaches a, a's reply is dropped
    expect(received('a').length).toBe(before + 1);
    expect(await via('a', 'c')).toBe('reply:c');
    expect(await via('c', 'b')).toBe('reply:b');
    expect(partitioner.activeCuts()).toEqual([['a', 'b']]);

    await partitioner.healCuts([['a', 'b']]);
    expect(await via('a', 'b')).toBe('reply:b');
    expect(await via('b', 'a')).toBe('reply:a');
    expect(partitioner.activeCuts()).toEqual([]);
  });

  it('counts overlapping cuts: a link heals only when its last cut heals', async () => {
    const { partitioner, via } = await setup();
    await partitioner.applyCuts([['a', 'b'], ['b', 'a']]);
    await partitioner.applyCuts([['a', 'b']]);
    await partitioner.healCuts([['a', 'b'], ['b', 'a']]);
    expect(partitioner.activeCuts()).toEqual([['a', 'b']]);
    expect(await via('a', 'b')).toBe('ECONNREFUSED'); // a→b is still cut once
    expect(await via('b', 'a')).toBe('timeout'); // so a's replies to b are still dropped
    await partitioner.healCuts([['a', 'b']]);
    expect(await via('b', 'a')).toBe('reply:a');
    expect(await via('a', 'b')).toBe('reply:b');
    await expect(partitioner.applyCuts([['a', 'zz']])).rejects.toThrow(/unknown node zz/);
  });

  it('link toxics slow messages one way; removal and healAll restore the links', async () => {
    const { partitioner, via } = await setup();
    const t0 = performance.now();
    expect(await via('a', 'b')).toBe('reply:b');
    const baseline = performance.now() - t0;

    const slow = await partitioner.applyLinkToxic([['a', 'b']], { type: 'latency', latencyMs: 150, jitterMs: 0 });
    const t1 = performance.now();
    // a's request to b is held 150 ms; b's reply is not (that is the b→a direction).
    expect(await via('a', 'b')).toBe('reply:b');
    expect(performance.now() - t1).toBeGreaterThanOrEqual(140);
    await partitioner.removeLinkToxic(slow);
    await partitioner.removeLinkToxic(slow); // idempotent

    await partitioner.applyLinkToxic([['c', 'a']], { type: 'timeout' });
    await partitioner.applyCuts([['b', 'c']]);
    expect(await via('c', 'a')).toBe('timeout');
    await partitioner.healAll();
    const t2 = performance.now();
    expect(await via('c', 'a')).toBe('reply:a');
    expect(await via('b', 'c')).toBe('reply:c');
    expect(performance.now() - t2).toBeLessThan(baseline + 300);
  });

  it('targeted healAll (external server) and removeAll leave nothing listening', async () => {
    const { links } = await setup();
    const partitioner = new ToxiproxyPartitioner(
      { nodes: NODES, proxyName: (f, t) => links.get(f, t).name }, endpoint!.client, { mayReset: false },
    );
    await partitioner.applyCuts([['a', 'c']]);
    await partitioner.applyLinkToxic([['b', 'c']], { type: 'bandwidth', rateKBps: 1 });
    await partitioner.healAll();
    expect(await send(links.get('a', 'c').listen.port, 'a')).toBe('reply:c');
    expect(await send(links.get('b', 'c').listen.port, 'b')).toBe('reply:c');
    const ports = links.all().map((p) => p.listen.port);
    await links.removeAll();
    await links.removeAll(); // idempotent
    expect(Object.keys(await endpoint!.client.getAll())).toEqual([]);
    for (const port of ports) expect(await isListening(port)).toBe(false);
  });

  it('updates proxies with PATCH, never the deprecated POST (which Toxiproxy 2.12 logs on every call)', async () => {
    const warnings: string[] = [];
    await using server = await startToxiproxyServer({ host: '127.0.0.1', port: 0, onWarning: (m) => warnings.push(m) });
    const client = new Toxiproxy(server.url);
    for (const name of NODES) nodes.push(await echoNode(name));
    const portOf = new Map(nodes.map((n) => [n.name, n.port]));
    const links = await LinkProxies.create({ client, runId: 'patch', nodes: NODES, upstreamOf: (n) => `127.0.0.1:${portOf.get(n)}` });
    const partitioner = new ToxiproxyPartitioner({ nodes: NODES, proxyName: (f, t) => links.get(f, t).name }, client, { mayReset: false });
    await partitioner.applyCuts([['a', 'b']]);
    const slow = await partitioner.applyLinkToxic([['b', 'c']], { type: 'latency', latencyMs: 5 });
    await partitioner.healCuts([['a', 'b']]);
    await partitioner.removeLinkToxic(slow);
    await partitioner.applyCuts([['c', 'a']]);
    await partitioner.healAll();
    await links.setUpstream('b', `127.0.0.1:${portOf.get('c')}`);
    expect(await send(links.get('a', 'b').listen.port, 'a')).toBe('reply:c'); // moved, still enabled
    expect(warnings).toEqual([]);
    await links.removeAll();
  });
});
