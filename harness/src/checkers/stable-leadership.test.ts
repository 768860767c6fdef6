import { describe, expect, it } from 'vitest';
import { stableLeadership } from './stable-leadership.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];

describe('stable-leadership', () => {
  it('valid: one leader throughout, elections during warmup and faults are not counted', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 300, { term: 1, leader: null }).steady(300, 1000, { term: 2, leader: 'n1' });
    h.fault({ id: 'f', kind: 'partition', targets: ['n1'] }, 1000).steady(1000, 2000, { term: 3, leader: 'n2' });
    h.heal('f', 2000).steady(2000, 3000, { term: 3, leader: 'n2' }).end();
    const r = stableLeadership.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ windows: 2, elections: [] });
  });

  it('invalid: an election with no fault active', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.steady(1000, 1100, { term: 2, leader: null }).steady(1100, 2000, { term: 2, leader: 'n2' }).end();
    const r = stableLeadership.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/at 1000 ms n1 reported term 2 while n1 led term 1/);
    expect(r.witnesses.length).toBe(2);
  });

  it('the window after a heal until a leader settles is left out', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' });
    h.fault({ id: 'f', kind: 'partition', targets: ['n1'] }, 500).steady(500, 1000, { term: 1, leader: 'n1' });
    h.heal('f', 1000).steady(1000, 1200, { term: 2, leader: null }).steady(1200, 2000, { term: 2, leader: 'n3' }).end();
    expect(stableLeadership.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('an election the fault set in motion may finish within electionMs of the heal; one later is invalid', () => {
    // electionMs is 850 for the test config: a disruption 200 ms after the heal is the fault's
    // doing (a CheckQuorum round that spanned it, a pre-vote begun during it); one 1500 ms
    // after the heal, with a leader settled and nothing wrong, is not.
    const build = (preVote: boolean, electionAt: number) => {
      const h = new HistoryBuilder(nodes, testConfig({ preVote })).start().steady(0, 500, { term: 1, leader: 'n1' });
      h.fault({ id: 'f', kind: 'partition', targets: ['n3'] }, 500).steady(500, 1000, { term: 1, leader: 'n1' });
      h.heal('f', 1000).steady(1000, electionAt, { term: 1, leader: 'n1' }).steady(electionAt, 4000, { term: 5, leader: 'n2' });
      return h.end();
    };
    for (const preVote of [true, false]) {
      const early = build(preVote, 1200);
      expect(stableLeadership.check(early.entries, early.ctx()).verdict).toBe('valid');
      const late = build(preVote, 2500);
      const r = stableLeadership.check(late.entries, late.ctx());
      expect(r.verdict).toBe('invalid');
      expect(r.message).toMatch(/reported term 5 while n1 led term 1/);
    }
  });

  it('unknown: never a settled leader with no fault active', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 3, leader: null }).end();
    expect(stableLeadership.check(h.entries, h.ctx()).verdict).toBe('unknown');
  });
});
