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

  it('invalid: a poll shows votedFor changing within a term', () => {
    const h = new HistoryBuilder(nodes).start().poll('n2', { term: 7, votedFor: 'n1' }, 10).poll('n2', { term: 7, votedFor: 'n3' }, 20).end(30);
    expect(oneVotePerTerm.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });
});
