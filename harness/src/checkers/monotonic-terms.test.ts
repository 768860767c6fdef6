import { describe, expect, it } from 'vitest';
import { monotonicTerms } from './monotonic-terms.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];

describe('monotonic-terms', () => {
  it('valid: terms rise, and a restart keeps the term', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' }).steady(500, 1000, { term: 4, leader: 'n2' });
    h.process('n3', 'kill', 1000).restart('n3').event('n3', 'start', 4, { stateTerm: 4, stateVotedFor: 'n2' }, 1200);
    h.steady(1200, 1500, { term: 4, leader: 'n2' }).end();
    const r = monotonicTerms.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.boots).toBe(4);
  });

  it('invalid: a restarted node comes back with a lower term (lost persistence)', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 5, leader: 'n1' });
    h.process('n2', 'kill', 1000).restart('n2').event('n2', 'start', 0, { stateTerm: 0, stateVotedFor: null }, 1200);
    h.poll('n2', { term: 0 }, 1250).end(1300);
    const r = monotonicTerms.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 restarted \(boot n2-boot2\) with term 0 after reaching term 5 before.*lost persistence/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('invalid: a term going back within one process, in polls or in events', () => {
    const polls = new HistoryBuilder(nodes).start().poll('n1', { term: 3 }, 10).poll('n1', { term: 2 }, 20).end(30);
    expect(monotonicTerms.check(polls.entries, polls.ctx()).message).toMatch(/n1 went from term 3 to 2 at 20 ms without restarting/);
    const events = new HistoryBuilder(nodes).start().event('n2', 'term', 6, { from: 5, to: 6 }, 10).event('n2', 'become-follower', 4, {}, 20).end(30);
    expect(monotonicTerms.check(events.entries, events.ctx()).verdict).toBe('invalid');
  });

  it('ignores failed polls', () => {
    const h = new HistoryBuilder(nodes).start().poll('n1', { term: 3 }, 10).pollFail('n1', 'timeout', 20).poll('n1', { term: 3 }, 30).end(40);
    expect(monotonicTerms.check(h.entries, h.ctx()).verdict).toBe('valid');
  });
});
