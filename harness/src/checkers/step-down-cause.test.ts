import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { stepDownCause } from './step-down-cause.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-step-down-cause-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('step-down-cause', () => {
  it('valid: leaderships end on a higher term or by CheckQuorum; a restart is not judged', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 1, {}, 100);
    h.event('n1', 'term', 2, { from: 1, to: 2, reason: 'higher-term:request-vote' }, 400);
    h.event('n1', 'step-down', 2, { reason: 'higher-term:request-vote' }, 400);
    h.event('n1', 'become-follower', 2, { reason: 'higher-term:request-vote', leader: null }, 400);
    h.event('n2', 'become-leader', 2, {}, 500);
    // On processes the two events of one step-down may map onto the run clock out of order.
    h.event('n2', 'become-follower', 2, { reason: 'check-quorum', leader: null }, 899);
    h.event('n2', 'step-down', 2, { reason: 'check-quorum' }, 900);
    h.event('n3', 'become-leader', 3, {}, 1000).process('n3', 'kill', 1100).restart('n3').event('n3', 'start', 3, {}, 1200);
    h.end(1500);
    const r = stepDownCause.check(h.entries, h.ctx());
    expect(judgement(r)).toBe('ok');
    expect(r.message).toMatch(/^2 leadership\(s\) ended/);
  });

  it('invalid: a leader that steps down in its own term for a vote request of that term', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 4, {}, 100);
    h.event('n1', 'step-down', 4, { reason: 'higher-term:request-vote' }, 300);
    h.event('n1', 'become-follower', 4, { reason: 'higher-term:request-vote', leader: null }, 300).end(600);
    const r = stepDownCause.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1, leader of term 4, stopped leading at 300 ms \(step-down, reason higher-term:request-vote\) still in term 4/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('not judged when no leadership ended', () => {
    const h = new HistoryBuilder(nodes).start().event('n1', 'become-leader', 1, {}, 100).end(600);
    expect(judgement(stepDownCause.check(h.entries, h.ctx()))).toBe('not judged');
  });

  it('--bug yield-to-same-term: invalid in simulation (split-vote, Pre-Vote off, seed 1)', async () => {
    const r = await runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, preVote: false, bugs: ['yield-to-same-term'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'step-down-cause')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/reason higher-term:request-vote\) still in term/);
  });
});
