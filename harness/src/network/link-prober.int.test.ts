import { createServer, request, type Server } from 'node:http';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterEach, describe, expect, it } from 'vitest';
import { faultsInForce } from '../checkers/faults-in-force.js';
import { testConfig } from '../checkers/testing/history-builder.js';
import type { FaultProbeEntry, HistoryEntry } from '../history/types.js';
import { startToxiproxyServer, type ToxiproxyServer } from '../toxiproxy/index.js';
import { LinkProxies } from './link-proxies.js';
import type { FaultProbe } from './link-prober.js';
import { createPartitioner, type Partitioner } from './partitioner.js';

/**
 * Probes through real proxies of the embedded Toxiproxy, to three tiny HTTP "nodes" that answer
 * every request (as a node answers `GET /status`). The partitioner records what its prober saw;
 * the faults-in-force check judges it.
 */
const NODES = ['a', 'b', 'c'] as const;
const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function httpNode(id: string): Promise<{ server: Server; port: number }> {
  const server = createServer((_req, res) => res.end(JSON.stringify({ id, state: 'follower' })));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => server.close(r)));
  return { server, port: (server.address() as { port: number }).port };
}

/**
 * A Toxiproxy that lies, as etcd's proxy black hole and Toxiproxy #148 did in effect: it answers
 * every change with success but passes only reads and proxy creation on to the real server, so
 * disables and toxics never happen.
 */
