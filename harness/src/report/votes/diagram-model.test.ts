import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../history/types.js';
import { buildVoteDiagrams } from './diagram-model.js';
import { renderVotesSection, MAX_OPEN, termHeadline } from './section.js';

let seq = 0;
/** A node event as the harness records it. */
function ev(t: number, node: string, kind: string, term: number, more: Record<string, unknown> = {}): HistoryEntry {
  return { type: 'node-event', t, wall: 1e12 + t, node, bootId: `b-${node}`, seq: ++seq, kind, term, ...more };
}
const vote = (t: number, voter: string, term: number, candidate: string, granted: boolean, preVote: boolean, reason = granted ? 'granted' : 'already-voted:x') =>
  ev(t, voter, 'vote', term, { candidate, granted, preVote, reason });

/** n1 wins term 1 after a pre-vote: n2 grants both, n3 refuses the vote. */
const won: HistoryEntry[] = [
  ev(10, 'n1', 'become-pre-candidate', 0),
  vote(12, 'n2', 0, 'n1', true, true),
  vote(12.5, 'n3', 0, 'n1', true, true),
  ev(14, 'n1', 'become-candidate', 1),
  vote(16, 'n2', 1, 'n1', true, false),
  vote(16.4, 'n3', 1, 'n1', false, false, 'already-voted:n3'),
  ev(18, 'n1', 'become-leader', 1),
];

