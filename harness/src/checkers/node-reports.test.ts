import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { nodeReports } from './node-reports.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-node-reports-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n1 starts, campaigns and wins term 1; n2 and n3 start and follow it. */
function elected(): HistoryBuilder {
  const h = new HistoryBuilder(nodes).start();
  for (const n of nodes) h.event(n, 'start', 0, { stateTerm: 0, stateVotedFor: null }, 0);
  h.event('n1', 'term', 1, { from: 0, to: 1, reason: 'campaign' }, 100);
  h.event('n1', 'become-candidate', 1, { reason: 'election-timeout' }, 100);
  h.event('n2', 'vote', 1, { candidate: 'n1', granted: true, preVote: false, reason: 'granted', requestTerm: 1 }, 102);
  h.event('n1', 'become-leader', 1, {}, 104);
  return h;
}

describe('node-reports', () => {
  it('valid: documented events, real roles, and every polled role logged', () => {
    const h = elected();
    h.poll('n1', { term: 1, state: 'candidate' }, 101);
    h.steady(150, 400, { term: 1, leader: 'n1' }).end(400);
    const r = nodeReports.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ polls: 16, pollsJudgedAgainstEvents: 16 });
  });

  it('invalid: a status role that is not a role, and a state that contradicts the role', () => {
    const h = elected().steady(150, 200, { term: 1, leader: 'n1' });
    h.poll('n2', { term: 1, state: '' as never, role: '' as never, leader: 'n1' }, 200);
    h.poll('n3', { term: 1, state: 'candidate', role: 'pre-candidate', leader: null }, 200).end(300);
    const r = nodeReports.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 at 200 ms: status state "" \(not follower, candidate or leader\); n3 at 200 ms: status role pre-candidate with state candidate/);
  });

  it('invalid: a status answered with a server error (HTTP 5xx); a refused or timed-out poll (a node down or paused) is not a report', () => {
    const run = (outcome: 'error' | 'refused' | 'timeout', error: string) => {
      const h = elected();
      h.steady(150, 400, { term: 1, leader: 'n1' });
      h.push({ type: 'poll', node: 'n2', outcome, latencyMs: 1, error }, 420);
      return nodeReports.check(h.end(500).entries, h.ctx());
    };
    const r = run('error', 'HTTP 500');
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 at 420 ms: answered GET \/status with HTTP 500/);
    expect(run('error', 'ECONNRESET').verdict).toBe('valid');
    expect(run('refused', 'ECONNREFUSED').verdict).toBe('valid');
    expect(run('timeout', 'no answer within 500 ms').verdict).toBe('valid');
  });

  it('invalid: an event of no documented kind or shape', () => {
    const h = elected();
    h.event('n2', 'Stryker was here' as string, 1, {}, 120);
    h.event('n3', 'vote', 1, { candidate: 'n1', granted: 'yes', preVote: false, reason: 'granted' }, 121);
    h.steady(150, 200, { term: 1, leader: 'n1' }).end(300);
    const r = nodeReports.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/unknown kind "Stryker was here".*a vote event whose granted is "yes" \(expected boolean\)/);
  });

  it('invalid: polled leader (or pre-candidate) without logging becoming it; a follower that last became something else', () => {
    const silent = new HistoryBuilder(nodes).start();
    for (const n of nodes) silent.event(n, 'start', 0, { stateTerm: 0, stateVotedFor: null }, 0);
    silent.event('n1', 'become-candidate', 1, { reason: 'election-timeout' }, 100);
    silent.steady(150, 200, { term: 1, leader: 'n1' }).end(300);
    const r = nodeReports.check(silent.entries, silent.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 at 150 ms: polled leader in term 1, but its last role change was to candidate in term 1 at 100 ms/);

    const pre = elected();
    pre.event('n2', 'become-follower', 1, { leader: 'n1', reason: 'higher-term' }, 105);
    pre.poll('n2', { term: 1, state: 'follower', role: 'pre-candidate', leader: 'n1' }, 300).end(400);
    expect(nodeReports.check(pre.entries, pre.ctx()).message).toMatch(/n2 at 300 ms: polled pre-candidate in term 1, but its last role change was to follower/);

    const late = elected();
    late.poll('n1', { term: 1, state: 'follower' }, 300).end(400);
    expect(nodeReports.check(late.entries, late.ctx()).message).toMatch(/polled follower in term 1, but its last role change was to leader/);
  });

  it('a role change a few ms after the poll is within the slack; a boot with an events gap is not judged against its events', () => {
    const h = elected();
    h.poll('n1', { term: 1, state: 'leader' }, 95);
    h.gap('n3', 2, 5, 110).poll('n3', { term: 1, state: 'leader' }, 120).end(200);
    const r = nodeReports.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ polls: 2, pollsJudgedAgainstEvents: 1 });
  });

  it('not applicable to another subject; unknown with no poll', () => {
    const h = elected().end(200);
    const other = { ...h.ctx(), subject: { name: 'course', source: 'builtin', capabilities: { preVote: false, checkQuorum: false, votedFor: true, events: true, durable: true, electionTimeout: true, heartbeatInterval: true, simulated: false } } };
    expect(nodeReports.check(h.entries, other).details?.['applicable']).toBe(false);
    expect(nodeReports.check(h.entries, h.ctx()).verdict).toBe('unknown');
  });

  it('--bug silent-leader: invalid in simulation (kill-leader, seed 1)', async () => {
    const r = await runScenario(findScenario('kill-leader')!, { runtime: 'sim', seed: 1, bugs: ['silent-leader'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'node-reports')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/polled leader in term \d+, but its last role change was to candidate/);
  });

  it('a pre-vote refused for leader-recently-heard must have heard a leader within the lease (the minimum election timeout, 150 ms here)', () => {
    const refusal = (role: string, ago: number | null) => ({ candidate: 'n3', granted: false, preVote: true, reason: 'leader-recently-heard', role, leaderHeardAgoMs: ago, requestTerm: 2 });
    const ok = elected();
    ok.event('n2', 'leader-known', 1, { leader: 'n1' }, 110);
    ok.event('n2', 'vote', 1, refusal('follower', 149.9), 300);
    ok.event('n1', 'vote', 1, refusal('leader', null), 300);
    ok.event('n2', 'vote', 1, { ...refusal('follower', 400), granted: true, reason: 'granted' }, 700);
    ok.steady(310, 400, { term: 1, leader: 'n1' }).end(400);
    expect(nodeReports.check(ok.entries, ok.ctx()).verdict).toBe('valid');
    const bad = elected();
    bad.event('n2', 'leader-known', 1, { leader: 'n1' }, 110);
    bad.event('n2', 'vote', 1, refusal('follower', 150), 300);
    bad.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout' }, 305);
    bad.event('n3', 'vote', 1, { ...refusal('pre-candidate', null), candidate: 'n2' }, 310);
    bad.steady(320, 400, { term: 1, leader: 'n1' }).end(400);
    const r = nodeReports.check(bad.entries, bad.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 at 300 ms: a pre-vote of n3 refused by a follower for leader-recently-heard while it last heard its leader 150 ms ago, at or past the 150 ms lease; n3 at 310 ms: a pre-vote of n2 refused by a pre-candidate for leader-recently-heard while it knew no leader \(leaderHeardAgoMs null\)/);
  });

  it("a pre-vote answer's leaderHeardAgoMs agrees with the leader its events say it knew: none forgotten, none hidden, none heard before it was learned", () => {
    const answer = (candidate: string, role: string, ago: number | null, granted = false) =>
      ({ candidate, granted, preVote: true, reason: granted ? 'granted' : 'leader-recently-heard', role, leaderHeardAgoMs: ago, requestTerm: 3 });
    const h = elected();
    h.event('n2', 'leader-known', 1, { leader: 'n1' }, 110);
    h.event('n3', 'leader-known', 1, { leader: 'n1' }, 110);
    h.event('n1', 'leader-known', 1, { leader: 'n1' }, 104);
    // Consistent: n2 knows n1 and heard it 40 ms ago; n1 leads and says null.
    h.event('n2', 'vote', 1, answer('n3', 'follower', 40), 150);
    h.event('n1', 'vote', 1, answer('n3', 'leader', null), 150);
    // n3 takes term 2 from n2's vote request, so forgets n1 heard 30 ms ago, and still refuses for it.
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'higher-term:request-vote' }, 200);
    h.event('n3', 'become-follower', 2, { leader: null, reason: 'higher-term:request-vote' }, 200);
    h.event('n3', 'vote', 2, answer('n1', 'follower', 30), 201);
    // n2 knows n1 but says it knows none (and grants); n1 leads but says it heard a leader.
    h.event('n2', 'vote', 1, answer('n4', 'follower', null, true), 210);
    h.event('n1', 'vote', 1, answer('n4', 'leader', 12), 210);
    // n2 says it heard n1 500 ms ago, 120 ms after learning of it.
    h.event('n2', 'vote', 1, answer('n4', 'follower', 500, true), 230);
    h.steady(240, 300, { term: 1, leader: 'n1' }).end(300);
    const r = nodeReports.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.details).toMatchObject({ count: 4 });
    const what = (r.details as { violations: { node: string; atMs: number; what: string }[] }).violations.map((v) => `${v.node} ${v.atMs}: ${v.what}`);
    expect(what.sort()).toEqual([
      'n1 210: a pre-vote answer to n4 (refused: leader-recently-heard) by a leader in term 1 says it heard its leader 12 ms ago, though it leads (leaderHeardAgoMs must be null)',
      'n2 210: a pre-vote answer to n4 (granted) by a follower in term 1 says it knew no leader (leaderHeardAgoMs null) while it knew n1 as the leader of its term',
      'n2 230: a pre-vote answer to n4 (granted) by a follower in term 1 says it heard its leader 500 ms ago, before it learned of it (n1, 120 ms before)',
      'n3 201: a pre-vote answer to n1 (refused: leader-recently-heard) by a follower in term 2 says it heard its leader 30 ms ago while it knew no leader of its term (none logged since it became follower in term 2)',
    ]);
    // After it learns the leader of term 2, its answer stands; and a boot with an events gap is not judged.
    const again = elected();
    again.event('n3', 'term', 2, { from: 1, to: 2, reason: 'higher-term:request-vote' }, 200);
    again.event('n3', 'become-follower', 2, { leader: null, reason: 'higher-term:request-vote' }, 200);
    again.event('n3', 'leader-known', 2, { leader: 'n2' }, 200.5);
    again.event('n3', 'vote', 2, answer('n1', 'follower', 0.5), 201);
    again.steady(210, 300, { term: 1, leader: 'n1' }).end(300);
    expect(nodeReports.check(again.entries, again.ctx()).verdict).toBe('valid');
    // A leader learned in a step whose save took long is stamped late: 130 ms past what the
    // events allow is invalid on a plain disk (a loaded host's save: 100 ms), and within the
    // slack under `--disk sync-delay=40` (each save syncs twice: 80 ms more).
    const slow = elected();
    slow.event('n2', 'leader-known', 1, { leader: 'n1' }, 110);
    slow.event('n2', 'vote', 1, answer('n3', 'follower', 40 + 130, true), 150);
    slow.steady(160, 300, { term: 1, leader: 'n1' }).end(300);
    expect(nodeReports.check(slow.entries, slow.ctx()).verdict).toBe('invalid');
    expect(nodeReports.check(slow.entries, { ...slow.ctx(), config: { ...slow.ctx().config, disk: 'sync-delay=40' } }).verdict).toBe('valid');
  });

  it('--bug lease-never-expires: invalid in simulation (kill-leader, seed 1)', async () => {
    const r = await runScenario(findScenario('kill-leader')!, { runtime: 'sim', seed: 1, bugs: ['lease-never-expires'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'node-reports')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/refused by a follower for leader-recently-heard while it last heard its leader [\d.]+ ms ago, at or past the 150 ms lease/);
  });
});
