import { describe, expect, it } from 'vitest';
import { electionSafety, type StaleLeaderSpan } from './election-safety.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('election-safety', () => {
  it('valid: one leader per term across a failover', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' }).steady(500, 1000, { term: 2, leader: 'n2' }).end();
    const r = electionSafety.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.termsWithLeader).toBe(2);
  });

  it('invalid: two leaders in one term from polls, naming the term and both leaders', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 200, { term: 3, leader: 'n1' });
    h.poll('n2', { term: 3, state: 'leader' }, 210).end(300);
    const r = electionSafety.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/term 3 had 2 leaders: n1 .* and n2/);
    expect(r.witnesses.length).toBe(2);
    expect(r.details?.splitTerms).toEqual([3]);
  });

  it('invalid: a second leader seen only in node events', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 200, { term: 4, leader: 'n1' });
    h.event('n3', 'become-leader', 4, {}, 120).end(300);
    const r = electionSafety.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/term 4.*n1.*n3 \(event at 120 ms\)/);
  });

  it('valid: a stale leader in an older term, with its span reported', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 300, { term: 1, leader: 'n1' });
    // n1 is cut off; the others elect n2 in term 2 while n1 still says leader of term 1.
    for (let t = 300; t < 900; t += 50) {
      h.round(t, { term: 2, leader: 'n2', only: ['n2', 'n3', 'n4', 'n5'] });
      h.poll('n1', { term: 1, state: 'leader' }, t);
    }
    h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, 910);
    h.steady(950, 1200, { term: 2, leader: 'n2' }).end();
    const r = electionSafety.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    const spans = r.details?.staleLeaders as StaleLeaderSpan[];
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({ node: 'n1', term: 1, from: 300, to: 910, durationMs: 610, newerTerm: 2, newerLeader: 'n2', ongoing: false });
    expect(r.message).toMatch(/1 stale leader span/);
  });

  it('valid: the same node leading a term again after a restart', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 200, { term: 2, leader: 'n1' });
    h.process('n1', 'kill', 200).restart('n1').poll('n1', { term: 2, state: 'leader' }, 400).end(500);
    expect(electionSafety.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('handles node events written out of time order', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 200, { term: 5, leader: 'n1' });
    h.event('n2', 'become-leader', 5, {}, 50).end(300);
    expect(electionSafety.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });
});
