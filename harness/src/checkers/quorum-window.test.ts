import { describe, expect, it } from 'vitest';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';
import { quorumWindow } from './quorum-window.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];

/**
 * n1 leads term 1 from 100 ms (n2 answers at once), steps down at 200 ms for n3's term 2, and
 * leads term 3 from 1000 ms; in that first window (300 ms, bound 350 ms) `answers` answer it;
 * it logs a step-down at `stepDownAt` (or never) and a poll at 1400 ms shows its state.
 */
function releader(answers: string[], stepDownAt: number | null): HistoryBuilder {
  const h = new HistoryBuilder(nodes).start();
  h.event('n1', 'become-leader', 1, {}, 100);
  h.delivery('n1', { id: 1, from: 'n2', rpc: 'append-entries', msg: 'reply', term: 1, requestTerm: 1, nodeTerm: 1, firstWindow: true }, 101);
  h.event('n1', 'step-down', 2, { reason: 'higher-term:request-vote' }, 200);
  h.event('n1', 'become-follower', 2, { leader: null, reason: 'higher-term:request-vote' }, 200);
  h.event('n1', 'become-leader', 3, {}, 1000);
  // A reply to the request of term 1, delivered late: not an answer to this leadership.
  h.delivery('n1', { id: 2, from: 'n3', rpc: 'append-entries', msg: 'reply', term: 3, requestTerm: 1, nodeTerm: 3 }, 1005);
  answers.forEach((from, i) => h.delivery('n1', { id: 10 + i, from, rpc: 'append-entries', msg: 'reply', term: 3, requestTerm: 3, nodeTerm: 3, firstWindow: true }, 1002 + i));
  if (stepDownAt !== null) {
    h.event('n1', 'step-down', 3, { reason: 'check-quorum' }, stepDownAt);
    h.event('n1', 'become-follower', 3, { leader: null, reason: 'check-quorum' }, stepDownAt);
  }
  h.poll('n1', { term: 3, state: stepDownAt === null ? 'leader' : 'follower', leader: stepDownAt === null ? 'n1' : null }, 1400);
  return h.end(1500);
}

describe('quorum-window', () => {
  it('valid: a re-elected leader answered by a majority leads on; one answered by none steps down at its window', () => {
    for (const [answers, stepDownAt] of [[['n2'], null], [[], 1300]] as const) {
      const h = releader([...answers], stepDownAt);
      const r = quorumWindow.check(h.entries, h.ctx());
      expect(judgement(r), r.message).toBe('ok');
    }
    const h = releader([], 1300);
    expect(quorumWindow.check(h.entries, h.ctx()).message).toMatch(/2 leadership\(s\) judged over their first window: 1 answered by a majority, 1 stepped down within 350 ms/);
  });

  it('invalid: a re-elected leader no one answered still leads past its window (old replies do not count)', () => {
    const h = releader([], null);
    const r = quorumWindow.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 \(leader of term 3 from 1000 ms\) was answered in its first window by no peer \(a majority is 2 with itself\) and still claimed leadership 350 ms later/);
    expect(r.witnesses.map((w) => [w.type, w.t])).toEqual([['node-event', 1000], ['poll', 1400]]);
    // Stepping down a heartbeat after the window is within the bound; later is not.
    expect(judgement(quorumWindow.check(releader([], 1340).entries, h.ctx()))).toBe('ok');
    expect(quorumWindow.check(releader([], 1360).entries, h.ctx()).verdict).toBe('invalid');
  });

  it('not applicable without CheckQuorum or delivery records; not judged without first-window records or when the leader went down', () => {
    const off = new HistoryBuilder(nodes, testConfig({ checkQuorum: false })).start().end(100);
    expect(judgement(quorumWindow.check(off.entries, off.ctx()))).toBe('not applicable');
    const plain = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' }).end(500);
    expect(quorumWindow.check(plain.entries, plain.ctx()).message).toMatch(/^Not applicable: the history records no delivered messages/);
    const old = releader([], null);
    const unmarked = old.entries.filter((e) => !(e.type === 'delivery' && e.firstWindow === true));
    expect(judgement(quorumWindow.check(unmarked, old.ctx()))).toBe('not judged');
    const killed = releader([], null);
    killed.process('n1', 'kill', 1100);
    const sorted = killed.entries.slice().sort((a, b) => a.t - b.t);
    expect(quorumWindow.check(sorted, killed.ctx()).verdict).not.toBe('invalid');
  });
});
