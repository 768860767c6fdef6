import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { livenessAtStart } from './liveness-at-start.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-liveness-at-start-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Polls with no leader (n3 campaigning) from 0 to `to`. */
function leaderless(h: HistoryBuilder, from: number, to: number): HistoryBuilder {
  for (let t = from; t < to; t += 50) {
    h.poll('n1', { term: 4, leader: null }, t).poll('n2', { term: 4, leader: null }, t).poll('n3', { term: 4, state: 'candidate', leader: null }, t);
  }
  return h.at(to);
}

describe('liveness-at-start', () => {
  it('valid: a settled leader 600 ms after the cluster is up (bound: recoveryMs, 2700 ms for 150-300)', () => {
    const h = leaderless(new HistoryBuilder(nodes).start(), 0, 600);
    h.steady(600, 2000, { term: 5, leader: 'n2' }).end(2000);
    const r = livenessAtStart.check(h.entries, h.ctx());
    expect(judgement(r)).toBe('ok');
    expect(r.message).toBe('A settled leader, n2 in term 5, 600 ms after the cluster was up (bound 2700 ms).');
  });

  it('invalid: no leader for the whole bound with no fault in force, naming the window and every node\'s role and term', () => {
    const h = leaderless(new HistoryBuilder(nodes).start(), 0, 4000).end(4000);
    const r = livenessAtStart.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toBe('No leader elected from 0 ms to 4000 ms (4000 ms, bound 2700 ms) with no fault in force; last seen: n1: follower in term 4; n2: follower in term 4; n3: candidate in term 4.');
    expect(r.witnesses.map((w) => w.type === 'poll' && w.node)).toEqual(['n1', 'n2', 'n3']);
  });

  it('invalid: a leader that settles only after the bound', () => {
    const h = leaderless(new HistoryBuilder(nodes).start(), 0, 3000);
    h.steady(3000, 3500, { term: 5, leader: 'n1' }).end(3500);
    const r = livenessAtStart.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/^No leader for 3000 ms after the cluster was up at 0 ms with no fault in force \(bound 2700 ms\): n1 settled in term 5 only then\.$/);
    expect(r.witnesses.length).toBeGreaterThan(0);
  });

  it('a fault the nemesis could not apply (no leader to aim at) does not end the window; an applied one does', () => {
    const h = leaderless(new HistoryBuilder(nodes).start(), 0, 2000);
    h.fault({ id: 'f1', kind: 'partition', label: 'partition not applied: no leader', notApplied: true }, 2000);
    leaderless(h, 2000, 4000).heal('f1', 4000).end(4000);
    expect(livenessAtStart.check(h.entries, h.ctx()).verdict).toBe('invalid');

    const k = leaderless(new HistoryBuilder(nodes).start(), 0, 1000);
    k.fault({ id: 'f1', kind: 'kill', targets: ['n3'], down: ['n3'] }, 1000);
    leaderless(k, 1000, 4000).heal('f1', 4000).end(4000);
    const r = livenessAtStart.check(k.entries, k.ctx());
    expect(judgement(r)).toBe('not judged');
    expect(r.message).toBe('Not judged: the first fault (kill n3) began 1000 ms after the cluster was up, before a leader or the bound (2700 ms).');
  });

  it('measures from the warmup phase: a staggered start is up once its last node is', () => {
    const h = new HistoryBuilder(nodes);
    h.push({ type: 'run-start', runId: 't', scenario: 't', seed: 1, runtime: 'sim', nodes, config: h.ctx().config, replay: '' }, 0);
    h.phase('setup', 0);
    leaderless(h, 0, 3000).phase('warmup', 3000);
    h.steady(3000, 3200, { term: 1, leader: 'n1' }).end(3200);
    const r = livenessAtStart.check(h.entries, h.ctx());
    expect(judgement(r)).toBe('ok');
    expect(r.details).toMatchObject({ fromMs: 3000, ms: 0 });
  });

  it('a leader settled before the cluster was up counts at once, even when the first fault follows before the next poll', () => {
    const h = new HistoryBuilder(nodes);
    h.push({ type: 'run-start', runId: 't', scenario: 't', seed: 1, runtime: 'sim', nodes, config: h.ctx().config, replay: '' }, 0);
    h.phase('setup', 0).steady(1500, 3000, { term: 1, leader: 'n1', only: ['n1', 'n2'] });
    h.phase('warmup', 3000).fault({ id: 'f1', kind: 'kill', targets: ['n1'], down: ['n1'] }, 3000).end(4000);
    const r = livenessAtStart.check(h.entries, h.ctx());
    expect(judgement(r), r.message).toBe('ok');
    expect(r.details).toMatchObject({ fromMs: 3000, ms: 0, leader: 'n1' });
  });

  it('vacuous-pass guard: a run that never got to warmup is not judged', () => {
    const h = new HistoryBuilder(nodes);
    h.push({ type: 'run-start', runId: 't', scenario: 't', seed: 1, runtime: 'sim', nodes, config: h.ctx().config, replay: '' }, 0);
    h.phase('setup', 0).end(100);
    expect(judgement(livenessAtStart.check(h.entries, h.ctx()))).toBe('not judged');
  });

  it('--bug refuse-all-votes: invalid in simulation (baseline, seed 1); the correct node: ok', async () => {
    const run = (bugs: string[]) => runScenario(findScenario('baseline')!, { runtime: 'sim', seed: 1, bugs, reportDir: dir, writeReport: false, writeHistory: false });
    const bad = (await run(['refuse-all-votes'])).results.find((x) => x.name === 'liveness-at-start')!;
    expect(bad.verdict).toBe('invalid');
    expect(bad.message).toMatch(/^No leader elected from [\d.]+ ms to [\d.]+ ms \([\d.]+ ms, bound 2700 ms\) with no fault in force; last seen: n1: \S+ in term \d+/);
    const good = (await run([])).results.find((x) => x.name === 'liveness-at-start')!;
    expect(judgement(good)).toBe('ok');
  });
});
