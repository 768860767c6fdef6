import { describe, expect, it } from 'vitest';
import { answer, fireTimer, heartbeat, makeCore, voteReq } from './test-helpers.js';
import type { AppendEntriesReply, VoteReply } from './types.js';

// Tests named after the rules of the Raft paper (Figure 2 and §5.2) they hold the code to.
// Pre-Vote is off here unless a test says otherwise, so the paper's own rules show plainly.
const paper = { preVote: false, checkQuorum: false };

describe('Figure 2, all servers: a request or reply with a higher term makes the node a follower of that term', () => {
  it('on RequestVote with a higher term', () => {
    const c = makeCore({ ...paper, hard: { term: 2, votedFor: 'n1' } });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 5) } });
    expect(c.status()).toMatchObject({ role: 'follower', term: 5 });
    expect(r.persist).toEqual({ term: 5, votedFor: 'n2' });
  });

  it('on AppendEntries with a higher term, and the candidate knows the leader', () => {
    const c = makeCore(paper);
    fireTimer(c); // candidate of term 1
    c.step({ kind: 'request', now: c.nextDeadline() - 1, from: 'n3', rpc: heartbeat('n3', 4) });
    expect(c.status()).toMatchObject({ role: 'follower', term: 4, leader: 'n3', votedFor: null });
  });

  it('on a reply with a higher term, a leader steps down', () => {
    const c = makeCore(paper);
    const campaign = fireTimer(c);
    answer(c, campaign, ['n2'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('leader');
    const hb = fireTimer(c);
    const [r] = answer(c, hb, ['n3'], { term: 7, success: false });
    expect(c.status()).toMatchObject({ role: 'follower', term: 7, leader: null });
    expect(r!.persist).toEqual({ term: 7, votedFor: null });
    expect(r!.events.map((e) => e.kind)).toContain('step-down');
  });

  it('a request with a lower term is rejected and changes nothing', () => {
    const c = makeCore({ ...paper, hard: { term: 3, votedFor: null } });
    const v = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 2) } });
    const a = c.step({ kind: 'request', now: 1, from: 'n2', rpc: heartbeat('n2', 2) });
    expect(v.reply).toEqual({ term: 3, voteGranted: false });
    expect(a.reply).toEqual({ term: 3, success: false });
    expect(c.status()).toMatchObject({ term: 3, votedFor: null, leader: null });
    expect(v.persist).toBeNull();
  });
});

describe('Figure 2, RequestVote: at most one vote per term, first come first served', () => {
  it('grants the first candidate and refuses a second one in the same term', () => {
    const c = makeCore(paper);
    const a = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } });
    const b = c.step({ kind: 'request', now: 2, from: 'n3', rpc: { type: 'request-vote', body: voteReq('n3', 1) } });
    expect((a.reply as VoteReply).voteGranted).toBe(true);
    expect((b.reply as VoteReply).voteGranted).toBe(false);
    expect(c.status().votedFor).toBe('n2');
  });

  it('grants the same candidate again (a retried request)', () => {
    const c = makeCore({ ...paper, hard: { term: 1, votedFor: 'n2' } });
    const a = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } });
    expect(a.reply).toEqual({ term: 1, voteGranted: true });
    expect(a.persist).toBeNull();
  });

  it('the vote is persisted in the same Ready as the reply (persist before answering)', () => {
    const c = makeCore(paper);
    const a = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } });
    expect(a.persist).toEqual({ term: 1, votedFor: 'n2' });
  });

  it('a restarted node keeps the vote it persisted', () => {
    const c = makeCore({ ...paper, hard: { term: 1, votedFor: 'n2' } });
    const b = c.step({ kind: 'request', now: 1, from: 'n3', rpc: { type: 'request-vote', body: voteReq('n3', 1) } });
    expect((b.reply as VoteReply).voteGranted).toBe(false);
  });
});

describe('§5.4.1: a vote only for a candidate whose log is at least as up to date', () => {
  const log = [
    { index: 1, term: 1 },
    { index: 2, term: 3 },
  ];
  const ask = (lastIndex: number, lastTerm: number) => {
    const c = makeCore({ ...paper, hard: { term: 3, votedFor: null }, log });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 4, lastIndex, lastTerm) } });
    return (r.reply as VoteReply).voteGranted;
  };
  it('refuses a lower last log term even with a longer log', () => expect(ask(5, 2)).toBe(false));
  it('grants a higher last log term even with a shorter log', () => expect(ask(1, 4)).toBe(true));
  it('same last term: refuses a shorter log', () => expect(ask(1, 3)).toBe(false));
  it('same last term: grants an equal or longer log', () => {
    expect(ask(2, 3)).toBe(true);
    expect(ask(3, 3)).toBe(true);
  });
});

