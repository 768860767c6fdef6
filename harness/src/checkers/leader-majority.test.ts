import { describe, expect, it } from 'vitest';
import type { Cut } from '../history/types.js';
import { leaderMajority } from './leader-majority.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const isolate = (n: string): Cut[] => nodes.filter((p) => p !== n).flatMap((p): Cut[] => [[n, p], [p, n]]);

describe('leader-majority', () => {
  it('valid: leaders elected with a majority reachable; a candidacy begun before the cut may still win', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-candidate', 1, {}, 90).event('n1', 'become-leader', 1, {}, 100);
    h.event('n2', 'become-candidate', 2, {}, 995);
    h.fault({ id: 'f1', kind: 'partition', targets: ['n2'], cuts: isolate('n2') }, 1000);
    h.event('n2', 'become-leader', 2, {}, 1005).end(2000);
    const r = leaderMajority.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ leaderships: 2 });
  });

  it('invalid: an isolated node becomes leader, even with CheckQuorum off (majority-half)', () => {
    const h = new HistoryBuilder(nodes, testConfig({ checkQuorum: false })).start();
    h.event('n1', 'become-leader', 1, {}, 100);
    h.fault({ id: 'f1', kind: 'partition', targets: ['n3'], cuts: isolate('n3') }, 1000);
    h.event('n3', 'become-candidate', 2, {}, 1100).event('n3', 'become-leader', 2, {}, 1100).end(2000);
    const r = leaderMajority.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    // Its four links are certainly cut 40 ms after the fault's entry (written before they change).
    expect(r.message).toMatch(/n3 became leader of term 2 at 1100 ms, cut off from a majority since 1040 ms/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('a fault is recorded before its links change: a candidacy while they are being cut may win (seed 1, schedule 299 of --explore-config --triggers)', () => {
    // The trigger isolated n2 3 ms after its pre-campaign; n2 became candidate 10.1 ms after the
    // fault's entry, when its link to n3 could still be open, and won with n3's vote.
    const run = (candidateAt: number) => {
      const h = new HistoryBuilder(nodes).start();
      h.event('n1', 'become-leader', 3, {}, 6000);
      h.fault({ id: 'o5', kind: 'partition', targets: ['n1'], cuts: isolate('n1') }, 7107.9);
      h.event('n2', 'become-pre-candidate', 3, {}, 7299.8);
      h.fault({ id: 'f3', kind: 'partition', targets: ['n2'], cuts: isolate('n2') }, 7302.8);
      h.event('n2', 'become-candidate', 4, {}, candidateAt);
      h.event('n3', 'vote', 4, { candidate: 'n2', granted: true, preVote: false }, candidateAt + 14.4);
      h.event('n2', 'become-leader', 4, {}, candidateAt + 15.5).end(9000);
      return leaderMajority.check(h.entries, h.ctx());
    };
    const misjudged = run(7312.9);
    expect(misjudged.verdict, misjudged.message).toBe('valid');
    // The same leadership asked for once every link of the isolation was certainly cut is not.
    const late = run(7302.8 + 40 + 10.1);
    expect(late.verdict).toBe('invalid');
    expect(late.message).toMatch(/n2 became leader of term 4 at 7352\.9 ms, cut off from a majority since 7342\.8 ms/);
  });

  it('links-applied: cuts count from when the last link changed, not a per-link allowance (schedule-558 shape)', () => {
    // The runner writes `links-applied` once the partitioner has changed every link of the
    // fault. A leader that won across a link not yet cut (its candidacy before that entry) is
    // valid even long after the old 10 ms-a-link allowance; one that asked after it is not.
    const run = (candidateAt: number, appliedAt: number) => {
      const h = new HistoryBuilder(nodes).start();
      h.event('n1', 'become-leader', 3, {}, 6000);
      h.fault({ id: 'f3', kind: 'partition', targets: ['n2'], cuts: isolate('n2') }, 7300);
      h.push({ type: 'links-applied', id: 'f3', phase: 'start', links: 4 }, appliedAt);
      h.event('n2', 'become-candidate', 4, {}, candidateAt);
      h.event('n3', 'vote', 4, { candidate: 'n2', granted: true, preVote: false }, candidateAt + 14);
      h.event('n2', 'become-leader', 4, {}, candidateAt + 15).end(9000);
      return leaderMajority.check([...h.entries].sort((a, b) => a.t - b.t), h.ctx());
    };
    // The partitioner took 120 ms (a loaded machine): a candidacy 60 ms in may still cross a link.
    const slowApply = run(7360, 7420);
    expect(slowApply.verdict, slowApply.message).toBe('valid');
    // Elected after the last link was cut: invalid, cut off since the entry, not since 7340.
    const after = run(7440, 7420);
    expect(after.verdict).toBe('invalid');
    expect(after.message).toMatch(/n2 became leader of term 4 at 7440 ms, cut off from a majority since 7420 ms/);
    // A quick partitioner (8 ms): cut off from its entry on, sooner than the 40 ms allowance would say.
    const quick = run(7330, 7308);
    expect(quick.verdict).toBe('invalid');
    expect(quick.message).toMatch(/cut off from a majority since 7308 ms/);
  });

  it('without events, judged by polls: leader after a poll taken a window into the cut', () => {
    const h = new HistoryBuilder(nodes).start();
    h.fault({ id: 'f1', kind: 'partition', targets: ['n3'], cuts: isolate('n3') }, 1000);
    h.poll('n3', { term: 1, leader: null }, 1200).poll('n3', { term: 2, state: 'leader' }, 1250).end(2000);
    expect(leaderMajority.check(h.entries, h.ctx()).verdict).toBe('invalid');
    const early = new HistoryBuilder(nodes).start();
    early.fault({ id: 'f1', kind: 'partition', targets: ['n3'], cuts: isolate('n3') }, 1000);
    early.poll('n3', { term: 1, leader: null }, 990).poll('n3', { term: 2, state: 'leader' }, 1040).end(2000);
    expect(leaderMajority.check(early.entries, early.ctx()).verdict).toBe('valid');
  });

  it('a killed node is down: the last one up cannot win alone (a kill fault without process entries)', () => {
    const h = new HistoryBuilder(nodes).start();
    h.fault({ id: 'f1', kind: 'kill', targets: ['n1', 'n2'] }, 1000);
    h.event('n3', 'become-candidate', 2, {}, 1200).event('n3', 'become-leader', 2, {}, 1200).end(2000);
    expect(leaderMajority.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });

  it('a node started again well after a leadership seen without it does not explain that leadership (course-majority, 2 of 4)', () => {
    const four = ['n1', 'n2', 'n3', 'n4'];
    const cutN1: Cut[] = four.filter((p) => p !== 'n1').flatMap((p): Cut[] => [['n1', p], [p, 'n1']]);
    const run = (startAt: number) => {
      const h = new HistoryBuilder(four).start();
      h.fault({ id: 'o1', kind: 'partition', targets: ['n1'], cuts: cutN1 }, 500);
      h.fault({ id: 'f1', kind: 'stop', targets: ['n3'], down: ['n3'] }, 800).process('n3', 'stop', 800);
      h.poll('n2', { term: 4, state: 'candidate' }, 1450).poll('n2', { term: 5, state: 'leader' }, 1500);
      h.process('n3', 'start', startAt).heal('f1', startAt + 300).heal('o1', startAt + 400);
      h.poll('n2', { term: 5, state: 'leader' }, startAt + 500).end(startAt + 600);
      return leaderMajority.check(h.entries, h.ctx());
    };
    const late = run(1700);
    expect(late.verdict, late.message).toBe('invalid');
    expect(late.message).toMatch(/n2 became leader of term 5/);
    // Started 50 ms after the leadership was seen: it may have been up in time to vote.
    expect(run(1550).verdict).toBe('valid');
  });

  it('vacuous-pass guard: no leader seen is unknown', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: null }).end(1000);
    const r = leaderMajority.check(h.entries, h.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.message).toMatch(/Not judged/);
  });
});
