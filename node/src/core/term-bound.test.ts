import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fireTimer, heartbeat, makeCore, voteReq } from './test-helpers.js';
import { isTermWithinBound, MAX_TERM, termAboveBound } from './term-bound.js';
import type { Input, Outgoing, Ready, Rpc, RpcReply } from './types.js';

/** Terms around the bound and at the top of the exact-integer range, plus a few ordinary ones. */
const nearBound = fc.oneof(
  fc.integer({ min: MAX_TERM - 3, max: MAX_TERM + 3 }),
  fc.integer({ min: Number.MAX_SAFE_INTEGER - 3, max: Number.MAX_SAFE_INTEGER }),
  fc.integer({ min: 0, max: 5 }),
);
const peer = fc.constantFrom('n2', 'n3');

/** One step's input, built against the messages the core sent so far (replies answer them). */
type Action =
  | { kind: 'tick' }
  | { kind: 'request'; from: string; type: Rpc['type']; term: number; otherTerm: number }
  | { kind: 'reply'; pick: number; term: number; ok: boolean };

const action: fc.Arbitrary<Action> = fc.oneof(
  fc.constant<Action>({ kind: 'tick' }),
  fc.record({
    kind: fc.constant('request' as const),
    from: peer,
    type: fc.constantFrom<Rpc['type']>('request-vote', 'pre-vote', 'append-entries'),
    term: nearBound,
    otherTerm: nearBound,
  }),
  fc.record({ kind: fc.constant('reply' as const), pick: fc.nat(), term: nearBound, ok: fc.boolean() }),
);

function toInput(a: Action, now: number, sent: readonly Outgoing[]): Input | null {
  if (a.kind === 'tick') return { kind: 'tick', now };
  if (a.kind === 'request') {
    const rpc: Rpc =
      a.type === 'append-entries'
        ? { type: a.type, body: { ...heartbeat(a.from, a.term).body, prevLogTerm: a.otherTerm > MAX_TERM ? a.otherTerm : 0 } }
        : { type: a.type, body: voteReq(a.from, a.term, 0, a.otherTerm > MAX_TERM ? a.otherTerm : 0) };
    return { kind: 'request', now, from: a.from, rpc };
  }
  if (sent.length === 0) return null;
  const request = sent[a.pick % sent.length]!;
  const reply: RpcReply = request.type === 'append-entries' ? { term: a.term, success: a.ok } : { term: a.term, voteGranted: a.ok };
  return { kind: 'reply', now, request, reply };
}

