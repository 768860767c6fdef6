import { describe, expect, it } from 'vitest';
import { BUG_NAMES, isBugName, type BugName } from './bugs.js';
import { answer, fireTimer, heartbeat, makeCore, voteReq } from './test-helpers.js';
import type { VoteReply } from './types.js';

// Each deliberate bug changes exactly the behaviour it names; the correct behaviour is
// covered by raft-paper.test.ts.
describe('deliberate bugs in the core', () => {
  it('names are known', () => {
    expect(BUG_NAMES).toHaveLength(33);
    expect(isBugName('vote-twice')).toBe(true);
    expect(isBugName('nope')).toBe(false);
  });

  it('vote-twice grants a second candidate in the same term', () => {
    const c = makeCore({ preVote: false, bugs: ['vote-twice'], hard: { term: 1, votedFor: 'n2' } });
    const r = c.step({ kind: 'request', now: 1, from: 'n3', rpc: { type: 'request-vote', body: voteReq('n3', 1) } });
    expect((r.reply as VoteReply).voteGranted).toBe(true);
  });

  it('majority-off-by-one wins with 2 of 4 votes', () => {
    const c = makeCore({ preVote: false, size: 4, bugs: ['majority-off-by-one'] });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('leader');
  });

  it('fixed-timeout always waits the minimum', () => {
    for (let seed = 1; seed < 10; seed++) expect(makeCore({ bugs: ['fixed-timeout'], seed }).nextDeadline()).toBe(150);
  });

  it('candidate-no-retry: a failed candidate never times out again', () => {
    const c = makeCore({ preVote: false, bugs: ['candidate-no-retry'] });
    fireTimer(c);
    expect(c.nextDeadline()).toBe(Infinity);
    c.step({ kind: 'tick', now: 100_000 });
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
  });

  it('stuck-election-timer: a candidate whose timer fired asks for a tick at the passed deadline', () => {
    const c = makeCore({ preVote: false, bugs: ['stuck-election-timer'] });
    fireTimer(c);
    const deadline = c.nextDeadline();
    c.step({ kind: 'tick', now: deadline });
    expect(c.nextDeadline()).toBe(deadline);
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
  });

  it('grant-stale-term: a voter that has not voted in its term grants a RequestVote of a lower term', () => {
    const ok = makeCore({ preVote: false, hard: { term: 5, votedFor: null } });
    const refused = ok.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 3) } });
    expect((refused.reply as VoteReply).voteGranted).toBe(false);
    expect(refused.events[0]).toMatchObject({ kind: 'vote', term: 5, requestTerm: 3, granted: false });
    const c = makeCore({ preVote: false, bugs: ['grant-stale-term'], hard: { term: 5, votedFor: null } });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 3) } });
    expect((r.reply as VoteReply).voteGranted).toBe(true);
    expect(r.events[0]).toMatchObject({ kind: 'vote', term: 5, requestTerm: 3, granted: true });
    expect(c.status().votedFor).toBe('n2');
  });

  it('silent-leader: a candidate that wins does not log become-leader', () => {
    const c = makeCore({ preVote: false, bugs: ['silent-leader'] });
    const r = fireTimer(c);
    const won = answer(c, r, ['n2'], { term: 1, voteGranted: true });
    expect(c.status().role).toBe('leader');
    expect(won.flatMap((x) => x.events).map((e) => e.kind)).not.toContain('become-leader');
  });

  it('check-quorum-ignores-flag: a leader with CheckQuorum off steps down when no peer answered', () => {
    for (const [bugs, steps] of [[[], false], [['check-quorum-ignores-flag'], true]] as const) {
      const c = makeCore({ preVote: false, checkQuorum: false, bugs: [...bugs] });
      answer(c, fireTimer(c), ['n2'], { term: 1, voteGranted: true });
      const kinds: unknown[] = [];
      for (let t = 400; t <= 1200; t += 50) kinds.push(...c.step({ kind: 'tick', now: t }).events.map((e) => `${e.kind}:${String(e['reason'])}`));
      expect(kinds.includes('step-down:check-quorum')).toBe(steps);
    }
  });

  it('quorum-needs-all-but-one: a leader of 3 that hears one follower steps down', () => {
    for (const [bugs, steps] of [[[], false], [['quorum-needs-all-but-one'], true]] as const) {
      const c = makeCore({ preVote: false, bugs: [...bugs] });
      answer(c, fireTimer(c), ['n2'], { term: 1, voteGranted: true });
      const kinds: unknown[] = [];
      for (let t = 400; t <= 1200; t += 50) {
        const r = c.step({ kind: 'tick', now: t });
        kinds.push(...r.events.map((e) => `${e.kind}:${String(e['reason'])}`));
        answer(c, r, ['n2'], { term: 1, success: true }, t);
      }
      expect(kinds.includes('step-down:check-quorum')).toBe(steps);
    }
  });

  it('timeout-past-max: election timeouts drawn up to 2 max - min, reported in become-* events', () => {
    const drawn = (bugs: BugName[]) => {
      const out: number[] = [];
      for (let seed = 1; seed < 40; seed++) {
        const r = fireTimer(makeCore({ preVote: false, bugs, seed }));
        out.push(Number(r.events.find((e) => e.kind === 'become-candidate')!['electionTimeoutMs']));
      }
      return out;
    };
    expect(Math.max(...drawn([]))).toBeLessThanOrEqual(300);
    expect(Math.min(...drawn([]))).toBeGreaterThanOrEqual(150);
    expect(Math.max(...drawn(['timeout-past-max']))).toBeGreaterThan(300);
  });

  it('campaign-at-boot: a node asks for a tick at its boot time and campaigns at once', () => {
    expect(makeCore({ bugs: ['campaign-at-boot'] }).nextDeadline()).toBe(0);
    expect(makeCore({}).nextDeadline()).toBeGreaterThanOrEqual(150);
  });

  it('pre-vote-when-off: a node configured without Pre-Vote still starts with a pre-vote round', () => {
    expect(fireTimer(makeCore({ preVote: false })).messages[0]!.type).toBe('request-vote');
    const c = makeCore({ preVote: false, bugs: ['pre-vote-when-off'] });
    const r = fireTimer(c);
    expect(r.messages[0]!.type).toBe('pre-vote');
    expect(c.status()).toMatchObject({ role: 'pre-candidate', term: 0 });
  });

  it('yield-to-same-term: a leader steps down when a candidate of its own term asks for a vote', () => {
    const lead = (bugs: BugName[]) => {
      const c = makeCore({ preVote: false, bugs });
      answer(c, fireTimer(c), ['n2'], { term: 1, voteGranted: true });
      expect(c.status()).toMatchObject({ role: 'leader', term: 1 });
      return c.step({ kind: 'request', now: 1, from: 'n3', rpc: { type: 'request-vote', body: voteReq('n3', 1) } }) && c;
    };
    expect(lead([]).status()).toMatchObject({ role: 'leader', term: 1 });
    expect(lead(['yield-to-same-term']).status()).toMatchObject({ role: 'follower', term: 1, votedFor: 'n1' });
  });

  it('pre-vote-stays-lost: a pre-candidate refused by a majority stays pre-candidate', () => {
    const refuse = (bugs: BugName[]) => {
      const c = makeCore({ bugs });
      answer(c, fireTimer(c), ['n2', 'n3'], { term: 0, voteGranted: false });
      return c.status().role;
    };
    expect(refuse([])).toBe('follower');
    expect(refuse(['pre-vote-stays-lost'])).toBe('pre-candidate');
  });

  it('refuse-all-votes refuses every RequestVote (already-voted), and grants pre-votes as the correct node does', () => {
    const request = { type: 'request-vote' as const, body: { term: 1, candidateId: 'n2', lastLogIndex: 0, lastLogTerm: 0 } };
    const buggy = makeCore({ bugs: ['refuse-all-votes'] });
    const r = buggy.step({ kind: 'request', now: 1, from: 'n2', rpc: request });
    expect(r.reply).toEqual({ term: 1, voteGranted: false });
    expect(r.events.find((e) => e.kind === 'vote')).toMatchObject({ granted: false, reason: 'already-voted:none', requestTerm: 1 });
    expect(makeCore({}).step({ kind: 'request', now: 1, from: 'n2', rpc: request }).reply).toEqual({ term: 1, voteGranted: true });
    const pre = buggy.step({ kind: 'request', now: 2, from: 'n3', rpc: { type: 'pre-vote', body: { term: 2, candidateId: 'n3', lastLogIndex: 0, lastLogTerm: 0 } } });
    expect(pre.reply).toEqual({ term: 2, voteGranted: true });
  });

  it('no-step-down ignores a higher term in AppendEntries and in replies', () => {
    const c = makeCore({ preVote: false, bugs: ['no-step-down'] });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 9, voteGranted: false });
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
    const a = c.step({ kind: 'request', now: 1, from: 'n3', rpc: heartbeat('n3', 5) });
    expect(a.reply).toEqual({ term: 1, success: false });
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
  });

  it('slow-heartbeat sends heartbeats slower than the election timeout', () => {
    const c = makeCore({ preVote: false, bugs: ['slow-heartbeat'] });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: true }, 200);
    expect(c.nextDeadline() - 200).toBeGreaterThan(300);
  });

  it('candidate-ignores-leader: a candidate that hears the leader of its term notes it and stays candidate', () => {
    const c = makeCore({ preVote: false, bugs: ['candidate-ignores-leader'] });
    fireTimer(c);
    c.step({ kind: 'request', now: 10, from: 'n2', rpc: heartbeat('n2', 1) });
    expect(c.status()).toMatchObject({ role: 'candidate', term: 1, leader: 'n2' });
    const ok = makeCore({ preVote: false });
    fireTimer(ok);
    ok.step({ kind: 'request', now: 10, from: 'n2', rpc: heartbeat('n2', 1) });
    expect(ok.status()).toMatchObject({ role: 'follower', term: 1, leader: 'n2' });
  });

  it('pre-vote-ignores-lease grants a pre-vote while the leader was just heard', () => {
    const c = makeCore({ bugs: ['pre-vote-ignores-lease'], hard: { term: 1, votedFor: null } });
    c.step({ kind: 'request', now: 10, from: 'n2', rpc: heartbeat('n2', 1) });
    const r = c.step({ kind: 'request', now: 20, from: 'n3', rpc: { type: 'pre-vote', body: voteReq('n3', 2) } });
    expect((r.reply as VoteReply).voteGranted).toBe(true);
    const ok = makeCore({ hard: { term: 1, votedFor: null } });
    ok.step({ kind: 'request', now: 10, from: 'n2', rpc: heartbeat('n2', 1) });
    const r2 = ok.step({ kind: 'request', now: 20, from: 'n3', rpc: { type: 'pre-vote', body: voteReq('n3', 2) } });
    expect((r2.reply as VoteReply).voteGranted).toBe(false);
    // Each pre-vote event says how long ago the voter heard its leader (10 ms here), so a
    // checker can tell this grant inside the lease from one after late heartbeats.
    expect(r.events.find((e) => e.kind === 'vote')).toMatchObject({ preVote: true, granted: true, role: 'follower', leaderHeardAgoMs: 10 });
    expect(r2.events.find((e) => e.kind === 'vote')).toMatchObject({ preVote: true, granted: false, reason: 'leader-recently-heard', leaderHeardAgoMs: 10 });
    const late = ok.step({ kind: 'request', now: 10 + 150, from: 'n3', rpc: { type: 'pre-vote', body: voteReq('n3', 2) } });
    expect((late.reply as VoteReply).voteGranted).toBe(true);
    expect(late.events.find((e) => e.kind === 'vote')).toMatchObject({ granted: true, leaderHeardAgoMs: 150 });
  });

  it('pre-vote-raises-term: every pre-vote round raises the term, with no reply at all', () => {
    const c = makeCore({ bugs: ['pre-vote-raises-term'] });
    fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'pre-candidate', term: 1 });
    fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'pre-candidate', term: 2 });
    const ok = makeCore();
    fireTimer(ok);
    fireTimer(ok);
    expect(ok.status()).toMatchObject({ role: 'pre-candidate', term: 0 });
  });

  it('majority-half: a lone node of 3 wins with its own vote', () => {
    const c = makeCore({ preVote: false, bugs: ['majority-half'] });
    fireTimer(c);
    expect(c.status()).toMatchObject({ role: 'leader', term: 1 });
  });

  it('count-any-reply: a candidate wins on refusals', () => {
    const c = makeCore({ preVote: false, bugs: ['count-any-reply'] });
    const r = fireTimer(c);
    answer(c, r, ['n2'], { term: 1, voteGranted: false });
    expect(c.status().role).toBe('leader');
    const ok = makeCore({ preVote: false });
    answer(ok, fireTimer(ok), ['n2'], { term: 1, voteGranted: false });
    expect(ok.status().role).toBe('candidate');
  });

  it('ignore-reply-term: a candidate refused with a newer term keeps its own (without the bug it adopts it)', () => {
    for (const bugs of [[], ['ignore-reply-term']] as BugName[][]) {
      const c = makeCore({ preVote: false, bugs });
      const ready = fireTimer(c);
      expect(c.status()).toMatchObject({ role: 'candidate', term: 1 });
      answer(c, ready, ['n2'], { term: 5, voteGranted: false });
      expect(c.status().term).toBe(bugs.length ? 1 : 5);
    }
  });

  it('stale-refusal-logged-granted: a stale RequestVote is refused, but its vote event says granted', () => {
    const c = makeCore({ preVote: false, bugs: ['stale-refusal-logged-granted'], hard: { term: 3, votedFor: null } });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 2) } });
    expect(r.reply).toEqual({ term: 3, voteGranted: false });
    expect(r.events).toEqual([expect.objectContaining({ kind: 'vote', granted: true, reason: 'stale-term', requestTerm: 2 })]);
  });

  it('lease-never-expires: a follower that knows a leader refuses pre-votes long after it last heard it (without the bug it grants)', () => {
    for (const bugs of [[], ['lease-never-expires']] as BugName[][]) {
      const c = makeCore({ bugs, electionTimeoutMin: 150, electionTimeoutMax: 300 });
      c.step({ kind: 'request', now: 1, from: 'n2', rpc: heartbeat('n2', 1) });
      const r = c.step({ kind: 'request', now: 151, from: 'n3', rpc: { type: 'pre-vote', body: voteReq('n3', 2) } });
      expect((r.reply as VoteReply).voteGranted).toBe(bugs.length === 0);
      if (bugs.length) expect(r.events).toEqual([expect.objectContaining({ kind: 'vote', reason: 'leader-recently-heard', leaderHeardAgoMs: 150 })]);
    }
  });

  it('vote-keeps-timer: a follower that grants a vote in the term it holds does not restart its countdown', () => {
    const at = (bugs: BugName[]) => {
      const c = makeCore({ preVote: false, bugs, hard: { term: 4, votedFor: null } });
      const before = c.nextDeadline();
      const r = c.step({ kind: 'request', now: 100, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', 4) } });
      expect((r.reply as VoteReply).voteGranted).toBe(true);
      return { before, after: c.nextDeadline() };
    };
    const bug = at(['vote-keeps-timer']);
    expect(bug.after).toBe(bug.before);
    const ok = at([]);
    expect(ok.after).toBe(100 + ok.before);
  });

  it('count-stale-votes: a candidate wins its next term on a grant of the term before', () => {
    const run = (bugs: BugName[]) => {
      const c = makeCore({ preVote: false, bugs });
      const first = fireTimer(c); // candidate of term 1
      fireTimer(c); // no answer: candidate of term 2
      answer(c, first, ['n2'], { term: 1, voteGranted: true });
      return c.status();
    };
    expect(run(['count-stale-votes'])).toMatchObject({ role: 'leader', term: 2 });
    expect(run([])).toMatchObject({ role: 'candidate', term: 2 });
  });

  it('quorum-counts-votes: a new leader that no peer answers steps down a window late', () => {
    const stepDownAt = (bugs: BugName[]) => {
      const c = makeCore({ preVote: false, bugs });
      const r = fireTimer(c); // candidate of term 1
      const b = c.nextDeadline() - 1;
      answer(c, r, ['n2'], { term: 1, voteGranted: true }, b); // leader at b; then nobody answers
      for (let now = b; now <= b + 1000; now += 10) {
        if (c.step({ kind: 'tick', now }).events.some((e) => e.kind === 'step-down')) return now - b;
      }
      return null;
    };
    expect(stepDownAt([])).toBeLessThanOrEqual(310);
    expect(stepDownAt(['quorum-counts-votes'])).toBeGreaterThan(310);
  });
});
