import { describe, expect, it } from 'vitest';
import { answer, fireTimer, heartbeat, makeCore, voteReq } from './test-helpers.js';
import type { VoteReply } from './types.js';

describe('thesis §9.6 Pre-Vote', () => {
  it('a follower whose timer fires becomes a pre-candidate: asks for term+1 without changing term or vote', () => {
    const c = makeCore({ hard: { term: 4, votedFor: 'n3' } });
    const r = fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'pre-candidate', term: 4, votedFor: 'n3' });
    expect(r.persist).toBeNull();
    expect(r.messages.every((m) => m.type === 'pre-vote' && m.body.term === 5)).toBe(true);
  });

  it('becomes a candidate only after pre-votes from a majority', () => {
    const c = makeCore({ size: 5 });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('pre-candidate');
    const [won] = answer(c, r, ['n3'], { term: 1, voteGranted: true });
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
    expect(won!.messages.every((m) => m.type === 'request-vote')).toBe(true);
  });

  it('a granted pre-vote carrying the proposed (higher) term does not make the node a follower', () => {
    const c = makeCore({ size: 5 });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true });
    expect(c.status()).toMatchObject({ role: 'pre-candidate', term: 0 });
  });

  it('the receiver grants without changing its term or vote', () => {
    const c = makeCore({ hard: { term: 2, votedFor: 'n3' } });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'pre-vote', body: voteReq('n2', 3) } });
    expect(r.reply).toEqual({ term: 3, voteGranted: true });
    expect(r.persist).toBeNull();
    expect(c.status()).toMatchObject({ term: 2, votedFor: 'n3' });
  });

  it('the receiver refuses while it hears from a leader (within the minimum election timeout)', () => {
    const c = makeCore();
    c.step({ kind: 'request', now: 10, from: 'n3', rpc: heartbeat('n3', 1) });
    const r = c.step({ kind: 'request', now: 100, from: 'n2', rpc: { type: 'pre-vote', body: voteReq('n2', 2) } });
    expect((r.reply as VoteReply).voteGranted).toBe(false);
    const later = c.step({ kind: 'request', now: 10 + 150, from: 'n2', rpc: { type: 'pre-vote', body: voteReq('n2', 2) } });
    expect((later.reply as VoteReply).voteGranted).toBe(true);
  });

  it('the lease holds only while a leader is known: a follower that took a higher term from a RequestVote forgot its leader, and grants a pre-vote at once', () => {
    // etcd's raft: in lease only while `r.lead != None`. Heard its leader 10 ms ago, then a
    // RequestVote of term 2 makes it a follower of term 2 with no leader: a pre-vote for term 3
    // is granted although the last heartbeat is still within the minimum election timeout.
    const c = makeCore({ size: 5 });
    c.step({ kind: 'request', now: 10, from: 'n3', rpc: heartbeat('n3', 1) });
    c.step({ kind: 'request', now: 15, from: 'n4', rpc: { type: 'request-vote', body: voteReq('n4', 2) } });
    expect(c.status()).toMatchObject({ role: 'follower', term: 2, leader: null });
    const r = c.step({ kind: 'request', now: 20, from: 'n2', rpc: { type: 'pre-vote', body: voteReq('n2', 3) } });
    expect(r.reply).toEqual({ term: 3, voteGranted: true });
    expect(r.events.find((e) => e.kind === 'vote')).toMatchObject({ granted: true, reason: 'granted', leaderHeardAgoMs: null });
  });

  it('a node that never heard a leader is in no lease, even before a minimum election timeout has passed', () => {
    const c = makeCore();
    const r = c.step({ kind: 'request', now: 20, from: 'n2', rpc: { type: 'pre-vote', body: voteReq('n2', 1) } });
    expect(r.reply).toEqual({ term: 1, voteGranted: true });
  });

  it('a partitioned node does not inflate its term (the reason for Pre-Vote)', () => {
    const c = makeCore({ hard: { term: 3, votedFor: null } });
    for (let i = 0; i < 10; i++) fireTimer(c); // nobody answers
    expect(c.status()).toMatchObject({ role: 'pre-candidate', term: 3 });
  });

  it('can be turned off: the timer then starts a real election', () => {
    const c = makeCore({ preVote: false });
    fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
  });
});

describe('CheckQuorum: a leader that has not heard from a majority within an election timeout steps down', () => {
  const electLeader = (checkQuorum: boolean) => {
    const c = makeCore({ preVote: false, checkQuorum, size: 5 });
    const r = fireTimer(c);
    answer(c, r, ['n2', 'n3'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('leader');
    return c;
  };

  it('steps down when only a minority answers', () => {
    const c = electLeader(true);
    const start = c.nextDeadline();
    while (c.status().role === 'leader' && c.nextDeadline() < start + 1000) {
      const hb = fireTimer(c);
      answer(c, hb, ['n2'], { term: 1, success: true }, c.nextDeadline() - 50);
    }
    expect(c.status()).toMatchObject({ role: 'follower', term: 1, leader: null });
  });

  it('stays leader while a majority answers', () => {
    const c = electLeader(true);
    const start = c.nextDeadline();
    while (c.nextDeadline() < start + 2000) {
      const hb = fireTimer(c);
      answer(c, hb, ['n2', 'n3'], { term: 1, success: true }, c.nextDeadline() - 50);
    }
    expect(c.status().role).toBe('leader');
  });

  it('can be turned off: an unheard leader stays leader', () => {
    const c = electLeader(false);
    for (let i = 0; i < 40; i++) fireTimer(c);
    expect(c.status().role).toBe('leader');
  });
});

describe('CheckQuorum off', () => {
  it('a leader asks for ticks at its heartbeats only: the unused quorum deadline never falls due', () => {
    const c = makeCore({ preVote: false, checkQuorum: false });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true }, 200);
    expect(c.status().role).toBe('leader');
    for (let i = 0; i < 20; i++) {
      const next = c.nextDeadline();
      c.step({ kind: 'tick', now: next });
      expect(c.nextDeadline()).toBeGreaterThan(next);
    }
    expect(c.status().role).toBe('leader');
  });
});