describe('term bound (MAX_TERM = 2^53 - 2^20)', () => {
  it('property: driven with terms near the bound, a core never holds, persists or asks for a term above it, and its term never goes back', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: MAX_TERM - 4, max: MAX_TERM }),
        fc.boolean(),
        fc.array(action, { maxLength: 60 }),
        (start, preVote, actions) => {
          const c = makeCore({ preVote, hard: { term: start, votedFor: null } });
          let sent: Outgoing[] = [];
          let now = 0;
          let term = start;
          for (const a of actions) {
            now = a.kind === 'tick' ? Math.max(now, c.nextDeadline()) : now + 1;
            if (!Number.isFinite(now)) now = 0;
            const before = c.status();
            const input = toInput(a, now, sent);
            if (input === null) continue;
            const r: Ready = c.step(input);
            const s = c.status();
            expect(isTermWithinBound(s.term)).toBe(true);
            expect(s.term).toBeGreaterThanOrEqual(term);
            term = s.term;
            if (r.persist) expect(isTermWithinBound(r.persist.term)).toBe(true);
            for (const m of r.messages) expect(termAboveBound(m)).toBeNull();
            if (r.reply) expect(r.reply.term).toBeLessThanOrEqual(MAX_TERM);
            // A request past the bound changes nothing and is never granted.
            if (input.kind === 'request' && termAboveBound(input.rpc) !== null) {
              expect(r.persist).toBeNull();
              expect({ term: s.term, votedFor: s.votedFor, role: s.role }).toEqual({ term: before.term, votedFor: before.votedFor, role: before.role });
              expect(r.reply).not.toMatchObject({ voteGranted: true });
              expect(r.reply).not.toMatchObject({ success: true });
            }
            sent = [...sent, ...r.messages].slice(-20);
          }
        },
      ),
      { seed: 16, numRuns: 300 },
    );
  });

  it('a request-vote at 2^53-1 from a real peer is refused and changes nothing (issue 16)', () => {
    const c = makeCore({ hard: { term: 3, votedFor: null } });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', Number.MAX_SAFE_INTEGER) } });
    expect(r.reply).toEqual({ term: 3, voteGranted: false });
    expect(r.persist).toBeNull();
    expect(r.events).toMatchObject([{ kind: 'vote', granted: false, reason: 'term-above-bound:term' }]);
    expect(c.status()).toMatchObject({ term: 3, votedFor: null, role: 'follower' });
  });

  it('a term exactly at the bound is accepted (a node may follow and vote in it)', () => {
    const c = makeCore({ hard: { term: 3, votedFor: null } });
    const r = c.step({ kind: 'request', now: 1, from: 'n2', rpc: { type: 'request-vote', body: voteReq('n2', MAX_TERM) } });
    expect(r.reply).toEqual({ term: MAX_TERM, voteGranted: true });
    expect(r.persist).toEqual({ term: MAX_TERM, votedFor: 'n2' });
  });

  it('a reply with a term above the bound is not learned from', () => {
    const c = makeCore({ preVote: false, hard: { term: 3, votedFor: null } });
    const campaign = fireTimer(c);
    const r = c.step({ kind: 'reply', now: c.nextDeadline() - 1, request: campaign.messages[0]!, reply: { term: MAX_TERM + 1, voteGranted: false } });
    expect(r.persist).toBeNull();
    expect(c.status()).toMatchObject({ role: 'candidate', term: 4 });
  });

  it.each([false, true])('with Pre-Vote %s, a node one below the bound campaigns to it, then stops campaigning with one term-exhausted event', (preVote) => {
    const c = makeCore({ preVote, hard: { term: MAX_TERM - 1, votedFor: null } });
    let r = fireTimer(c);
    if (preVote) {
      expect(r.messages.every((m) => m.type === 'pre-vote' && m.body.term === MAX_TERM)).toBe(true);
      r = c.step({ kind: 'reply', now: c.nextDeadline() - 1, request: r.messages[0]!, reply: { term: MAX_TERM, voteGranted: true } });
    }
    expect(c.status()).toMatchObject({ role: 'candidate', term: MAX_TERM });
    expect(r.persist).toEqual({ term: MAX_TERM, votedFor: 'n1' });
    const exhausted: string[] = [];
    for (let i = 0; i < 5; i++) {
      const t = fireTimer(c);
      expect(t.persist).toBeNull();
      expect(t.messages).toEqual([]);
      exhausted.push(...t.events.filter((e) => e.kind === 'term-exhausted').map((e) => e.kind));
    }
    expect(exhausted).toEqual(['term-exhausted']);
    expect(c.status()).toMatchObject({ role: 'follower', term: MAX_TERM, votedFor: 'n1' });
    expect(Number.isFinite(c.nextDeadline())).toBe(true);
    // It still follows a leader of its term.
    const hb = c.step({ kind: 'request', now: c.nextDeadline() - 1, from: 'n2', rpc: heartbeat('n2', MAX_TERM) });
    expect(hb.reply).toEqual({ term: MAX_TERM, success: true });
    expect(c.status().leader).toBe('n2');
  });

  it('termAboveBound names the field', () => {
    expect(termAboveBound({ type: 'pre-vote', body: voteReq('n2', 1, 0, MAX_TERM + 1) })).toEqual({ field: 'lastLogTerm', value: MAX_TERM + 1 });
    expect(
      termAboveBound({ type: 'append-entries', body: { ...heartbeat('n2', 5).body, prevLogIndex: 0, entries: [{ index: 1, term: MAX_TERM + 2 }] } }),
    ).toEqual({ field: 'entries[0].term', value: MAX_TERM + 2 });
    expect(termAboveBound({ type: 'request-vote', body: voteReq('n2', MAX_TERM) })).toBeNull();
  });
});
