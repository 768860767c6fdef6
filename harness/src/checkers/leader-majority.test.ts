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
    expect(r.message).toMatch(/n3 became leader of term 2 at 1100 ms, cut off from a majority since 1000 ms/);
    expect(r.witnesses).toHaveLength(2);
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
