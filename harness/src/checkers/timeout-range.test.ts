import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { campaignsToJudgeRedraw, timeoutRange } from './timeout-range.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-timeout-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('timeout-range', () => {
  it('valid: timeouts at both ends of 150-300 ms', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 150 }, 10);
    h.event('n2', 'become-follower', 1, { leader: 'n1', reason: 'higher-term', electionTimeoutMs: 300 }, 12).end(100);
    const r = timeoutRange.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/All 2 election timeouts drawn lay in 150-300 ms/);
  });

  it('invalid: a timeout past the maximum, with its event as witness', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-pre-candidate', 0, { reason: 'election-timeout', electionTimeoutMs: 200 }, 10);
    h.event('n3', 'become-follower', 0, { leader: null, reason: 'pre-vote-lost', electionTimeoutMs: 412 }, 30).end(100);
    const r = timeoutRange.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/1 election timeout\(s\) outside 150-300 ms: n3 drew 412 ms \(become-follower, term 0, at 30 ms\)/);
    expect(r.witnesses).toHaveLength(1);
  });

  it('a node that keeps the timeout of its role change before at every campaign is invalid (§5.2: each election restarts a randomized timeout); by chance once or a few times is not', () => {
    // Each round: a Pre-Vote round drawing `pre`, then the campaign drawing `cand`.
    const rounds = (pairs: Array<[number, number]>) => {
      const h = new HistoryBuilder(nodes).start();
      pairs.forEach(([pre, cand], i) => {
        h.event('n1', 'become-pre-candidate', i, { reason: 'election-timeout', electionTimeoutMs: pre }, 100 + 400 * i);
        h.event('n1', 'become-candidate', i + 1, { reason: 'pre-vote-won', electionTimeoutMs: cand }, 105 + 400 * i);
      });
      return h.end(2000);
    };
    expect(campaignsToJudgeRedraw(150)).toBe(4);
    expect(campaignsToJudgeRedraw(10)).toBe(7);
    expect(campaignsToJudgeRedraw(0)).toBe(Infinity);
    const kept = rounds([[200, 200], [171, 171], [288, 288], [163, 163]]);
    const r = timeoutRange.check(kept.entries, kept.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/not drawn anew .* kept by n1 at all 4 of its campaigns \(the last drew 163 ms\)/);
    expect(r.witnesses).toHaveLength(2);
    // Fewer campaigns than it takes (3 of 4), or one fresh draw among them: valid.
    expect(timeoutRange.check(rounds([[200, 200], [171, 171], [288, 288]]).entries, kept.ctx()).verdict).toBe('valid');
    expect(timeoutRange.check(rounds([[200, 200], [171, 171], [288, 251], [163, 163]]).entries, kept.ctx()).verdict).toBe('valid');
    // A node restarted again and again replays its boot's draws (its random source starts from
    // its seed each boot): a chance repeat in the first boot, replayed in five boots, is one.
    const replays = new HistoryBuilder(nodes).start();
    for (let boot = 0; boot < 5; boot++) {
      if (boot > 0) replays.restart('n1');
      replays.event('n1', 'become-pre-candidate', boot, { reason: 'election-timeout', electionTimeoutMs: 203 }, 1000 * boot + 400);
      replays.event('n1', 'become-candidate', boot + 1, { reason: 'pre-vote-won', electionTimeoutMs: 203 }, 1000 * boot + 405);
    }
    replays.end(6000);
    expect(timeoutRange.check(replays.entries, replays.ctx()).details).toMatchObject({ outOfRange: 0, notRedrawn: [] });
  });

  it('--bug fixed-timeout: the same timeout at every campaign, invalid in simulation (partition-leader, 5 nodes, seed 1)', async () => {
    const r = await runScenario(findScenario('partition-leader')!, { runtime: 'sim', seed: 1, nodes: 5, bugs: ['fixed-timeout'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'timeout-range')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/not drawn anew .* at all \d+ of its campaigns \(the last drew 150 ms\)/);
  });

  it('vacuous-pass guard: no reported timeout is not judged', () => {
    const h = new HistoryBuilder(nodes).start().event('n1', 'become-candidate', 1, { reason: 'x' }, 10).end(100);
    expect(timeoutRange.check(h.entries, h.ctx()).details?.['judged']).toBe(false);
  });

  it('--bug timeout-past-max: invalid in simulation (split-vote, seed 1)', async () => {
    const r = await runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, bugs: ['timeout-past-max'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'timeout-range')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/election timeout\(s\) outside \d+-\d+ ms: n\d drew/);
  });
});