async function lyingToxiproxy(realUrl: string): Promise<string> {
  const real = new URL(realUrl);
  const server = createServer((req, res) => {
    const change = (req.method === 'PATCH' || req.method === 'POST' || req.method === 'DELETE') && /^\/proxies\/[^/]+/.test(req.url ?? '');
    if (change || req.url === '/reset') {
      req.resume();
      res.writeHead(req.method === 'DELETE' || req.url === '/reset' ? 204 : 200, { 'content-type': 'application/json' });
      res.end(req.method === 'DELETE' || req.url === '/reset' ? undefined : '{"name":"x","type":"timeout","stream":"downstream","toxicity":1,"attributes":{}}');
      return;
    }
    const upstream = request({ host: real.hostname, port: real.port, path: req.url, method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  closers.push(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}

interface Setup {
  partitioner: Partitioner;
  links: LinkProxies;
  ports: Map<string, number>;
  /** Closes a node's server (as if it were killed). */
  stopNode(name: string): Promise<void>;
  recorded: FaultProbe[];
  history(faults: HistoryEntry[]): HistoryEntry[];
}

async function setup(options: { lying?: boolean } = {}): Promise<Setup> {
  const server: ToxiproxyServer = await startToxiproxyServer({ host: '127.0.0.1', port: 0 });
  closers.push(() => server.close());
  const ports = new Map<string, number>();
  const servers = new Map<string, Server>();
  for (const n of NODES) {
    const node = await httpNode(n);
    ports.set(n, node.port);
    servers.set(n, node.server);
  }
  const stopNode = async (n: string) => {
    const server = servers.get(n)!;
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  };
  const links = await LinkProxies.create({ client: new Toxiproxy(server.url), runId: 'probe', nodes: NODES, upstreamOf: (n) => `127.0.0.1:${ports.get(n)}` });
  const url = options.lying ? await lyingToxiproxy(server.url) : server.url;
  const recorded: FaultProbe[] = [];
  const partitioner = createPartitioner(
    { nodes: NODES, toxiproxyUrl: url, proxyName: (f, t) => links.get(f, t).name, statusUrl: (n) => `http://127.0.0.1:${ports.get(n)}`, ownsToxiproxy: true },
    { onProbe: (e) => recorded.push(e) },
  );
  const history = (faults: HistoryEntry[]): HistoryEntry[] => {
    const config = testConfig();
    const start: HistoryEntry = { type: 'run-start', t: 0, wall: 0, runId: 'probe', scenario: 'probe', seed: 1, runtime: 'process', nodes: [...NODES], config, replay: '' };
    const probes = recorded.map((p, i): FaultProbeEntry => ({ ...p, t: 10 + 10 * i, wall: 0 }));
    // Each fault-start goes just before the apply probe of its links.
    const merged: HistoryEntry[] = [start];
    for (const p of probes) {
      const f = faults.find((x) => x.type === 'fault-start' && (p.op === 'apply-cuts' || p.op === 'add-toxic') && JSON.stringify(x.cuts ?? x.links?.map((l) => [l.from, l.to])) === JSON.stringify(p.links));
      if (f) merged.push({ ...f, t: p.t - 1 });
      merged.push(p);
    }
    return merged;
  };
  return { partitioner, recorded, history, stopNode, links, ports };
}

const fault = (id: string, cuts: Array<[string, string]>): HistoryEntry => ({
  type: 'fault-start', t: 0, wall: 0, id, kind: 'one-way', label: `cut ${id}`, targets: [], cuts, leaderBefore: null, removesLeader: false,
});

describe('faults proven in force through the proxies', () => {
  it('a cut is silent both ways round, its heal answers again, and the check says valid', async () => {
    const { partitioner, recorded, history } = await setup();
    await partitioner.applyCuts([['a', 'b']]);
    await partitioner.healCuts([['a', 'b']]);
    await partitioner.healAll();
    const [apply, heal, all] = recorded;
    expect(apply).toMatchObject({ op: 'apply-cuts', links: [['a', 'b']] });
    expect(apply!.probes.map((p) => [p.from, p.to, p.expect, p.result, p.direct, p.seenOpen])).toEqual([
      ['a', 'b', 'blocked', 'refused', 'answered', true], // proxy a→b disabled
      // b's request reaches a; a's reply is dropped (the node then closes, so the proxy does too).
      ['b', 'a', 'blocked', expect.stringMatching(/^(timeout|closed)$/), 'answered', true],
    ]);
    expect(heal!.probes.map((p) => p.result)).toEqual(['answered', 'answered']);
    expect(all).toMatchObject({ op: 'heal-all' });
    expect(all!.probes).toHaveLength(6);
    const r = faultsInForce.check(history([fault('f1', [['a', 'b']])]), { nodes: [...NODES], config: testConfig() });
    expect(r.verdict).toBe('valid');
    // The cost of proof, per operation.
    console.log(`probe cost: cut ${apply!.tookMs} ms, heal ${heal!.tookMs} ms, heal-all (6 proxies) ${all!.tookMs} ms`);
    expect(heal!.tookMs).toBeLessThan(500);
  });

  it('a latency toxic shows in the round trips of both proxies of the link', async () => {
    const { partitioner, recorded } = await setup();
    const slow = await partitioner.applyLinkToxic([['a', 'c']], { type: 'latency', latencyMs: 120, jitterMs: 0 });
    await partitioner.removeLinkToxic(slow);
    await partitioner.settled();
    const [on, off] = recorded;
    expect(on!.probes.map((p) => [p.from, p.to, p.expect, p.minDelayMs, p.result])).toEqual([
      ['a', 'c', 'open', 120, 'answered'],
      ['c', 'a', 'open', 120, 'answered'],
    ]);
    for (const p of on!.probes) expect(p.ms).toBeGreaterThanOrEqual(115);
    for (const p of off!.probes) expect(p.ms).toBeLessThan(115);
  });

  it('a partitioner whose cuts do not cut (a lying Toxiproxy) is called invalid', async () => {
    const { partitioner, recorded, history } = await setup({ lying: true });
    await partitioner.applyCuts([['a', 'b'], ['a', 'c']]);
    await partitioner.healCuts([['a', 'b'], ['a', 'c']]);
    await partitioner.settled();
    expect(recorded[0]!.probes.every((p) => p.expect === 'blocked' && p.result === 'answered')).toBe(true);
    const r = faultsInForce.check(history([fault('f1', [['a', 'b'], ['a', 'c']])]), { nodes: [...NODES], config: testConfig() });
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/fault f1 .*was answered .* although the link was to be cut/);
    expect(r.witnesses.map((w) => w.type)).toEqual(['fault-start', 'fault-probe']);
  });

  it('a node that is down leaves its links unproven (unknown), or skipped once the history says it was killed', async () => {
    const { partitioner, recorded, history, stopNode } = await setup();
    await partitioner.applyCuts([['b', 'c']]);
    await partitioner.healCuts([['b', 'c']]);
    await stopNode('a');
    await partitioner.healAll();
    const all = recorded[2]!;
    const toA = all.probes.filter((p) => p.to === 'a');
    expect(toA.map((p) => [p.expect, p.result, p.direct])).toEqual([
      ['open', 'closed', 'failed'], // the proxy accepts, cannot reach a, closes
      ['open', 'closed', 'failed'],
    ]);
    const ctx = { nodes: [...NODES], config: testConfig() };
    const entries = history([fault('f1', [['b', 'c']])]);
    const unknown = faultsInForce.check(entries, ctx);
    expect(unknown.verdict).toBe('unknown');
    expect(unknown.message).toMatch(/a did not answer directly either/);
    const killed: HistoryEntry = { type: 'process', t: entries.at(-1)!.t - 1, wall: 0, node: 'a', action: 'kill' };
    expect(faultsInForce.check([...entries.slice(0, -1), killed, entries.at(-1)!], ctx).verdict).toBe('valid');
  });

  it('a proxy that leads to the wrong node does not count as an open link', async () => {
    const { partitioner, recorded, links, ports } = await setup();
    await links.setUpstream('b', `127.0.0.1:${ports.get('c')}`); // every proxy *→b now reaches c
    await partitioner.applyCuts([['a', 'c']]);
    await partitioner.healCuts([['a', 'c']]);
    await partitioner.healAll();
    const all = recorded.at(-1)!;
    const toB = all.probes.filter((p) => p.to === 'b');
    expect(toB.map((p) => [p.result, p.detail])).toEqual([
      ['error', 'answered as c, not b'],
      ['error', 'answered as c, not b'],
    ]);
    const r = faultsInForce.check([{ type: 'run-start', t: 0, wall: 0, runId: 'x', scenario: 'x', seed: 1, runtime: 'process', nodes: [...NODES], config: testConfig(), replay: '' }, { ...all, t: 1, wall: 0 }], { nodes: [...NODES], config: testConfig() });
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/proxy a→b answered wrongly \(answered as c, not b\)/);
  });
});
