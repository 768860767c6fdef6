import { describe, expect, it } from 'vitest';
import { leaderHasVotes } from './leader-has-votes.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const vote = (h: HistoryBuilder, node: string, term: number, candidate: string, t: number, extra: Record<string, unknown> = {}) =>
  h.event(node, 'vote', term, { candidate, granted: true, preVote: false, reason: 'granted', ...extra }, t);

describe('leader-has-votes', () => {
  it('valid: the leader holds its own vote and two granted votes of its term out of five', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-candidate', 2, {}, 10);
    vote(h, 'n2', 2, 'n1', 12);
    vote(h, 'n3', 2, 'n1', 13);
    h.event('n1', 'become-leader', 2, {}, 15).end(100);
    const r = leaderHasVotes.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ judged: 1 });
  });

  it('invalid: refusals, pre-votes and votes of another term are no votes (count-any-reply)', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-candidate', 2, {}, 10);
    vote(h, 'n2', 2, 'n1', 12);
    vote(h, 'n3', 2, 'n1', 12, { granted: false, reason: 'already-voted:n4' });
    vote(h, 'n4', 2, 'n1', 12, { preVote: true });
    vote(h, 'n5', 1, 'n1', 12);
    h.event('n1', 'become-leader', 2, {}, 15).end(100);
    const r = leaderHasVotes.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 became leader of term 2 at 15.0 ms with votes from n1, n2 only \(3 needed\)/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('unknown when every election had a missing voter that lost events or was killed on processes; not judged without an election', () => {
    const gap = new HistoryBuilder(nodes).start();
    vote(gap, 'n2', 2, 'n1', 12);
    gap.gap('n3', 4, 9, 14).event('n1', 'become-leader', 2, {}, 15).end(100);
    for (const n of ['n4', 'n5']) gap.event(n, 'start', 0, {}, 1);
    const r = leaderHasVotes.check(gap.entries, gap.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.details).toMatchObject({ judged: 0, notJudged: 1 });
    const none = new HistoryBuilder(nodes).start().end(100);
    const quiet = leaderHasVotes.check(none.entries, none.ctx());
    expect(quiet.verdict).toBe('valid');
    expect(quiet.details).toMatchObject({ judged: false });
  });
});
