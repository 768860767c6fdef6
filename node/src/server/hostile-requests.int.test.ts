import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_TERM } from '../core/index.js';
import { agreedLeader, getJson, startLocalCluster, waitFor, type LocalCluster, type NodeProcess } from '../testing/node-process.js';

// Issue 16: requests a careful attacker (or a broken peer) can send to a live cluster. Each
// must be refused without moving the leader, the term or the vote.

let cluster: LocalCluster;
let work: string;
let nodes: ReadonlyMap<string, NodeProcess> = new Map();
const ids = ['n1', 'n2', 'n3'];
let ports: Readonly<Record<string, number>> = {};

/** One leader that every node follows in the same term, or undefined. */
const agreed = () => agreedLeader(ports, ids);

/** Every node's term, vote and state. */
async function snapshot() {
  return Promise.all(ids.map(async (id) => {
    const s = await getJson(ports[id]!, '/status');
    return { id, term: s.term, votedFor: s.votedFor, state: s.state };
  }));
}

const post = (port: number, path: string, body: unknown, headers: Record<string, string>) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body: JSON.stringify(body), headers });

beforeAll(async () => {
  cluster = await startLocalCluster('raft-hostile-', 7);
  ({ work, nodes, ports } = cluster);
});
afterAll(() => cluster.close());

describe('hostile requests against a live three-node cluster', () => {
  it('a browser-style vote request (text/plain, foreign Origin or cross-site) gets 403/415 and the leader does not step down', async () => {
    const { leader, term } = await waitFor('agreed leader', 10_000, agreed);
    const before = await snapshot();
    const from = ids.find((id) => id !== leader)!;
    const vote = { term: term + 1, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 };
    const attempts: [Record<string, string>, number][] = [
      // What a page on another site can send with fetch(..., {mode: 'no-cors'}) or a form.
      [{ 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, 403],
      [{ 'content-type': 'text/plain' }, 415],
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 415],
      [{ 'content-type': 'application/json', origin: 'https://evil.example' }, 403],
      [{ 'content-type': 'application/json', 'sec-fetch-site': 'same-site' }, 403],
    ];
    for (const [headers, status] of attempts) {
      for (const path of ['/raft/request-vote', '/raft/pre-vote']) {
        const r = await post(ports[leader]!, path, vote, headers);
        expect(r.status, `${path} ${JSON.stringify(headers)}`).toBe(status);
        expect(((await r.json()) as { error: string }).error).toMatch(/browsers|application\/json/);
      }
    }
    const hb = { term: term + 1, leaderId: from, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 };
    expect((await post(ports[leader]!, '/raft/append-entries', hb, { 'content-type': 'text/plain', origin: 'https://evil.example' })).status).toBe(403);
    // GET stays readable from anywhere (a dashboard may poll it).
    const status = await fetch(`http://127.0.0.1:${ports[leader]}/status`, { headers: { origin: 'https://evil.example' } });
    expect(status.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(await snapshot()).toEqual(before);
    expect(await agreed()).toEqual({ leader, term });
    const events = await getJson(ports[leader]!, '/events');
    expect(events.events.filter((e: { kind: string; candidate?: string; term: number }) => e.kind === 'step-down' || (e.kind === 'vote' && e.candidate === from && e.term > term))).toEqual([]);
  });

  it('a vote request at term 2^53-1 from a real peer gets 400, changes no term, logs a warning naming the sender; the cluster still works', async () => {
    const { leader, term } = await waitFor('agreed leader', 10_000, agreed);
    const from = ids.find((id) => id !== leader)!;
    const target = ids.find((id) => id !== leader && id !== from)!;
    for (const t of [Number.MAX_SAFE_INTEGER, MAX_TERM + 1]) {
      for (const path of ['/raft/request-vote', '/raft/pre-vote']) {
        const r = await post(ports[target]!, path, { term: t, candidateId: from, lastLogIndex: 0, lastLogTerm: 0 }, { 'content-type': 'application/json' });
        expect(r.status, `${path} ${t}`).toBe(400);
        expect(((await r.json()) as { error: string }).error).toContain(`above the term bound ${MAX_TERM}`);
      }
    }
    const hb = { term: Number.MAX_SAFE_INTEGER, leaderId: from, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 };
    expect((await post(ports[target]!, '/raft/append-entries', hb, { 'content-type': 'application/json' })).status).toBe(400);
    const warnings = nodes
      .get(target)!
      .stdout()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((l) => l.level === 40 && l.from === from);
    expect(warnings.length).toBe(5);
    expect(warnings[0].msg).toMatch(new RegExp(`refused /raft/request-vote from ${from} .*term ${Number.MAX_SAFE_INTEGER} is above the term bound`));
    // Nothing moved, and the state file holds the old term.
    await new Promise((r) => setTimeout(r, 300));
    expect(await agreed()).toEqual({ leader, term });
    expect(JSON.parse(readFileSync(join(work, target, 'raft-state.json'), 'utf8')).term).toBe(term);
    // The cluster can still elect: kill the leader, a new one comes up in a higher term.
    await nodes.get(leader)!.kill('SIGKILL');
    const rest = ids.filter((id) => id !== leader);
    const next = await waitFor('new leader', 10_000, async () => {
      const st = await Promise.all(rest.map((id) => getJson(ports[id]!, '/status')));
      const l = st.find((s) => s?.state === 'leader');
      return l && st.every((s) => s?.leader === l.id && s.term === l.term) ? { leader: l.id as string, term: l.term as number } : undefined;
    });
    expect(next.term).toBeGreaterThan(term);
  });

  it('GET / lists the endpoints', async () => {
    const id = ids.find((i) => nodes.get(i)!.child.exitCode === null && nodes.get(i)!.child.signalCode === null)!;
    const r = await fetch(`http://127.0.0.1:${ports[id]}/`);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toBe('application/json');
    const doc = (await r.json()) as { id: string; endpoints: { method: string; path: string }[] };
    expect(doc.id).toBe(id);
    expect(doc.endpoints.map((e) => `${e.method} ${e.path}`)).toEqual([
      'GET /',
      'GET /status',
      'GET /events?since=N',
      'POST /raft/request-vote',
      'POST /raft/pre-vote',
      'POST /raft/append-entries',
    ]);
  });
});
