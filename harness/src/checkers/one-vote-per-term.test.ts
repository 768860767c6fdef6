import { describe, expect, it } from 'vitest';
import { oneVotePerTerm } from './one-vote-per-term.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const vote = (h: HistoryBuilder, node: string, term: number, candidate: string, t: number, extra: Record<string, unknown> = {}) =>
  h.event(node, 'vote', term, { candidate, granted: true, preVote: false, reason: 'ok', ...extra }, t);

describe('one-vote-per-term', () => {
  it('valid: one vote per term, repeated grants to the same candidate, pre-votes and refusals ignored', () => {
    const h = new HistoryBuilder(nodes).start();
    vote(h, 'n1', 2, 'n2', 10);
    vote(h, 'n1', 2, 'n2', 20);
    vote(h, 'n1', 2, 'n3', 30, { preVote: true });
    vote(h, 'n1', 2, 'n3', 40, { granted: false });
    vote(h, 'n1', 3, 'n3', 50);
    h.poll('n1', { term: 3, votedFor: 'n3' }, 60).end(100);
    expect(oneVotePerTerm.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('invalid: two candidates in one term, across a restart (forgotten vote)', () => {
    const h = new HistoryBuilder(nodes).start();
    vote(h, 'n3', 4, 'n1', 10);
    h.process('n3', 'kill', 20).restart('n3');
    vote(h, 'n3', 4, 'n2', 40).end(100);
    const r = oneVotePerTerm.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 voted for n1 and for n2 in term 4/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('a candidate votes for itself: granting another candidate the same term is a double vote', () => {
    // vote-twice: n2 and n3 both stand in term 2 and each grants the other.
    const h = new HistoryBuilder(nodes).start();
    h.event('n2', 'become-candidate', 2, { reason: 'pre-vote-won' }, 10);
    h.event('n3', 'become-candidate', 2, { reason: 'pre-vote-won' }, 11);
    vote(h, 'n3', 2, 'n2', 14, { reason: 'bug:vote-twice' });
    vote(h, 'n2', 2, 'n3', 15).end(100);
    const r = oneVotePerTerm.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 voted for n3 and for n2 in term 2; n2 voted for n2 and for n3 in term 2/);
  });

  it('valid: a candidate that loses and follows the winner of its term keeps its vote for itself', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n2', 'become-candidate', 2, { reason: 'timeout' }, 10);
    h.event('n1', 'become-candidate', 2, { reason: 'timeout' }, 11);
    vote(h, 'n3', 2, 'n1', 14);
    h.event('n2', 'become-follower', 2, { leader: 'n1', reason: 'append-entries' }, 20);
    h.poll('n2', { term: 2, votedFor: 'n2' }, 30).poll('n1', { term: 2, votedFor: 'n1' }, 30).end(100);
    expect(oneVotePerTerm.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('invalid: a poll shows votedFor changing within a term', () => {
    const h = new HistoryBuilder(nodes).start().poll('n2', { term: 7, votedFor: 'n1' }, 10).poll('n2', { term: 7, votedFor: 'n3' }, 20).end(30);
    expect(oneVotePerTerm.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });
});
