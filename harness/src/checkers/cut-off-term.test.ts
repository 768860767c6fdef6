import { describe, expect, it } from 'vitest';
import type { Cut } from '../history/types.js';
import { cutOffTerm } from './cut-off-term.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const isolate = (n: string): Cut[] => nodes.filter((p) => p !== n).flatMap((p): Cut[] => [[n, p], [p, n]]);

function isolated() {
  const h = new HistoryBuilder(nodes).start();
  h.event('n1', 'become-leader', 1, {}, 100).steady(100, 1000, { term: 1, leader: 'n1' });
  h.fault({ id: 'f1', kind: 'partition', targets: ['n3'], cuts: isolate('n3') }, 1000);
  return h;
}

describe('cut-off-term', () => {
  it('valid: an isolated node pre-votes again and again and keeps its term', () => {
    const h = isolated();
    for (let t = 1200; t < 3000; t += 200) h.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout' }, t);
    h.heal('f1', 3000).steady(3000, 4000, { term: 1, leader: 'n1' }).end(4000);
    const r = cutOffTerm.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/No cut-off node raised its term/);
  });

  it('invalid: an isolated node raises its term (pre-vote-raises-term)', () => {
    const h = isolated();
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'pre-vote' }, 1300).event('n3', 'term', 3, { from: 2, to: 3, reason: 'pre-vote' }, 1500);
    h.heal('f1', 3000).end(4000);
    const r = cutOffTerm.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    // Certainly cut off once its four links are (40 ms after the entry written before they change).
    expect(r.message).toMatch(/n3 started term 2 at 1300 ms, cut off from a majority since 1040 ms/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('with links-applied, cut off from that entry: before it a term may still be raised across a link, after it not', () => {
    const run = (termAt: number) => {
      const h = isolated();
      h.push({ type: 'links-applied', id: 'f1', phase: 'start', links: 4 }, 1300);
      h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'pre-vote' }, termAt);
      h.heal('f1', 3000).end(4000);
      return cutOffTerm.check([...h.entries].sort((a, b) => a.t - b.t), h.ctx());
    };
    // Past the old 40 ms allowance but before the last link changed: not certainly cut off.
    expect(run(1200).verdict).toBe('valid');
    const late = run(1700);
    expect(late.verdict).toBe('invalid');
    expect(late.message).toMatch(/n3 started term 2 at 1700 ms, cut off from a majority since 1300 ms/);
  });

  it('a term raised just after the cut (its pre-votes came before it), or learned from a reachable peer, is no violation', () => {
    const h = isolated();
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 1050);
    // 5 nodes: n4 and n5 on the minority side with n3 learn term 2 from it later.
    h.end(2000);
    expect(cutOffTerm.check(h.entries, h.ctx()).verdict).toBe('valid');
    const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const g = new HistoryBuilder(five).start();
    const halves: Cut[] = ['n1', 'n2', 'n3'].flatMap((a) => ['n4', 'n5'].flatMap((b): Cut[] => [[a, b], [b, a]]));
    g.event('n4', 'term', 5, { from: 4, to: 5, reason: 'campaign' }, 990).fault({ id: 'f1', kind: 'partition', targets: ['n4', 'n5'], cuts: halves }, 1000);
    g.event('n5', 'term', 5, { from: 4, to: 5, reason: 'higher-term:request-vote' }, 1600).end(2000);
    expect(cutOffTerm.check(g.entries, g.ctx()).verdict).toBe('valid');
  });

  // n1, the leader, can no longer send (one-way cuts): cut off, it still hears n2's campaign.
  it.each([
    [1300, 'valid'],
    [1301, 'invalid'],
  ])("a term the cut-off node adopted, read before the campaigner's own event stamped at %i ms (adopted at 1300 ms): %s", (campaignAt, verdict) => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 1, {}, 100).steady(100, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f1', kind: 'one-way', targets: ['n1'], cuts: [['n1', 'n2'], ['n1', 'n3']] }, 1000);
    h.event('n1', 'term', 2, { from: 1, to: 2, reason: 'higher-term:request-vote' }, 1300);
    h.event('n2', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, campaignAt);
    h.heal('f1', 3000).end(4000);
    expect(cutOffTerm.check(h.entries, h.ctx()).verdict).toBe(verdict);
  });

  it('a term the cut-off node raised and a peer adopted in the same millisecond is still its violation', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-leader', 1, {}, 100).steady(100, 1000, { term: 1, leader: 'n1' });
    // n3 can still send (n1 and n2 cannot reach it): cut off, its campaign reaches n2.
    h.fault({ id: 'f1', kind: 'one-way', targets: ['n3'], cuts: [['n1', 'n3'], ['n2', 'n3']] }, 1000);
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'pre-vote' }, 1300);
    h.event('n2', 'term', 2, { from: 1, to: 2, reason: 'higher-term:request-vote' }, 1300);
    h.heal('f1', 3000).end(4000);
    expect(cutOffTerm.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });

  it('a new term just before the heal is recorded is held back, and cleared by that heal (links heal one by one)', () => {
    const h = isolated();
    h.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 2570.2).heal('f1', 2570.5).end(4000);
    expect(cutOffTerm.check(h.entries, h.ctx()).verdict).toBe('valid');
    const late = isolated();
    late.event('n3', 'term', 2, { from: 1, to: 2, reason: 'campaign' }, 2570.2).heal('f1', 2570.2 + 301).end(4000);
    expect(cutOffTerm.check(late.entries, late.ctx()).verdict).toBe('invalid');
  });

  it('not applicable with Pre-Vote off; not judged (no cut-off node) says so', () => {
    const off = new HistoryBuilder(nodes, testConfig({ preVote: false })).start().end(100);
    expect(cutOffTerm.check(off.entries, off.ctx()).details).toEqual({ applicable: false });
    const quiet = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' }).end(1000);
    const r = cutOffTerm.check(quiet.entries, quiet.ctx());
    expect(r.message).toMatch(/^Not judged/);
    expect(r.details).toMatchObject({ judged: false });
  });
});
