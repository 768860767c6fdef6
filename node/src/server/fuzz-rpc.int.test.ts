import fc from 'fast-check';
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TERM } from '../core/index.js';
import { getJson, startLocalCluster, waitFor, type LocalCluster, type NodeProcess } from '../testing/node-process.js';

// Fuzzed RPCs against a live three-node cluster: thousands of requests that must all be
// refused (hostile numbers, wrong shapes, strangers, browsers, wrong content types), after
// which no node moved its term, its vote or its leader, and every node still runs.

const REQUESTS = Number(process.env['FUZZ_REQUESTS'] ?? 3000);
let cluster: LocalCluster;
let nodes: ReadonlyMap<string, NodeProcess> = new Map();
const ids = ['n1', 'n2', 'n3'];
let ports: Readonly<Record<string, number>> = {};

beforeAll(async () => {
  cluster = await startLocalCluster('raft-fuzz-', 3);
  ({ nodes, ports } = cluster);
});
afterAll(() => cluster.close());

/** A raw POST (node:http, so any header and any bytes go out as given). */
function post(port: number, path: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Numbers no count may carry: negative, fractional, or past the exact-integer range. */
const badCount = fc.oneof(
  fc.constantFrom(-1, 0.5, 1e300, 2 ** 53, Number.MAX_SAFE_INTEGER + 2, -(2 ** 60)),
  fc.integer({ min: -1e9, max: -1 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((d) => !Number.isInteger(d)),
);
/** Numbers no term may carry: the above, and whole numbers past the term bound. */
const badTerm = fc.oneof(badCount, fc.integer({ min: MAX_TERM + 1, max: Number.MAX_SAFE_INTEGER }));
const badNumber = (field: string) => (field.toLowerCase().endsWith('term') ? badTerm : badCount);
const term = fc.integer({ min: 0, max: 50 });
const goodId = fc.constantFrom('n1', 'n2', 'n3');
const strangerId = fc.oneof(fc.constantFrom('n9', 'leader', '', ' n2', 'n2\n', '../n2', 'n'.repeat(65)), fc.string());

type Fuzzed = { path: string; body: string; headers: Record<string, string>; why: string };

/** A request to a RPC path that must be refused, and why. */
const fuzzed: fc.Arbitrary<Fuzzed> = fc.oneof(
  // A vote or heartbeat with one hostile number.
  fc.record({ path: fc.constantFrom('/raft/request-vote', '/raft/pre-vote'), field: fc.constantFrom('term', 'lastLogIndex', 'lastLogTerm'), from: goodId, t: term })
    .chain((r) => badNumber(r.field).map((n) => ({ ...r, n })))
    .map(
    ({ path, field, n, from, t }) => ({ path, body: JSON.stringify({ term: t, candidateId: from, lastLogIndex: 0, lastLogTerm: 0, [field]: n }), headers: { 'content-type': 'application/json' }, why: `${field}=${n}` }),
  ),
  fc.record({ field: fc.constantFrom('term', 'prevLogIndex', 'prevLogTerm', 'leaderCommit'), from: goodId, t: term })
    .chain((r) => badNumber(r.field).map((n) => ({ ...r, n })))
    .map(({ field, n, from, t }) => ({
    path: '/raft/append-entries',
    body: JSON.stringify({ term: t, leaderId: from, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0, [field]: n }),
    headers: { 'content-type': 'application/json' },
    why: `${field}=${n}`,
  })),
  // Any JSON value at all (never a whole, valid body: the keys are random).
  fc.record({ path: fc.constantFrom('/raft/request-vote', '/raft/pre-vote', '/raft/append-entries'), v: fc.jsonValue() }).map(({ path, v }) => ({
    path,
    body: JSON.stringify(v),
    headers: { 'content-type': 'application/json' },
    why: 'random JSON',
  })),
  // Bytes that are not JSON.
  fc.record({ path: fc.constantFrom('/raft/request-vote', '/raft/append-entries'), s: fc.string() }).map(({ path, s }) => ({ path, body: `{${s}`, headers: { 'content-type': 'application/json' }, why: 'not JSON' })),
  // A well-formed request from someone who is not a peer (or the node itself).
  fc.record({ from: strangerId, t: term }).map(({ from, t }) => ({
    path: '/raft/request-vote',
    body: JSON.stringify({ term: t + 1000, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }),
    headers: { 'content-type': 'application/json' },
    why: `stranger ${JSON.stringify(from)}`,
  })),
  // A well-formed, winning vote request as a browser would send it.
  fc.record({
    from: goodId,
    t: term,
    type: fc.constantFrom('text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data', ''),
    origin: fc.option(fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1:1'), { nil: undefined }),
  }).map(({ from, t, type, origin }) => ({
    path: '/raft/request-vote',
    body: JSON.stringify({ term: t + 1000, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }),
    headers: { ...(type ? { 'content-type': type } : {}), ...(origin ? { origin } : {}) },
    why: `browser ${type} ${origin ?? ''}`,
  })),
  fc.record({ from: goodId, t: term, site: fc.constantFrom('cross-site', 'same-site') }).map(({ from, t, site }) => ({
    path: '/raft/pre-vote',
    body: JSON.stringify({ term: t + 1000, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }),
    headers: { 'content-type': 'application/json', 'sec-fetch-site': site },
    why: `Sec-Fetch-Site ${site}`,
  })),
);

describe('fuzzed RPCs against a live cluster', () => {
  it(`${REQUESTS} hostile requests are all refused with 4xx, and no node moves its term, vote or leader`, async () => {
    await waitFor('a leader all follow', 10_000, async () => {
      const st = await Promise.all(ids.map((id) => getJson(ports[id]!, '/status')));
      return st.every((s) => s && s.leader !== null && s.leader === st[0].leader && s.term === st[0].term) ? true : undefined;
    });
    const before = await Promise.all(ids.map((id) => getJson(ports[id]!, '/status')));
    const samples = fc.sample(fuzzed, { numRuns: REQUESTS, seed: 16 });
    const statuses = new Map<number, number>();
    const accepted: string[] = [];
    const started = performance.now();
    for (let i = 0; i < samples.length; i++) {
      const f = samples[i]!;
      const target = ids[i % ids.length]!;
      // Same id as the target is "not a peer" too; other good ids are peers.
      const status = await post(ports[target]!, f.path, f.body, f.headers);
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      if (status < 400 || status >= 500) accepted.push(`${status} ${target} ${f.path} ${f.why}: ${f.body.slice(0, 120)}`);
    }
    const ms = performance.now() - started;
    expect(accepted).toEqual([]);
    const after = await Promise.all(ids.map((id) => getJson(ports[id]!, '/status')));
    const view = (s: any) => ({ id: s.id, term: s.term, votedFor: s.votedFor, leader: s.leader, bootId: s.bootId });
    expect(after.map(view)).toEqual(before.map(view));
    for (const n of nodes.values()) expect(n.child.exitCode).toBeNull();
    console.log(`fuzz: ${samples.length} requests in ${Math.round(ms)} ms, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}`);
  }, 300_000);
});
