import { describe, expect, it } from 'vitest';
import { MAX_TERM } from '../core/term-bound.js';
import { checkAppendEntries, checkAppendReply, checkRpcReply, checkRpcRequest, checkVoteReply, checkVoteRequest } from './validate.js';

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

describe('the server\'s whole verdict on a request (checkRpcRequest), shared with the simulation', () => {
  const peers = ['n1', 'n2'];
  it('accepts a peer\'s well-formed request and names the body\'s sender', () => {
    expect(checkRpcRequest('pre-vote', vote, peers)).toEqual({ ok: true, from: 'n2', rpc: { type: 'pre-vote', body: vote } });
    expect(checkRpcRequest('append-entries', ae, peers)).toEqual({ ok: true, from: 'n2', rpc: { type: 'append-entries', body: ae } });
  });
  it('refuses a malformed body, a sender that is not a peer (or the node itself), a term above the bound', () => {
    expect(checkRpcRequest('request-vote', { ...vote, term: 'x' }, peers)).toEqual({ ok: false, error: '"term" must be an integer' });
    expect(checkRpcRequest('request-vote', { ...vote, candidateId: 'n3' }, peers)).toEqual({ ok: false, error: 'n3 is not a peer of this node (its peers: n1, n2)' });
    expect(checkRpcRequest('append-entries', { ...ae, leaderId: 'n3' }, peers).ok).toBe(false);
    const above = checkRpcRequest('request-vote', { ...vote, lastLogTerm: MAX_TERM + 1 }, peers);
    expect(above).toEqual({ ok: false, error: `"lastLogTerm" ${MAX_TERM + 1} is above the term bound ${MAX_TERM} (node/API.md)`, aboveBound: { from: 'n2', field: 'lastLogTerm', value: MAX_TERM + 1 } });
    expect(checkRpcRequest('request-vote', { ...vote, term: MAX_TERM }, peers).ok).toBe(true);
  });
  it('checks a reply by the type of the request it answers', () => {
    expect(checkRpcReply('pre-vote', { term: 2, voteGranted: true })).toEqual({ ok: true, value: { term: 2, voteGranted: true } });
    expect(checkRpcReply('request-vote', { voteGranted: false })).toEqual({ ok: false, error: 'missing field "term"' });
    expect(checkRpcReply('append-entries', { term: 2, voteGranted: true }).ok).toBe(false);
    expect(checkRpcReply('append-entries', { term: 2, success: false }).ok).toBe(true);
  });
});
