import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundleNode } from '../../build.js';
import { MAX_TERM } from '../core/index.js';
import { freePorts, getJson, startNodeProcess, waitFor, type NodeProcess } from '../testing/node-process.js';

let work: string;
let bundle: string;
const running: NodeProcess[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'raft-node-int-'));
  bundle = join(work, 'node.mjs');
  await bundleNode(bundle);
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.kill()));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A node whose peers are unreachable ports: it stays at its term, so changes show plainly. */
async function lonelyNode(dataDir: string, extra: string[] = []): Promise<NodeProcess> {
  const [port, p2, p3] = await freePorts(3);
  const node = startNodeProcess(bundle, 'n1', port!, ['--peers', `n2=127.0.0.1:${p2},n3=127.0.0.1:${p3}`, '--data-dir', dataDir, '--seed', '1', ...extra]);
  running.push(node);
  await waitFor('status', 5000, async () => (await getJson(port!, '/status')) ?? undefined);
  return node;
}

const post = (port: number, path: string, body: string) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('HTTP transport', () => {
  it('GET /events?since=N&wait=MS answers when an event comes (long poll), after MS with none, and refuses a bad wait', async () => {
    const n = await lonelyNode(join(work, 'long-poll'), ['--no-pre-vote', '--election-timeout', '150-200']);
    for (const bad of ['-1', 'x', '1.5', '60001', '9999999']) {
      const r = await fetch(`http://127.0.0.1:${n.port}/events?since=0&wait=${bad}`);
      expect(r.status, bad).toBe(400);
      expect(((await r.json()) as { error: string }).error).toMatch(/"wait"/);
    }
    // A node without peers campaigns every 150-200 ms: the poll past its last event returns with the next one.
    const first = await getJson(n.port, '/events?since=0');
    const t0 = performance.now();
    const next = await getJson(n.port, `/events?since=${first.next}&wait=5000`);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(next.events.length).toBeGreaterThan(0);
    expect(next.events[0].seq).toBe(first.next + 1);
    // Nothing after a seq far ahead: an empty page once the wait is over.
    const t1 = performance.now();
    const none = await getJson(n.port, '/events?since=1000000000&wait=150');
    expect(performance.now() - t1).toBeGreaterThanOrEqual(140);
    expect(none.events).toEqual([]);
  });

  it('rejects bad bodies with 400/413 and a reason, and changes no state', async () => {
    const dir = join(work, 'bad-bodies');
    const n = await lonelyNode(dir);
    const before = await getJson(n.port, '/status');
    const bad: [string, string, number][] = [
      ['/raft/request-vote', '{"term":', 400],
      ['/raft/request-vote', '[]', 400],
      ['/raft/request-vote', '{"term":7,"candidateId":"n2","lastLogIndex":0}', 400],
      ['/raft/request-vote', '{"term":-7,"candidateId":"n2","lastLogIndex":0,"lastLogTerm":0}', 400],
      ['/raft/request-vote', '{"term":7.5,"candidateId":"n2","lastLogIndex":0,"lastLogTerm":0}', 400],
      ['/raft/request-vote', '{"term":1e300,"candidateId":"n2","lastLogIndex":0,"lastLogTerm":0}', 400],
      ['/raft/request-vote', '{"term":"7","candidateId":"n2","lastLogIndex":0,"lastLogTerm":0}', 400],
      ['/raft/request-vote', '{"term":7,"candidateId":"no spaces","lastLogIndex":0,"lastLogTerm":0}', 400],
      ['/raft/request-vote', '{"term":7,"candidateId":"n2","lastLogIndex":0,"lastLogTerm":0,"x":1}', 400],
      ['/raft/pre-vote', '{"term":7}', 400],
      ['/raft/append-entries', '{"term":7,"leaderId":"n2","prevLogIndex":0,"prevLogTerm":0,"entries":"no","leaderCommit":0}', 400],
      ['/raft/append-entries', '{"term":7,"leaderId":"n2","prevLogIndex":0,"prevLogTerm":0,"entries":[{"index":5,"term":1}],"leaderCommit":0}', 400],
      ['/raft/request-vote', JSON.stringify({ term: 7, candidateId: 'n2', lastLogIndex: 0, lastLogTerm: 0, pad: 'x'.repeat(70_000) }), 413],
      // Senders outside the fixed cluster, or the node itself.
      ['/raft/append-entries', '{"term":7,"leaderId":"n9","prevLogIndex":0,"prevLogTerm":0,"entries":[],"leaderCommit":0}', 400],
      ['/raft/append-entries', '{"term":7,"leaderId":"n1","prevLogIndex":0,"prevLogTerm":0,"entries":[],"leaderCommit":0}', 400],
      ['/raft/request-vote', '{"term":7,"candidateId":"n9","lastLogIndex":0,"lastLogTerm":0}', 400],
      ['/raft/pre-vote', '{"term":7,"candidateId":"n1","lastLogIndex":0,"lastLogTerm":0}', 400],
    ];
    for (const [path, body, status] of bad) {
      const r = await post(n.port, path, body);
      expect(r.status, `${path} ${body.slice(0, 80)}`).toBe(status);
      expect(typeof ((await r.json()) as { error: string }).error).toBe('string');
    }
    const after = await getJson(n.port, '/status');
    expect({ term: after.term, votedFor: after.votedFor, leader: after.leader }).toEqual({
      term: before.term,
      votedFor: before.votedFor,
      leader: before.leader,
    });
    expect((await getJson(n.port, '/events')).events.filter((e: { kind: string }) => e.kind === 'vote' || e.kind === 'term')).toEqual([]);
  });

  it('durable state survives kill -9 and the restarted node keeps its term and vote', async () => {
    const dir = join(work, 'kill9');
    const n = await lonelyNode(dir);
    const r = await post(n.port, '/raft/request-vote', JSON.stringify({ term: 7, candidateId: 'n2', lastLogIndex: 0, lastLogTerm: 0 }));
    expect(await r.json()).toEqual({ term: 7, voteGranted: true });
    await n.kill('SIGKILL');
    expect(JSON.parse(readFileSync(join(dir, 'raft-state.json'), 'utf8'))).toMatchObject({ term: 7, votedFor: 'n2' });
    const again = await lonelyNode(dir);
    const s = await getJson(again.port, '/status');
    expect(s).toMatchObject({ term: 7, votedFor: 'n2' });
    const events = await getJson(again.port, '/events?since=0');
    expect(events.events[0]).toMatchObject({ seq: 1, kind: 'start', stateTerm: 7, stateVotedFor: 'n2' });
    const second = await post(again.port, '/raft/request-vote', JSON.stringify({ term: 7, candidateId: 'n3', lastLogIndex: 0, lastLogTerm: 0 }));
    expect(await second.json()).toEqual({ term: 7, voteGranted: false });
  });

  it('a corrupt state file stops the node with a message naming the file and a non-zero exit', async () => {
    const dir = join(work, 'corrupt');
    const n0 = await lonelyNode(dir);
    await n0.kill();
    writeFileSync(join(dir, 'raft-state.json'), '{"version":1,"term":');
    const [port] = await freePorts(1);
    const n = startNodeProcess(bundle, 'n1', port!, ['--data-dir', dir]);
    running.push(n);
    const code = await n.exited;
    expect(code).toBe(1);
    expect(n.stderr()).toContain(join(dir, 'raft-state.json'));
    expect(n.stderr()).toMatch(/corrupt/);
  });

  it('a core that asks for a tick at or before the one just ticked (--bug stuck-election-timer) exits 1 naming the node and the input', async () => {
    const [port, p2, p3] = await freePorts(3);
    const args = ['--peers', `n2=127.0.0.1:${p2},n3=127.0.0.1:${p3}`, '--data-dir', join(work, 'stuck'), '--no-pre-vote', '--election-timeout', '150-200'];
    const n = startNodeProcess(bundle, 'n1', port!, [...args, '--bug', 'stuck-election-timer']);
    running.push(n);
    // Alone, it campaigns at 150-200 ms; its timer fires again as a candidate 150-200 ms later.
    const code = await Promise.race([n.exited, new Promise<string>((r) => setTimeout(() => r('still running after 5 s'), 5000))]);
    expect(code).toBe(1);
    expect(n.stderr()).toMatch(/raft-chaos node n1: CoreFailure: core n1 asks for a tick at [\d.]+ after ticking at [\d.]+: its timer would fire again at once, forever/);
  });

  it('bad configuration exits 2 naming the option; SIGTERM and SIGHUP exit 0', async () => {
    const [port] = await freePorts(1);
    const bad = startNodeProcess(bundle, 'n1', port!, ['--data-dir', join(work, 'cfg'), '--election-timeout', '300-150']);
    running.push(bad);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--election-timeout');
    const good = await lonelyNode(join(work, 'sigterm'), ['--bug', 'vote-twice']);
    expect((await getJson(good.port, '/status')).bugs).toEqual(['vote-twice']);
    expect(good.stdout()).toContain('DELIBERATE BUGS ON');
    good.child.kill('SIGTERM');
    expect(await good.exited).toBe(0);
    const hup = await lonelyNode(join(work, 'sighup'));
    hup.child.kill('SIGHUP');
    expect(await hup.exited).toBe(0);
    expect(hup.stdout()).toContain('"signal":"SIGHUP"');
  });

  // util-linux `script` gives the node a terminal for stdout, as a person running it has.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('logs readable lines on a terminal and JSON lines when stdout is a pipe', async () => {
    const cmd = `timeout -s TERM 3 ${process.execPath} ${bundle} --id n1 --port 0 --data-dir ${join(work, 'tty')}`;
    const tty = spawnSync('script', ['-qfec', cmd, '/dev/null'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 20_000 });
    const text = tty.stdout.replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/INFO.*node n1 listening on 127\.0\.0\.1:\d+/);
    expect(text).toMatch(/INFO.*shutting down/);
    expect(text).not.toMatch(/^\{"level"/m);
    const piped = lonelyNode(join(work, 'piped'));
    const n = await piped;
    expect(n.stdout().split('\n')[0]).toMatch(/^\{"level":30,/);
  });

  // Issue 16: a node whose term cannot grow any more (an older node accepted 2^53-1) must not
  // campaign into a term it cannot store, nor write a state file it then refuses to start from.
  it.each([
    ['one below the bound: campaigns once, to the bound, then stops', MAX_TERM - 1, MAX_TERM],
    ['past the bound (written by an older node): never campaigns', Number.MAX_SAFE_INTEGER - 1, Number.MAX_SAFE_INTEGER - 1],
  ])('a node at a term %s; it logs an error, and starts again after kill -9', async (_what, start, end) => {
    const dir = join(work, `edge-${start}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'raft-state.json'), JSON.stringify({ version: 1, term: start, votedFor: null }) + '\n');
    const n = await lonelyNode(dir, ['--no-pre-vote', '--election-timeout', '50-60', '--heartbeat-interval', '20']);
    await waitFor('term-exhausted', 5000, async () => ((await getJson(n.port, '/events')).events.some((e: { kind: string }) => e.kind === 'term-exhausted') ? true : undefined));
    await new Promise((r) => setTimeout(r, 400)); // several more election timeouts
    const events = (await getJson(n.port, '/events')).events as { kind: string; term: number }[];
    expect(events.filter((e) => e.kind === 'become-candidate').map((e) => e.term)).toEqual(start === end ? [] : [end]);
    expect(events.filter((e) => e.kind === 'term-exhausted')).toHaveLength(1);
    expect(await getJson(n.port, '/status')).toMatchObject({ term: end, state: 'follower' });
    const errors = n.stdout().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l)).filter((l) => l.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0].msg).toMatch(/can no longer start an election/);
    await n.kill('SIGKILL');
    expect(JSON.parse(readFileSync(join(dir, 'raft-state.json'), 'utf8')).term).toBe(end);
    const again = await lonelyNode(dir);
    expect(await getJson(again.port, '/status')).toMatchObject({ term: end });
  });
});
