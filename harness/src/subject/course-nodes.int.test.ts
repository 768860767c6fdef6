import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freePorts, PlanCluster } from './fixtures/plan-cluster.js';
import { TINY_COURSE_NODE } from './fixtures/tiny-course-node.js';
import { isCommandSubject } from './launch.js';
import { resolveSubject } from './resolve.js';
import type { NormalizedStatus } from './status.js';
import type { CommandSubject } from './types.js';

/**
 * The course chapter's two example nodes (examples/course-node-ts, examples/course-node-py)
 * started three at a time from the subject module's launch plans, wired to each other directly
 * (no proxies, no harness runtime), and read through its status map: one leader, a new one
 * after the leader is killed, and each BUGS switch doing what it says. Then a node that is not
 * in the repository, written to a temp dir, launched the same way.
 */
const REPO = path.resolve(import.meta.dirname, '../../..');
const EXAMPLES = [
  { lang: 'ts', dir: path.join(REPO, 'examples/course-node-ts'), run: 'node server.mjs' },
  { lang: 'py', dir: path.join(REPO, 'examples/course-node-py'), run: 'python3 server.py' },
] as const;

const open: PlanCluster[] = [];
const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function workDir(): string {
  const d = mkdtempSync(path.join(tmpdir(), 'raft-chaos-subject-'));
  dirs.push(d);
  return d;
}

function commandSubject(nameOrFile: string, nodeCommand?: string, cwd?: string): CommandSubject {
  const s = resolveSubject(nameOrFile, { ...(nodeCommand !== undefined ? { nodeCommand } : {}), ...(cwd !== undefined ? { cwd } : {}) });
  if (!isCommandSubject(s)) throw new Error(`${nameOrFile} is not a command subject`);
  return s;
}

