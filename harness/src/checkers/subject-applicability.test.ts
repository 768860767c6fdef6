import { describe, expect, it } from 'vitest';
import type { RunSubject } from '../history/types.js';
import { defaultCheckers } from './compose.js';
import { monotonicTerms } from './monotonic-terms.js';
import { observation } from './observation.js';
import { oneVotePerTerm } from './one-vote-per-term.js';
import { electionSafety } from './election-safety.js';
import { leaderMajority } from './leader-majority.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement, type CheckContext } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
/** The course subject as run-start records it: status polls only, nothing durable claimed here. */
const course = (over: Partial<RunSubject['capabilities']> = {}): RunSubject => ({
  name: 'course',
  source: 'builtin',
  capabilities: { preVote: false, checkQuorum: false, votedFor: false, events: false, durable: true, electionTimeout: false, heartbeatInterval: false, simulated: false, ...over },
});
const withSubject = (h: HistoryBuilder, subject: RunSubject): CheckContext => ({ ...h.ctx(), subject });

describe('checks judged only where the subject exposes what they need', () => {
  it('a status-only subject without Pre-Vote, CheckQuorum or votedFor: exactly the checks that need them are not applicable', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 2000, { term: 1, leader: 'n1' }).end();
    const ctx = withSubject(h, course());
    const na = defaultCheckers
      .map((c) => c.check(h.entries, ctx))
      .filter((r) => judgement(r) === 'not applicable' && r.message.includes('subject course'))
      .map((r) => r.name);
    expect(na).toEqual(['step-down', 'check-quorum', 'one-vote-per-term', 'vote-term', 'leader-has-votes', 'needless-election', 'cut-off-term', 'node-reports', 'timeout-range', 'boot-wait', 'pre-vote-off', 'step-down-cause', 'pre-vote-outcome', 'timer-reset', 'pre-vote-won', 'quorum-window']);
    const r = oneVotePerTerm.check(h.entries, ctx);
    expect(r.message).toMatch(/^Not applicable: subject course shows no votes/);
  });

  it('our node (no subject) judges them all as before', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 2000, { term: 1, leader: 'n1' }).end();
    expect(oneVotePerTerm.check(h.entries, h.ctx()).details?.['applicable']).not.toBe(false);
  });

  it('a subject whose status has votedFor gets one-vote-per-term judged, and a double vote caught from polls', () => {
    const h = new HistoryBuilder(nodes).start();
    h.poll('n3', { term: 2, leader: null, votedFor: 'n1' }, 100);
    h.poll('n3', { term: 2, leader: null, votedFor: 'n2' }, 150);
    h.end(200);
    const r = oneVotePerTerm.check(h.entries, withSubject(h, course({ votedFor: true })));
    expect(r.verdict).toBe('invalid');
  });

  it('split brain from polls alone is still caught for a status-only subject', () => {
    const h = new HistoryBuilder(nodes).start();
    h.poll('n1', { term: 3, leader: 'n1', state: 'leader' }, 100);
    h.poll('n2', { term: 3, leader: 'n2', state: 'leader' }, 110);
    h.poll('n1', { term: 3, leader: 'n1', state: 'leader' }, 150);
    h.poll('n2', { term: 3, leader: 'n2', state: 'leader' }, 160);
    h.end(200);
    expect(electionSafety.check(h.entries, withSubject(h, course())).verdict).toBe('invalid');
  });

  it('monotonic-terms across boots applies to a durable subject and not to one that keeps its term in memory', () => {
    const h = new HistoryBuilder(nodes).start();
    h.push({ type: 'poll', node: 'n1', outcome: 'ok', latencyMs: 1, state: 'follower', term: 5, leader: null, bootId: 'pid-1' }, 100);
    h.push({ type: 'poll', node: 'n1', outcome: 'ok', latencyMs: 1, state: 'follower', term: 0, leader: null, bootId: 'pid-2' }, 300);
    h.end(400);
    expect(monotonicTerms.check(h.entries, withSubject(h, course({ durable: true }))).verdict).toBe('invalid');
    const volatile = monotonicTerms.check(h.entries, withSubject(h, course({ durable: false })));
    expect(volatile.verdict).toBe('valid');
    expect(volatile.message).toMatch(/within each boot only/);
  });

  it('observation: no events are not missed for a subject without them; an unreadable status body is unknown, quoting it', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 2000, { term: 1, leader: 'n1' });
    expect(observation.check([...h.entries, ...new HistoryBuilder(nodes).end(2000).entries.slice(-1)], withSubject(h, course())).verdict).toBe('valid');
    h.push({ type: 'poll', node: 'n2', outcome: 'error', latencyMs: 1, malformed: true, error: '/status did not answer JSON; it answered 200 "oops"' }, 2001);
    h.end(2002);
    const r = observation.check(h.entries, withSubject(h, course()));
    expect(r.verdict).toBe('unknown');
    expect(r.message).toContain('1 status answer(s) could not be read, e.g. n2: /status did not answer JSON; it answered 200 "oops"');
  });

  it('leader-majority judges a leader a status-only subject shows leading from its first poll, elected before any fault', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 2000, { term: 1, leader: 'n1' }).end();
    const r = leaderMajority.check(h.entries, withSubject(h, course()));
    expect(r.verdict).toBe('valid');
    expect(r.details?.['leaderships']).toBe(1);
  });
});
