import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { nodeCrash } from './node-crash.js';
import { DISK_FAULT_GRACE_MS, diskFaultGraceMs, persistOrStop } from './persist-or-stop.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-persist-or-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n1 leads term 1, n3 voted for it; n3's disk fails at 300 and works again at 900. */
function diskFailOfN3(): HistoryBuilder {
  const h = new HistoryBuilder(nodes).start();
  h.event('n3', 'vote', 1, { candidate: 'n1', granted: true, preVote: false, requestTerm: 1 }, 10);
  h.steady(20, 300, { term: 1, leader: 'n1' });
  h.fault({ id: 'f1', kind: 'disk-fail', targets: ['n3'] }, 300);
  h.push({ type: 'note', level: 'info', message: 'disk of n3 refuses (full)', data: { disk: 'fail', node: 'n3', how: 'full' } }, 300);
  return h;
}

function healN3(h: HistoryBuilder, t: number): HistoryBuilder {
  h.push({ type: 'note', level: 'info', message: 'disk of n3 works again', data: { disk: 'heal', node: 'n3' } }, t);
  return h.heal('f1', t + 5);
}

describe('persist-or-stop', () => {
  it('valid: the node whose disk fails keeps its term and vote, or stops (and node-crash expects that exit)', () => {
    const h = diskFailOfN3();
    h.steady(300, 500, { term: 1, leader: 'n1', only: ['n1', 'n2', 'n3'] });
    // It re-grants the vote it already made durable (no write needed), then stops at the first save that fails.
    h.event('n3', 'vote', 1, { candidate: 'n1', granted: true, preVote: false, requestTerm: 1 }, 510);
    h.event('n3', 'vote', 1, { candidate: 'n2', granted: true, preVote: true, requestTerm: 2 }, 520);
    h.push({ type: 'process', node: 'n3', action: 'exit', code: 1, signal: null, detail: 'crashed on request-vote request from n2: StorageError: cannot write state file' }, 600);
    healN3(h, 900).process('n3', 'start', 960);
    h.event('n3', 'become-follower', 2, {}, 1500).end(2000);
    const r = persistOrStop.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/In 1 span\(s\)/);
    const c = nodeCrash.check(h.entries, h.ctx());
    expect(c.verdict).toBe('valid');
    expect(c.details?.['diskExits']).toBe(1);
  });

  it('node-crash excuses only a storage failure\'s exit under a disk fault: a core failure, or an exit without a word, is still invalid', () => {
    for (const [detail, verdict] of [
      ['crashed on request-vote request from n2: StorageError: cannot write state file', 'valid'],
      ['could not start: StorageError: state file is empty', 'valid'],
      ['raft-chaos node n3: StorageError: cannot write state file (EIO)', 'valid'],
      ['crashed on tick at 600: CoreFailure: core n3 threw on tick at 600: Error: boom', 'invalid'],
      ['raft-chaos node n3: CoreFailure: core n3 asks for a tick at 600 after ticking at 600', 'invalid'],
      [undefined, 'invalid'],
    ] as const) {
      const h = diskFailOfN3();
      h.push({ type: 'process', node: 'n3', action: 'exit', code: 1, signal: null, ...(detail !== undefined ? { detail } : {}) }, 600);
      healN3(h, 900).end(1000);
      const c = nodeCrash.check(h.entries, h.ctx());
      expect(c.verdict, String(detail)).toBe(verdict);
      expect(c.details?.['diskExits']).toBe(verdict === 'valid' ? 1 : 0);
    }
  });

  it('invalid: a newer term or a new vote shown while the disk refuses writes, in an event or a poll, with witnesses', () => {
    const h = diskFailOfN3();
    h.event('n3', 'become-candidate', 2, { reason: 'election-timeout' }, 450);
    healN3(h, 900).end(1000);
    const r = persistOrStop.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 showed term 2 at 450 ms \(event\) while its disk refused writes \(durable: term 1, vote n1\)/);
    expect(r.witnesses.map((e) => e.type)).toEqual(['note', 'node-event']);

    const v = diskFailOfN3();
    v.poll('n3', { term: 1, votedFor: 'n2', leader: null }, 500);
    healN3(v, 900).end(1000);
    const rv = persistOrStop.check(v.entries, v.ctx());
    expect(rv.verdict).toBe('invalid');
    expect(rv.message).toMatch(/a vote for n2 in term 1 at 500 ms \(poll\)/);
  });

  it('a write issued before the disk refused may be logged up to DISK_FAULT_GRACE_MS later: it counts as durable', () => {
    const h = diskFailOfN3();
    h.event('n3', 'become-follower', 2, {}, 300 + DISK_FAULT_GRACE_MS);
    h.poll('n3', { term: 2, leader: null }, 600);
    healN3(h, 900).end(1000);
    expect(persistOrStop.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('the grace grows with --disk sync-delay (each save syncs twice)', () => {
    expect(diskFaultGraceMs('lossy,sync-delay=20')).toBe(DISK_FAULT_GRACE_MS + 40);
    const h = diskFailOfN3();
    h.event('n3', 'become-follower', 2, {}, 300 + DISK_FAULT_GRACE_MS + 30);
    h.poll('n3', { term: 2, leader: null }, 600);
    healN3(h, 900).end(1000);
    const ctx = h.ctx();
    expect(persistOrStop.check(h.entries, ctx).verdict).toBe('invalid');
    expect(persistOrStop.check(h.entries, { ...ctx, config: { ...ctx.config, disk: 'sync-delay=20' } }).verdict).toBe('valid');
  });

  it('a span counts as judged only when it outlasts the grace and the node was seen in it after the grace, or exited in it', () => {
    // Nothing of n3 after the grace (its polls stop at the fault): nothing was judged.
    const quiet = diskFailOfN3();
    quiet.steady(300, 900, { term: 1, leader: 'n1', only: ['n1', 'n2'] });
    healN3(quiet, 900).end(1000);
    const q = persistOrStop.check(quiet.entries, quiet.ctx());
    expect(judgement(q)).toBe('not judged');
    expect(q.details).toMatchObject({ windows: 1 });
    // A span shorter than the grace: nothing in it can be held to the rule.
    const short = diskFailOfN3();
    healN3(short, 300 + DISK_FAULT_GRACE_MS - 10).end(1000);
    expect(judgement(persistOrStop.check(short.entries, short.ctx()))).toBe('not judged');
    // An exit in the span (within the grace, too) is the node stopping: judged, valid.
    const stopped = diskFailOfN3();
    stopped.push({ type: 'process', node: 'n3', action: 'exit', code: 1, signal: null, detail: 'crashed on tick at 350: StorageError: no space' }, 350);
    healN3(stopped, 900).end(1000);
    const r = persistOrStop.check(stopped.entries, stopped.ctx());
    expect(judgement(r)).toBe('ok');
    expect(r.details).toMatchObject({ judged: 1 });
  });

  it('what comes after the heal note is not judged; an exit with no disk fault stays a crash', () => {
    const h = diskFailOfN3();
    healN3(h, 900);
    h.event('n3', 'become-candidate', 2, {}, 901).end(1000);
    expect(persistOrStop.check(h.entries, h.ctx()).verdict).toBe('valid');
    const c = new HistoryBuilder(nodes).start().steady(0, 200, { term: 1, leader: 'n1' });
    c.push({ type: 'process', node: 'n3', action: 'exit', code: 1, signal: null }, 300).end(400);
    expect(nodeCrash.check(c.entries, c.ctx()).verdict).toBe('invalid');
  });

  it('vacuous-pass guard: no disk fault, or no state seen before it, is not judged', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 300, { term: 1, leader: 'n1' }).end(300);
    expect(persistOrStop.check(h.entries, h.ctx()).details?.['judged']).toBe(false);
    const blind = new HistoryBuilder(nodes).start();
    blind.push({ type: 'note', level: 'info', message: 'disk of n3 refuses (full)', data: { disk: 'fail', node: 'n3', how: 'full' } }, 10).end(500);
    const r = persistOrStop.check(blind.entries, blind.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.['judged']).toBe(false);
  });

  it('on the simulated node: --bug ignore-write-error is invalid, the correct node valid (a follower\'s disk fills up, the leader is isolated)', async () => {
    const file = join(dir, 'disk-fail-follower.json');
    writeFileSync(file, JSON.stringify({
      name: 'disk-fail-follower',
      description: 'A follower\'s disk fills up, then the leader is isolated.',
      nodes: 3,
      steps: [
        { fault: { kind: 'disk-fail', target: 'follower', mode: 'full' }, id: 'd1' },
        { wait: 200 },
        { fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 1500 },
        { heal: 'd1' },
      ],
    }));
    const scenario = await loadScenario(file);
    const run = (bugs: string[]) => runScenario(scenario, { runtime: 'sim', seed: 1, bugs, reportDir: dir, writeReport: false, writeHistory: false });
    const bad = (await run(['ignore-write-error'])).results.find((x) => x.name === 'persist-or-stop')!;
    expect(bad.verdict).toBe('invalid');
    const good = await run([]);
    expect(good.results.find((x) => x.name === 'persist-or-stop')!.message).toMatch(/no node showed a newer term/);
    expect(good.results.find((x) => x.name === 'node-crash')!.verdict).toBe('valid');
  });
});