async function cluster(subject: CommandSubject, ids: string[], timers = {}): Promise<PlanCluster> {
  const c = new PlanCluster(subject, ids, await freePorts(ids.length), workDir(), timers);
  open.push(c);
  return c;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `ids` every 20 ms until one of them leads and every other follows it in its term;
 * fails if any poll shows two leaders of one term. Returns the leader and its term.
 */
async function settledLeader(c: PlanCluster, ids: readonly string[], timeoutMs = 15_000): Promise<{ leader: string; term: number; polls: number }> {
  const leaders = new Map<number, string>();
  const deadline = Date.now() + timeoutMs;
  let last: Map<string, NormalizedStatus> | undefined;
  for (let polls = 1; Date.now() < deadline; polls++) {
    last = await c.statuses(ids);
    for (const [id, s] of last) {
      if (s.state !== 'leader') continue;
      const other = leaders.get(s.term);
      expect(other === undefined || other === id, `two leaders in term ${s.term}: ${other} and ${id}`).toBe(true);
      leaders.set(s.term, id);
    }
    const now = [...last].filter(([, s]) => s.state === 'leader');
    if (now.length === 1) {
      const [leader, ls] = now[0]!;
      if ([...last].every(([id, s]) => id === leader || (s.state === 'follower' && s.term === ls.term && s.leader === leader))) {
        return { leader, term: ls.term, polls };
      }
    }
    await sleep(20);
  }
  throw new Error(`no settled leader within ${timeoutMs} ms; last statuses ${JSON.stringify(Object.fromEntries(last ?? []))}`);
}

describe.each(EXAMPLES)('course example node ($lang)', ({ lang, dir }) => {
  const subjectFile = path.join(REPO, `examples/subjects/course-node-${lang}.json`);

  it('three nodes elect exactly one leader, elect a new one when it is killed, and the old one rejoins as a follower with its term kept', async () => {
    const c = await cluster(commandSubject(subjectFile), ['n1', 'n2', 'n3']);
    await Promise.all(['n1', 'n2', 'n3'].map((id) => c.start(id)));
    const first = await settledLeader(c, ['n1', 'n2', 'n3']);
    expect(first.term).toBeGreaterThanOrEqual(1);
    const votedFor = await c.status(first.leader);
    expect(votedFor.votedFor).toBe(first.leader);

    await c.kill(first.leader);
    const rest = ['n1', 'n2', 'n3'].filter((id) => id !== first.leader);
    const second = await settledLeader(c, rest);
    expect(second.leader).not.toBe(first.leader);
    expect(second.term).toBeGreaterThan(first.term);

    await c.start(first.leader);
    const back = await c.status(first.leader);
    expect(back.term).toBeGreaterThanOrEqual(first.term); // loaded from DATA_DIR
    const third = await settledLeader(c, ['n1', 'n2', 'n3']);
    expect(third.term).toBeGreaterThanOrEqual(second.term);
  });

  it('stops on the subject\'s stop signal (SIGTERM) with exit code 0', async () => {
    const c = await cluster(commandSubject(subjectFile), ['n1']);
    await c.start('n1');
    expect(await c.stop('n1')).toEqual({ code: 0, signal: null });
  });

  // Term and vote survive a restart in fixed mode; with BUGS=volatile the node forgets both.
  // One node of a three-node cluster whose peers never answer: it stands alone in term after
  // term; restarted with a 5 s timeout, its first status shows what it loaded.
  it.each([
    { mode: 'fixed: a restarted node keeps its term and vote', bugs: '', keeps: true },
    { mode: 'BUGS=volatile: a restarted node forgets its term and vote', bugs: 'BUGS=volatile', keeps: false },
  ])('$mode', async ({ bugs, keeps }) => {
    const run = EXAMPLES.find((e) => e.lang === lang)!.run;
    const c = await cluster(commandSubject(subjectFile, `env ${bugs} DATA_DIR={dataDir} ${run}`.replace('  ', ' '), dir), ['n1', 'n2', 'n3']);
    await c.start('n1');
    await sleep(1000);
    const before = await c.status('n1');
    expect(before.term).toBeGreaterThanOrEqual(1);
    await c.kill('n1');
    await c.start('n1', { electionTimeoutMin: 5000, electionTimeoutMax: 5000 });
    const after = await c.status('n1');
    if (keeps) {
      expect(after.term).toBeGreaterThanOrEqual(before.term);
      expect(after.votedFor).toBe('n1');
    } else {
      expect(after.term).toBe(0);
      expect(after.votedFor).toBe(null);
    }
  });

  // A candidate whose election fails stands again in a new term (fixed); with
  // course-no-retry it stays a candidate of term 1 for good.
  it.each([
    { mode: 'fixed: a lone candidate stands again in new terms', bugs: '', retries: true },
    { mode: 'BUGS=course-no-retry: a lone candidate stays in term 1', bugs: 'BUGS=course-no-retry', retries: false },
  ])('$mode', async ({ bugs, retries }) => {
    const run = EXAMPLES.find((e) => e.lang === lang)!.run;
    const c = await cluster(commandSubject(subjectFile, `env ${bugs} ${run}`.replace('  ', ' '), dir), ['n1', 'n2', 'n3']);
    await c.start('n1');
    await sleep(1500);
    const s = await c.status('n1');
    expect(s.state).toBe('candidate');
    if (retries) expect(s.term).toBeGreaterThanOrEqual(3);
    else expect(s.term).toBe(1);
  });

  // n3 accepts connections and never answers; the RPC deadline is 3 s, ten election timeouts.
  // Votes are counted as they come, so n1 and n2 elect a leader at once; counted after every
  // reply (as the chapter did), each election would wait 3 s for n3, time out first, and stand
  // again, never winning.
  it('a won election is not held up by a peer that never answers', async () => {
    const run = EXAMPLES.find((e) => e.lang === lang)!.run;
    const c = await cluster(commandSubject(subjectFile, `env RPC_TIMEOUT=3000 ${run}`, dir), ['n1', 'n2', 'n3']);
    const sockets: Socket[] = [];
    const silent: Server = createServer((sock) => void sockets.push(sock));
    await new Promise<void>((r) => silent.listen(c.slots.find((sl) => sl.id === 'n3')!.port, '127.0.0.1', r));
    try {
      await Promise.all([c.start('n1'), c.start('n2')]);
      const { leader } = await settledLeader(c, ['n1', 'n2'], 2500);
      expect(['n1', 'n2']).toContain(leader);
    } finally {
      for (const sock of sockets) sock.destroy();
      await new Promise((r) => silent.close(r));
    }
  });

  // Two-node cluster, one node running: a majority of two is two (fixed: never leader); the
  // chapter's formula counts the one peer only, floor(1/2)+1 = 1, so the node leads alone.
  it.each([
    { mode: 'fixed: one node of a two-node cluster never leads alone', bugs: '', leads: false },
    { mode: 'BUGS=course-majority: one node of a two-node cluster leads alone', bugs: 'BUGS=course-majority', leads: true },
  ])('$mode', async ({ bugs, leads }) => {
    const run = EXAMPLES.find((e) => e.lang === lang)!.run;
    const c = await cluster(commandSubject(subjectFile, `env ${bugs} ${run}`.replace('  ', ' '), dir), ['n1', 'n2']);
    await c.start('n1');
    await sleep(1500);
    const s = await c.status('n1');
    expect(s.state).toBe(leads ? 'leader' : 'candidate');
    expect(s.leader).toBe(leads ? 'n1' : null);
  });

  it('refuses an unknown BUGS name and exits 2 with a message naming it', async () => {
    const run = EXAMPLES.find((e) => e.lang === lang)!.run;
    const c = await cluster(commandSubject(subjectFile, `env BUGS=volatle ${run}`, dir), ['n1']);
    const error = await c.start('n1').catch((e: unknown) => e as Error);
    expect(error).toBeInstanceOf(Error);
    expect(error?.message).toMatch(/n1 exited \(code 2\) while starting/);
    expect(c.logs('n1')).toMatch(/BUGS: unknown "volatle" \(known: course-majority, course-no-retry, volatile\)/);
  });
});

describe('a node that is not in the repository', () => {
  it('a tiny course-protocol Python file in a temp dir, started by --subject course --node-command "python3 node.py", elects a leader read through the course status map', async () => {
    const dir = workDir();
    writeFileSync(path.join(dir, 'node.py'), TINY_COURSE_NODE);
    const subject = commandSubject('course', 'python3 node.py', dir);
    const c = await cluster(subject, ['a', 'b', 'c']);
    expect(c.plan('a').env).toMatchObject({ NODE_ID: 'a', HOST: '127.0.0.1', PEERS: `127.0.0.1:${c.slot('b').port},127.0.0.1:${c.slot('c').port}` });
    await Promise.all(['a', 'b', 'c'].map((id) => c.start(id)));
    const { leader, term } = await settledLeader(c, ['a', 'b', 'c']);
    expect(['a', 'b', 'c']).toContain(leader);
    expect(term).toBeGreaterThanOrEqual(1);
    const statuses = await c.statuses(['a', 'b', 'c']);
    for (const [id, s] of statuses) {
      expect(s.id).toBe(id);
      expect(s.votedFor).toBeUndefined(); // the course protocol has no votedFor
    }
  });
});