describe('vote diagram model', () => {
  it('two messages per answered request, granted and refused apart, pre-votes apart', () => {
    const v = buildVoteDiagrams(won, ['n1', 'n2', 'n3']);
    expect(v.source).toBe('events');
    expect(v.terms.map((d) => d.term)).toEqual([1]);
    const d = v.terms[0]!;
    expect(d.messages).toHaveLength(8);
    expect(d.messages.filter((m) => m.kind === 'request').every((m) => m.from === 'n1')).toBe(true);
    expect(d.messages.filter((m) => m.kind === 'reply').every((m) => m.to === 'n1')).toBe(true);
    expect(d.messages.filter((m) => m.preVote)).toHaveLength(4);
    const refused = d.messages.filter((m) => !m.granted);
    expect(refused.map((m) => [m.kind, m.from, m.reason])).toEqual([
      ['request', 'n1', 'already-voted:n3'],
      ['reply', 'n3', 'already-voted:n3'],
    ]);
    // A request leaves when the candidate's campaign started; a reply leaves at the voter's event.
    expect(d.messages.find((m) => m.kind === 'request' && !m.preVote && m.to === 'n2')!.sentAt).toBe(14);
    expect(d.messages.find((m) => m.kind === 'request' && m.preVote && m.to === 'n2')!.sentAt).toBe(10);
    expect(d.outcome).toBe('elected');
    expect(d.leaders).toEqual(['n1']);
    expect(d.interesting).toBe(false);
    expect(d.tallies.find((t) => !t.preVote)).toMatchObject({ node: 'n1', granted: 2, refused: 1, won: true });
    expect(d.tallies.find((t) => t.preVote)).toMatchObject({ node: 'n1', granted: 3, refused: 0, won: true });
  });

  it('a split vote is a failed election, unfolded, each candidate short of a majority', () => {
    const h = [
      ev(100, 'n1', 'become-candidate', 2),
      ev(100.5, 'n2', 'become-candidate', 2),
      vote(102, 'n2', 2, 'n1', false, false, 'already-voted:n2'),
      vote(102.2, 'n1', 2, 'n2', false, false, 'already-voted:n1'),
    ];
    const d = buildVoteDiagrams(h, ['n1', 'n2', 'n3']).terms[0]!;
    expect(d.outcome).toBe('split');
    expect(d.interesting).toBe(true);
    expect(d.tallies.map((t) => [t.node, t.granted, t.refused, t.won])).toEqual([
      ['n1', 1, 1, false],
      ['n2', 1, 1, false],
    ]);
  });

  it('a candidate granted a majority that never became leader is said so (replies lost or late)', () => {
    const h = [ev(100, 'n3', 'become-candidate', 6), vote(123, 'n1', 6, 'n3', true, false), vote(143, 'n2', 6, 'n3', true, false)];
    const v = buildVoteDiagrams(h, ['n1', 'n2', 'n3']);
    const d = v.terms[0]!;
    expect(d.outcome).toBe('lost');
    expect(termHeadline(d, v.majority, 3)).toBe("no leader · n3 3 of 3 (needs 2) · n3 granted a majority by the voters' logs, yet not leader (replies lost or late)");
  });

  it('a refusal for a stale term is drawn in the candidate term, a pre-vote in the term it asked for', () => {
    const h = [
      ev(10, 'n3', 'become-pre-candidate', 4),
      vote(11, 'n1', 6, 'n3', false, true, 'stale-term'),
      ev(20, 'n3', 'become-candidate', 5),
      vote(21, 'n1', 6, 'n3', false, false, 'stale-term'),
    ];
    const v = buildVoteDiagrams(h, ['n1', 'n2', 'n3']);
    expect(v.terms.map((d) => [d.term, d.messages.length])).toEqual([[5, 4]]);
  });

  it('marks a double vote on the votes that make it, and two leaders in one term', () => {
    const h = [
      ev(10, 'n1', 'become-candidate', 3),
      ev(10.2, 'n2', 'become-candidate', 3),
      vote(12, 'n2', 3, 'n1', true, false, 'bug:vote-twice'),
      vote(12.1, 'n1', 3, 'n2', true, false, 'bug:vote-twice'),
      vote(12.3, 'n3', 3, 'n1', false, false, 'already-voted:n2'),
      ev(13, 'n1', 'become-leader', 3),
      ev(13.1, 'n2', 'become-leader', 3),
    ];
    const d = buildVoteDiagrams(h, ['n1', 'n2', 'n3']).terms[0]!;
    expect(d.outcome).toBe('two-leaders');
    expect(d.violations).toEqual([
      'double vote: n2 voted for n2 and for n1 in term 3',
      'double vote: n1 voted for n1 and for n2 in term 3',
      'two leaders in term 3: n1 and n2',
    ]);
    const marked = d.messages.filter((m) => m.violation);
    expect(marked.map((m) => `${m.from}->${m.to}`).sort()).toEqual(['n1->n2', 'n2->n1']);
    expect(marked.every((m) => m.kind === 'reply' && m.granted)).toBe(true);
    expect(d.messages.find((m) => m.voter === 'n3')!.violation).toBeUndefined();
    expect(d.marks.filter((m) => m.kind === 'leader' && m.violation)).toHaveLength(2);
    expect(d.interesting).toBe(true);
  });

  it('folds unanswered attempts of a cut-off pre-candidate into one mark', () => {
    const h = [10, 160, 310, 460].map((t) => ev(t, 'n1', 'become-pre-candidate', 2));
    const d = buildVoteDiagrams(h, ['n1', 'n2', 'n3']).terms[0]!;
    expect(d.term).toBe(3);
    expect(d.marks).toMatchObject([{ node: 'n1', kind: 'pre-candidate', count: 4, t: 10, until: 460 }]);
    expect(d.outcome).toBe('pre-vote-failed');
    expect(d.interesting).toBe(false);
  });

  it('7 nodes and 50 elections: one folded diagram per term, only failed ones open, at most 1280 px wide', () => {
    const nodes = ['n1', 'n2', 'n3', 'n4', 'n5', 'n6', 'n7'];
    const h: HistoryEntry[] = [];
    let votes = 0;
    for (let term = 1; term <= 50; term++) {
      const t = term * 1000;
      const c = nodes[term % 7]!;
      const failed = term % 5 === 0;
      h.push(ev(t, c, 'become-candidate', term));
      for (const [i, voter] of nodes.filter((n) => n !== c).entries()) {
        h.push(vote(t + 2 + i * 0.3, voter, term, c, !failed, false, failed ? 'log-not-up-to-date' : 'granted'));
        votes++;
      }
      if (!failed) h.push(ev(t + 5, c, 'become-leader', term));
    }
    const v = buildVoteDiagrams(h, nodes);
    expect(v.terms).toHaveLength(50);
    expect(v.terms.filter((d) => d.interesting).map((d) => d.term)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50]);
    expect(v.terms.reduce((n, d) => n + d.messages.length, 0)).toBe(2 * votes);
    const page = renderVotesSection(v).value;
    expect(page.match(/<details class="vote-term/g)).toHaveLength(50);
    const open = [...page.matchAll(/<details class="vote-term[^>]*data-term="(\d+)"[^>]*\sopen>/g)].map((m) => +m[1]!);
    expect(open).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50].slice(0, MAX_OPEN));
    expect(page.match(/data-vote-from=/g)).toHaveLength(2 * votes);
    expect(page.match(/data-granted="false"/g)).toHaveLength(2 * 6 * 10);
    for (const m of page.matchAll(/<svg class="vote-diagram"[^>]* width="(\d+(?:\.\d+)?)"/g)) expect(+m[1]!).toBeLessThanOrEqual(1240);
  });

  it('says when a node lost events (buffer overflow), since arrows may be missing', () => {
    const h: HistoryEntry[] = [...won, { type: 'events-gap', t: 30, wall: 1e12 + 30, node: 'n2', bootId: 'b-n2', fromSeq: 4, toSeq: 90 }];
    const v = buildVoteDiagrams(h, ['n1', 'n2', 'n3']);
    expect(v.gaps).toEqual([{ node: 'n2', fromSeq: 4, toSeq: 90, t: 30 }]);
    expect(renderVotesSection(v).value).toContain('Events were lost (buffer overflow) for n2');
  });

  it('a subject without events gets the term summary of its polls, and says so', () => {
    const poll = (t: number, node: string, term: number, state: 'leader' | 'follower' | 'candidate', votedFor: string | null): HistoryEntry =>
      ({ type: 'poll', t, wall: 1e12 + t, node, outcome: 'ok', latencyMs: 1, state, role: state, term, leader: state === 'leader' ? node : null, votedFor });
    const h = [poll(10, 'n1', 1, 'candidate', 'n1'), poll(20, 'n1', 1, 'leader', 'n1'), poll(21, 'n2', 1, 'follower', 'n1'), poll(70, 'n1', 1, 'leader', 'n1'), poll(900, 'n2', 2, 'leader', 'n2')];
    const v = buildVoteDiagrams(h, ['n1', 'n2']);
    expect(v.source).toBe('polls');
    expect(v.terms).toEqual([]);
    expect(v.pollTerms.map((p) => [p.term, p.leaders, p.candidates, p.votes])).toEqual([
      [1, [{ node: 'n1', from: 20, to: 70 }], ['n1'], [['n1', 'n1'], ['n2', 'n1']]],
      [2, [{ node: 'n2', from: 900, to: 900 }], [], [['n2', 'n2']]],
    ]);
    const page = renderVotesSection(v).value;
    expect(page).toContain('data-votes-note="no-events"');
    expect(page.match(/data-poll-term=/g)).toHaveLength(2);
    expect(page).not.toContain('data-vote-from');
  });
});
