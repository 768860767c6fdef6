import { describe, expect, it } from 'vitest';
import { checkAppendEntries, checkAppendReply, checkVoteReply, checkVoteRequest } from './validate.js';

const vote = { term: 3, candidateId: 'n2', lastLogIndex: 0, lastLogTerm: 0 };
const ae = { term: 3, leaderId: 'n2', prevLogIndex: 1, prevLogTerm: 1, entries: [{ index: 2, term: 3 }], leaderCommit: 0 };

describe('request validation', () => {
  it('accepts well-formed bodies', () => {
    expect(checkVoteRequest(vote)).toEqual({ ok: true, value: vote });
    expect(checkAppendEntries(ae)).toEqual({ ok: true, value: ae });
    expect(checkVoteReply({ term: 1, voteGranted: false }).ok).toBe(true);
    expect(checkAppendReply({ term: 1, success: true }).ok).toBe(true);
  });

  it.each([
    ['not an object', null, 'object'],
    ['array', [], 'object'],
    ['missing field', { term: 1, candidateId: 'n2', lastLogIndex: 0 }, 'lastLogTerm'],
    ['unknown field', { ...vote, extra: 1 }, 'extra'],
    ['negative', { ...vote, term: -1 }, 'negative'],
    ['fraction', { ...vote, term: 1.5 }, 'integer'],
    ['huge', { ...vote, term: 2 ** 53 }, 'too large'],
    ['string number', { ...vote, term: '3' }, 'integer'],
    ['bad id', { ...vote, candidateId: '' }, 'candidateId'],
    ['long id', { ...vote, candidateId: 'x'.repeat(65) }, 'candidateId'],
  ])('refuses a vote request: %s', (_name, body, why) => {
    const r = checkVoteRequest(body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(why);
  });

  it('refuses append-entries with bad entries', () => {
    expect(checkAppendEntries({ ...ae, entries: {} }).ok).toBe(false);
    expect(checkAppendEntries({ ...ae, entries: [{ index: 3, term: 1 }] }).ok).toBe(false);
    expect(checkAppendEntries({ ...ae, entries: [{ index: 2 }] }).ok).toBe(false);
    expect(checkAppendReply({ term: 1, success: 'yes' }).ok).toBe(false);
  });
});