describe('Figure 2, candidates / §5.2: elections', () => {
  it('on election timeout a follower increments its term, votes for itself and asks every peer, persisting first', () => {
    const c = makeCore(paper);
    const r = fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1, votedFor: 'n1' });
    expect(r.persist).toEqual({ term: 1, votedFor: 'n1' });
    expect(r.messages.map((m) => [m.type, m.to])).toEqual([
      ['request-vote', 'n2'],
      ['request-vote', 'n3'],
    ]);
  });

  it('the election timeout is random within [min, max]', () => {
    const timeouts = new Set<number>();
    for (let seed = 1; seed <= 20; seed++) {
      const d = makeCore({ ...paper, seed }).nextDeadline();
      expect(d).toBeGreaterThanOrEqual(150);
      expect(d).toBeLessThanOrEqual(300);
      timeouts.add(d);
    }
    expect(timeouts.size).toBeGreaterThan(10);
  });

  it('becomes leader on votes from a majority of the whole cluster (3 of 4, not 2 of 4)', () => {
    const c = makeCore({ ...paper, size: 4 });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('candidate');
    answer(c, r, ['n3'], { term: 1, voteGranted: true });
    expect(c.status()).toMatchObject({ role: 'leader', leader: 'n1' });
  });

  it('counts each voter once (a duplicated grant does not make a majority)', () => {
    const c = makeCore({ ...paper, size: 5 });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true });
    answer(c, r, ['n2'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('candidate');
  });

  it('ignores votes from an earlier election', () => {
    const c = makeCore(paper);
    const first = fireTimer(c);
    fireTimer(c); // term 2
    answer(c, first, ['n2'], { term: 1, voteGranted: true });
    expect(c.status()).toMatchObject({ role: 'candidate', term: 2 });
  });

  it('a candidate whose election fails times out again with a new random timeout', () => {
    const c = makeCore(paper);
    const r = fireTimer(c);
    const t1 = c.nextDeadline();
    answer(c, r, ['n2', 'n3'], { term: 1, voteGranted: false });
    expect(c.status().role).toBe('candidate');
    const intervals = new Set<number>();
    let prev = t1;
    for (let i = 0; i < 5; i++) {
      fireTimer(c);
      intervals.add(c.nextDeadline() - prev);
      prev = c.nextDeadline();
    }
    expect(c.status()).toMatchObject({ role: 'candidate', term: 6 });
    expect(intervals.size).toBeGreaterThan(1);
  });

  it('a single-node cluster elects itself', () => {
    const c = makeCore({ ...paper, size: 1 });
    fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'leader', term: 1 });
  });
});

describe('Figure 2, leaders: heartbeats well inside the election timeout', () => {
  it('sends empty AppendEntries to every peer at once and then every heartbeat interval', () => {
    const c = makeCore(paper);
    const r = fireTimer(c);
    const [won] = answer(c, r, ['n2'], { term: 1, voteGranted: true }, r.messages.length);
    const t0 = c.nextDeadline() - 50;
    expect(won!.messages.map((m) => [m.type, m.to])).toEqual([
      ['append-entries', 'n2'],
      ['append-entries', 'n3'],
    ]);
    expect(won!.messages[0]!.body).toMatchObject({ term: 1, leaderId: 'n1', entries: [] });
    expect(c.nextDeadline() - t0).toBe(50);
    const next = fireTimer(c);
    expect(next.messages).toHaveLength(2);
    expect(c.status().role).toBe('leader');
  });
});

describe('Figure 2, followers / §5.2: hearing from the current leader', () => {
  it('resets the election timer and records the leader id', () => {
    const c = makeCore(paper);
    const before = c.nextDeadline();
    const r = c.step({ kind: 'request', now: before - 1, from: 'n2', rpc: heartbeat('n2', 1) });
    expect((r.reply as AppendEntriesReply).success).toBe(true);
    expect(c.status()).toMatchObject({ leader: 'n2', term: 1, role: 'follower' });
    expect(c.nextDeadline()).toBeGreaterThanOrEqual(before - 1 + 150);
    expect(r.events.map((e) => e.kind)).toContain('leader-known');
  });

  it('a candidate that hears from a leader of its own term becomes its follower', () => {
    const c = makeCore(paper);
    fireTimer(c);
    c.step({ kind: 'request', now: c.nextDeadline() - 1, from: 'n3', rpc: heartbeat('n3', 1) });
    expect(c.status()).toMatchObject({ role: 'follower', term: 1, leader: 'n3', votedFor: 'n1' });
  });

  it('a heartbeat restarts the countdown with the same randomized timeout; a new term draws a new one (as etcd)', () => {
    const c = makeCore(paper);
    c.step({ kind: 'request', now: 10, from: 'n2', rpc: heartbeat('n2', 1) });
    const timeout = c.nextDeadline() - 10;
    for (let t = 60; t < 2000; t += 50) {
      c.step({ kind: 'request', now: t, from: 'n2', rpc: heartbeat('n2', 1) });
      expect(c.nextDeadline() - t).toBe(timeout);
    }
    // New terms (new leaders) draw fresh values: not all equal to the first.
    const drawn = new Set<number>();
    for (let term = 2; term < 12; term++) {
      const now = 2000 + term;
      c.step({ kind: 'request', now, from: 'n3', rpc: heartbeat('n3', term) });
      drawn.add(c.nextDeadline() - now);
    }
    expect(drawn.size).toBeGreaterThan(1);
  });

  it('granting a vote resets the election timer', () => {
    const c = makeCore(paper);
    const before = c.nextDeadline();
    c.step({ kind: 'request', now: before - 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 1) } });
    expect(c.nextDeadline()).toBeGreaterThan(before);
  });
});

describe('Figure 2, AppendEntries receiver: log consistency', () => {
  it('rejects when the log has no entry at prevLogIndex with prevLogTerm, and appends otherwise', () => {
    const c = makeCore({ ...paper, log: [{ index: 1, term: 1 }] });
    const rpc = heartbeat('n2', 2);
    const bad = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { ...rpc, body: { ...rpc.body, prevLogIndex: 1, prevLogTerm: 2 } } });
    expect((bad.reply as AppendEntriesReply).success).toBe(false);
    const ok = c.step({
      kind: 'request',
      now: 2,
      from: 'n2',
      rpc: { ...rpc, body: { ...rpc.body, prevLogIndex: 1, prevLogTerm: 1, entries: [{ index: 2, term: 2 }] } },
    });
    expect((ok.reply as AppendEntriesReply).success).toBe(true);
    expect(c.status()).toMatchObject({ lastLogIndex: 2, lastLogTerm: 2 });
  });
});
