import { describe, expect, it } from 'vitest';
import type { Cut } from '../history/types.js';
import { needlessElection, needlessWindowMs } from './needless-election.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const isolate = (n: string): Cut[] => nodes.filter((p) => p !== n).flatMap((p): Cut[] => [[n, p], [p, n]]);
const window = needlessWindowMs(testConfig());

/** n1 leads term 1 from t=100; n3 is cut off from 1000 to 3000 (`cuts`), then rejoins. */
function rejoin(cuts: Cut[] = isolate('n3')) {
  const h = new HistoryBuilder(nodes).start();
  h.event('n1', 'become-leader', 1, {}, 100).steady(100, 1000, { term: 1, leader: 'n1' });
  h.fault({ id: 'f1', kind: 'partition', targets: ['n3'], cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 1000);
  h.steady(1000, 3000, { term: 1, leader: 'n1', only: ['n1', 'n2'] }).heal('f1', 3000);
  return h;
}

describe('needless-election', () => {
  it('valid: a cut-off follower rejoins and the leader keeps its term', () => {
    const h = rejoin().steady(3000, 5000, { term: 1, leader: 'n1' }).end(5000);
    const r = needlessElection.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect((r.details as { watchedMs: number }).watchedMs).toBeGreaterThan(3000);
  });

  it('invalid: the rejoining node starts a new term while the leader kept its majority (pre-vote-ignores-lease)', () => {
    const h = rejoin();
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 3100).event('n3', 'become-candidate', 2, {}, 3100);
    h.steady(3150, 5000, { term: 2, leader: 'n3' }).end(5000);
    const r = needlessElection.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 started term 2 at 3100 ms while n1 led term 1 with a majority since 0 ms/);
    expect(r.witnesses.map((e) => e.t)).toEqual([100, 3100]);
  });

  it('a new term won only with pre-votes granted outside the voters\' lease (late heartbeats) is not judged; one granted inside it is needless', () => {
    const min = testConfig().electionTimeoutMin;
    const run = (heardAgo: Array<number | null>) => {
      const h = rejoin();
      h.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout' }, 3050);
      heardAgo.forEach((ago, i) => h.event(i === 0 ? 'n2' : 'n1', 'vote', 1, { candidate: 'n3', granted: true, preVote: true, reason: 'granted', role: 'follower', leaderHeardAgoMs: ago }, 3060 + i));
      h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 3100).event('n3', 'become-candidate', 2, {}, 3100);
      h.steady(3150, 5000, { term: 2, leader: 'n3' }).end(5000);
      return needlessElection.check(h.entries, h.ctx());
    };
    for (const ago of [[min], [min + 40, null]]) {
      const r = run(ago);
      expect(r.verdict).toBe('valid');
      expect(r.message).toMatch(/Not judged: 1 new term\(s\) .*n3 started term 2 at 3100 ms.*\(late heartbeats/);
      expect((r.details as { lateHeartbeats: unknown[] }).lateHeartbeats).toHaveLength(1);
    }
    // pre-vote-ignores-lease: a voter that heard the leader 20 ms ago granted it.
    expect(run([20]).verdict).toBe('invalid');
    expect(run([min + 40, min - 1]).verdict).toBe('invalid');
    // The first node seen in term 2 may be a voter that adopted it (recorded a moment before
    // the candidate's own events): the candidate's round still decides.
    const adopted = (ago: number) => {
      const h = rejoin();
      h.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout' }, 3050);
      h.event('n2', 'vote', 1, { candidate: 'n3', granted: true, preVote: true, reason: 'granted', role: 'follower', leaderHeardAgoMs: ago }, 3060);
      h.event('n2', 'term', 2, { from: 1, to: 2, reason: 'higher-term:request-vote' }, 3099);
      h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 3100).event('n3', 'become-candidate', 2, {}, 3100);
      h.steady(3150, 5000, { term: 2, leader: 'n3' }).end(5000);
      return needlessElection.check(h.entries, h.ctx());
    };
    expect(adopted(min).verdict).toBe('valid');
    expect(adopted(20).verdict).toBe('invalid');
    expect(adopted(20).message).toMatch(/n2 started term 2 at 3099 ms/);
    // A candidate with no grant recorded (events lost, or a node that wins alone) is judged.
    const alone = rejoin();
    alone.event('n3', 'become-pre-candidate', 1, {}, 3050).event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 3100).event('n3', 'become-candidate', 2, {}, 3100);
    alone.steady(3150, 5000, { term: 2, leader: 'n3' }).end(5000);
    expect(needlessElection.check(alone.entries, alone.ctx()).verdict).toBe('invalid');
  });

  // A real node stamps whole milliseconds and the harness reads each node's events in its own
  // poll: a grant in the round's first (or the candidacy's last) millisecond can be read before
  // the round's start (or after the candidacy). It still counts; one of another round does not.
  // In simulation stamps are exact: no slack.
  it.each([
    ['process', 3050, 3050, 3100, 'valid'],
    ['process', 3048, 3050, 3100, 'valid'],
    ['process', 3100, 3050, 3100, 'valid'],
    ['process', 3102, 3050, 3100, 'valid'],
    ['process', 3047, 3050, 3100, 'invalid'],
    ['process', 3103, 3050, 3100, 'invalid'],
    ['sim', 3050, 3050, 3100, 'valid'],
    ['sim', 3048, 3050, 3100, 'invalid'],
  ])('on %s, a late-heartbeat grant stamped at %i ms, read out of order, for a round from %i ms to a candidacy at %i ms: %s', (runtime, grantAt, from, to, verdict) => {
    const min = testConfig().electionTimeoutMin;
    const h = rejoin();
    const grant = () => h.event('n2', 'vote', 1, { candidate: 'n3', granted: true, preVote: true, requestTerm: 2, reason: 'granted', role: 'follower', leaderHeardAgoMs: min }, grantAt);
    if (grantAt <= from) grant();
    h.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout' }, from);
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, to).event('n3', 'become-candidate', 2, {}, to);
    if (grantAt > from) grant();
    h.steady(3150, 5000, { term: 2, leader: 'n3' }).end(5000);
    const entries = h.entries.map((e) => (e.type === 'run-start' ? { ...e, runtime } : e)) as typeof h.entries;
    expect(needlessElection.check(entries, h.ctx()).verdict).toBe(verdict);
  });

  it('a new term while the leader was cut off, or within the window after it regained its majority, is not needless', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 1, {}, 100).steady(100, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: isolate('n1'), leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
    h.event('n2', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 1300).event('n2', 'become-leader', 2, {}, 1310);
    // n2 has led term 2 for less than a window when n3 starts term 3.
    h.event('n3', 'term', 3, { from: 2, to: 3, reason: 'campaign' }, 1310 + window - 1).event('n3', 'become-leader', 3, {}, 1310 + window);
    h.heal('f1', 2000).steady(2100, 4000, { term: 3, leader: 'n3' }).end(4000);
    const r = needlessElection.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    // The same start of term 3 one ms later is needless.
    const late = h.entries.map((e) => (e.type === 'node-event' && e.node === 'n3' && e.term === 3 ? { ...e, t: e.t + 1 } : e));
    expect(needlessElection.check(late, h.ctx()).verdict).toBe('invalid');
  });

  it('a slowed link does not count toward a clean majority', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 1, {}, 100);
    const links = ['n2', 'n3'].flatMap((p) => [
      { from: 'n1', to: p, toxic: 'latency', attributes: { latency: 100, jitter: 100 } },
      { from: p, to: 'n1', toxic: 'latency', attributes: { latency: 100, jitter: 100 } },
    ]);
    h.fault({ id: 'f1', kind: 'latency', targets: ['n1'], links }, 0);
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 2000).event('n3', 'become-leader', 2, {}, 2010);
    h.heal('f1', 2500).steady(2500, 4000, { term: 2, leader: 'n3' }).end(4000);
    expect(needlessElection.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('invalid: the leader steps down on its own with a clean majority (CheckQuorum)', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 1, {}, 100).steady(100, 2000, { term: 1, leader: 'n1' });
    h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, 2000).end(3000);
    const r = needlessElection.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 \(leader of term 1\) stepped down at 2000 ms/);
  });

  it('not applicable with Pre-Vote off (details say so); vacuous-pass guard: no leader watched is unknown', () => {
    const off = new HistoryBuilder(nodes, testConfig({ preVote: false })).start().end(100);
    const r = needlessElection.check(off.entries, off.ctx());
    expect(r.message).toMatch(/^Not applicable/);
    expect(r.details).toEqual({ applicable: false });
    const none = new HistoryBuilder(nodes).start().steady(0, 2000, { term: 1, leader: null }).end(2000);
    expect(needlessElection.check(none.entries, none.ctx()).verdict).toBe('unknown');
  });
});
