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

  it('with Pre-Vote off, one disruption right after a heal is allowed', () => {
    const build = (preVote: boolean) => {
      const h = new HistoryBuilder(nodes, testConfig({ preVote })).start().steady(0, 500, { term: 1, leader: 'n1' });
      h.fault({ id: 'f', kind: 'partition', targets: ['n3'] }, 500).steady(500, 1000, { term: 1, leader: 'n1' });
      h.heal('f', 1000).steady(1000, 1200, { term: 1, leader: 'n1' }).steady(1200, 3000, { term: 5, leader: 'n2' });
      return h.end();
    };
    expect(stableLeadership.check(build(true).entries, build(true).ctx()).verdict).toBe('invalid');
    expect(stableLeadership.check(build(false).entries, build(false).ctx()).verdict).toBe('valid');
  });

  it('unknown: never a settled leader with no fault active', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 3, leader: null }).end();
    expect(stableLeadership.check(h.entries, h.ctx()).verdict).toBe('unknown');
  });
});
