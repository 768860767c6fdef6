import { describe, expect, it } from 'vitest';
import type { RunSubject } from '../history/types.js';
import { campaignBoundMs, candidateRetries } from './candidate-retries.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];

/** A status-only subject (the course's nodes): no events, no Pre-Vote. */
const course: RunSubject = {
  name: 'course',
  source: 'builtin',
  capabilities: { preVote: false, checkQuorum: false, votedFor: false, events: false, durable: true, electionTimeout: false, heartbeatInterval: false, simulated: false },
};

describe('candidate-retries', () => {
  it('bounds a campaign at 2 timeouts + 2 polls + 500 ms (1200 ms for 150-300 ms, 50 ms polls)', () => {
    expect(campaignBoundMs({ electionTimeoutMax: 300, pollIntervalMs: 50 })).toBe(1200);
  });

  it('fails a candidate that stays in one term past the bound (a failed election never retried)', () => {
    const h = new HistoryBuilder(nodes).start();
    h.steady(0, 500, { term: 1, leader: 'n1' });
    // n2 and n3 split the vote in term 2 and never time out again.
    for (let t = 500; t < 3000; t += 50) {
      h.poll('n1', { term: 1, state: 'leader' }, t);
      h.poll('n2', { term: 2, state: 'candidate' }, t);
      h.poll('n3', { term: 2, state: 'candidate' }, t);
    }
    h.end(3000);
    const r = candidateRetries.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 stayed candidate in term 2 for 24\d\d ms from 500 ms/);
    expect(r.details?.['violations']).toHaveLength(2);
    expect(r.witnesses.length).toBeGreaterThan(0);
  });

  it('passes candidates that retry in a new term within the bound, on status polls alone', () => {
    const h = new HistoryBuilder(nodes).start();
    let term = 2;
    for (let t = 0; t < 3000; t += 50) {
      if (t > 0 && t % 300 === 0) term++;
      for (const n of nodes) h.poll(n, { term, state: 'candidate' }, t);
    }
    h.end(3000);
    const r = candidateRetries.check(h.entries, { ...h.ctx(), subject: course });
    expect(r.verdict, r.message).toBe('valid');
    expect(judgement(r)).toBe('ok');
  });

  it('stays within the bound: 1150 ms in one term passes, 1300 ms fails', () => {
    for (const [span, verdict] of [[1150, 'valid'], [1300, 'invalid']] as const) {
      const h = new HistoryBuilder(nodes).start();
      for (let t = 0; t <= span; t += 50) h.poll('n1', { term: 4, state: 'candidate' }, t);
      h.poll('n1', { term: 5, state: 'candidate' }, span + 50);
      h.end(span + 100);
      expect(candidateRetries.check(h.entries, h.ctx()).verdict, `${span} ms`).toBe(verdict);
    }
  });

  it('does not count the time a poll may have waited for its answer', () => {
    const h = new HistoryBuilder(nodes).start();
    h.poll('n1', { term: 4, state: 'candidate' }, 0);
    // Answered at 1300 ms after 400 ms in flight: the status may be from 900 ms.
    h.push({ type: 'poll', node: 'n1', outcome: 'ok', latencyMs: 400, state: 'candidate', role: 'candidate', term: 4, leader: null, votedFor: 'n1', bootId: 'n1-boot1' }, 1300);
    h.end(1400);
    expect(candidateRetries.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('starts over after a process event (a paused or restarted node) and across boots', () => {
    const h = new HistoryBuilder(nodes).start();
    for (let t = 0; t < 1000; t += 50) h.poll('n1', { term: 3, state: 'candidate' }, t);
    h.process('n1', 'pause', 1000).process('n1', 'resume', 3000);
    for (let t = 3000; t < 3500; t += 50) h.poll('n1', { term: 3, state: 'candidate' }, t);
    h.process('n1', 'kill', 3450).restart('n1').process('n1', 'start', 3500);
    for (let t = 3600; t < 4500; t += 50) h.poll('n1', { term: 3, state: 'candidate' }, t);
    h.end(4500);
    expect(candidateRetries.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('judges a pre-candidate by its rounds where the node gives events: each become-pre-candidate is a new round', () => {
    const retrying = new HistoryBuilder(nodes).start();
    for (let t = 0; t < 3000; t += 50) {
      if (t % 250 === 0) retrying.event('n1', 'become-pre-candidate', 3, { reason: 'election-timeout' }, t);
      retrying.poll('n1', { term: 3, state: 'follower', role: 'pre-candidate' }, t + 1);
    }
    retrying.end(3000);
    const ok = candidateRetries.check(retrying.entries, retrying.ctx());
    expect(ok.verdict, ok.message).toBe('valid');
    expect(judgement(ok)).toBe('ok');

    const stuck = new HistoryBuilder(nodes).start();
    stuck.event('n1', 'become-pre-candidate', 3, { reason: 'election-timeout' }, 0);
    for (let t = 1; t < 3000; t += 50) stuck.poll('n1', { term: 3, state: 'follower', role: 'pre-candidate' }, t);
    stuck.end(3000);
    const bad = candidateRetries.check(stuck.entries, stuck.ctx());
    expect(bad.verdict).toBe('invalid');
    expect(bad.message).toMatch(/n1 stayed pre-candidate in term 3/);
  });

  it('does not judge pre-candidates of a subject without events (a new round keeps the term)', () => {
    const h = new HistoryBuilder(nodes).start();
    for (let t = 0; t < 3000; t += 50) h.poll('n1', { term: 3, state: 'follower', role: 'pre-candidate' }, t);
    h.end(3000);
    const r = candidateRetries.check(h.entries, { ...h.ctx(), subject: course });
    expect(judgement(r)).toBe('not judged');
    expect(r.message).toMatch(/pre-candidate polls not judged/);
  });

  it('stops at teardown, where nodes are stopped on purpose', () => {
    const h = new HistoryBuilder(nodes).start();
    h.poll('n1', { term: 3, state: 'candidate' }, 0);
    h.phase('teardown', 100);
    h.poll('n1', { term: 3, state: 'candidate' }, 5000);
    expect(candidateRetries.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('is unknown without answered polls and not judged without a campaign', () => {
    const none = new HistoryBuilder(nodes).start();
    none.pollFail('n1', 'timeout', 10).end(100);
    expect(candidateRetries.check(none.entries, none.ctx()).verdict).toBe('unknown');
    const calm = new HistoryBuilder(nodes).start().steady(0, 2000, { term: 1, leader: 'n1' }).end(2000);
    expect(judgement(candidateRetries.check(calm.entries, calm.ctx()))).toBe('not judged');
  });
});
