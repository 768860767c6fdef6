import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { checkQuorum } from './check-quorum.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-check-quorum-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const elected = (h: HistoryBuilder) => h.event('n1', 'start', 0, {}, 0).event('n2', 'start', 0, {}, 0).event('n3', 'start', 0, {}, 0).event('n1', 'become-leader', 1, {}, 100).steady(100, 1000, { term: 1, leader: 'n1' });

describe('check-quorum', () => {
  it('valid: a leader cut off from its majority steps down for check-quorum', () => {
    const h = elected(new HistoryBuilder(nodes).start());
    h.fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: [['n1', 'n2'], ['n2', 'n1'], ['n1', 'n3'], ['n3', 'n1']] }, 1000);
    h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, 1500).heal('f1', 2000).end(3000);
    const r = checkQuorum.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/1 CheckQuorum step-down\(s\), each without a clean majority/);
  });

  it('invalid: a leader with clean links to a majority for a whole window steps down for check-quorum', () => {
    const h = elected(new HistoryBuilder(nodes).start());
    // One follower cut off: the leader keeps n2, a majority with itself.
    h.fault({ id: 'f1', kind: 'partition', targets: ['n3'], cuts: [['n3', 'n1'], ['n1', 'n3'], ['n3', 'n2'], ['n2', 'n3']] }, 1000);
    h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, 1500).steady(1500, 2500, { term: 1, leader: null, only: ['n1', 'n2'] }).heal('f1', 2500).end(3000);
    const r = checkQuorum.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 stepped down for check-quorum in term 1 at 1500 ms though running peers with clean links had made it a majority since 0 ms/);
    expect(r.witnesses).toHaveLength(1);
  });

  it('a fault recorded within one election timeout after the step-down explains it (links change before the entry is written)', () => {
    const h = elected(new HistoryBuilder(nodes).start());
    h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, 1500);
    h.fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: [['n1', 'n2'], ['n2', 'n1'], ['n1', 'n3'], ['n3', 'n1']] }, 1600).heal('f1', 2000).end(3000);
    expect(checkQuorum.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('a leader paused past its window steps down as it resumes: not needless', () => {
    const h = elected(new HistoryBuilder(nodes).start());
    h.fault({ id: 'f1', kind: 'pause', targets: ['n1'], down: ['n1'] }, 1000).process('n1', 'pause', 1000);
    h.process('n1', 'resume', 2000).heal('f1', 2000).event('n1', 'step-down', 1, { reason: 'check-quorum' }, 2000).end(4000);
    expect(checkQuorum.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('invalid with CheckQuorum off: any step-down for check-quorum', () => {
    const h = elected(new HistoryBuilder(nodes, testConfig({ checkQuorum: false })).start());
    h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, 1500).end(2000);
    const r = checkQuorum.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/with CheckQuorum off/);
  });

  it('not judged without a leader', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: null }).end(500);
    expect(checkQuorum.check(h.entries, h.ctx()).details?.['judged']).toBe(false);
  });

  it('--bug check-quorum-ignores-flag: invalid in simulation (partition-leader, CheckQuorum off, seed 1)', async () => {
    const r = await runScenario(findScenario('partition-leader')!, { runtime: 'sim', seed: 1, checkQuorum: false, bugs: ['check-quorum-ignores-flag'], reportDir: dir, writeReport: false, writeHistory: false });
    expect(r.results.find((x) => x.name === 'check-quorum')!.message).toMatch(/with CheckQuorum off/);
    expect(r.verdict).toBe('invalid');
  });

  it('--bug quorum-needs-all-but-one: invalid in simulation (kill-leader, seed 1)', async () => {
    const r = await runScenario(findScenario('kill-leader')!, { runtime: 'sim', seed: 1, bugs: ['quorum-needs-all-but-one'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'check-quorum')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/though running peers with clean links had made it a majority/);
  });
});
