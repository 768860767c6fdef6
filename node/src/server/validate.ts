import { ID_PATTERN } from '../config.js';
import { MAX_TERM, termAboveBound } from '../core/term-bound.js';
import type { AppendEntriesReply, AppendEntriesRequest, LogEntry, NodeId, Rpc, RpcReply, VoteReply, VoteRequest } from '../core/types.js';

/** A validation outcome: the typed value, or why the input was refused. */
export type Checked<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** Most entries accepted in one AppendEntries (the body limit bounds them too). */
export const MAX_ENTRIES = 1000;

type Obj = Record<string, unknown>;

class Invalid extends Error {}

function object(v: unknown, keys: readonly string[]): Obj {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Invalid('body must be a JSON object');
  const o = v as Obj;
  for (const k of Object.keys(o)) if (!keys.includes(k)) throw new Invalid(`unknown field "${k}"`);
  for (const k of keys) if (!(k in o)) throw new Invalid(`missing field "${k}"`);
  return o;
}

function count(o: Obj, k: string): number {
  const v = o[k];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Invalid(`"${k}" must be an integer`);
  if (v < 0) throw new Invalid(`"${k}" must not be negative`);
  if (!Number.isSafeInteger(v)) throw new Invalid(`"${k}" is too large`);
  return v;
}

function id(o: Obj, k: string): string {
  const v = o[k];
  if (typeof v !== 'string' || !ID_PATTERN.test(v)) throw new Invalid(`"${k}" must be an id matching [A-Za-z0-9_.-]{1,64}`);
  return v;
}

function bool(o: Obj, k: string): boolean {
  if (typeof o[k] !== 'boolean') throw new Invalid(`"${k}" must be a boolean`);
  return o[k] as boolean;
}

function check<T>(f: () => T): Checked<T> {
  try {
    return { ok: true, value: f() };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, error: e.message };
    throw e;
  }
}

/** Checks a request-vote or pre-vote body. Pure; never throws. */
export function checkVoteRequest(v: unknown): Checked<VoteRequest> {
  return check(() => {
    const o = object(v, ['term', 'candidateId', 'lastLogIndex', 'lastLogTerm']);
    return { term: count(o, 'term'), candidateId: id(o, 'candidateId'), lastLogIndex: count(o, 'lastLogIndex'), lastLogTerm: count(o, 'lastLogTerm') };
  });
}

/** Checks an append-entries body: entries are {index, term}, contiguous from prevLogIndex+1. */
export function checkAppendEntries(v: unknown): Checked<AppendEntriesRequest> {
  return check(() => {
    const o = object(v, ['term', 'leaderId', 'prevLogIndex', 'prevLogTerm', 'entries', 'leaderCommit']);
    const prevLogIndex = count(o, 'prevLogIndex');
    if (!Array.isArray(o.entries)) throw new Invalid('"entries" must be an array');
    if (o.entries.length > MAX_ENTRIES) throw new Invalid(`"entries" has more than ${MAX_ENTRIES} items`);
    const entries: LogEntry[] = o.entries.map((e: unknown, i: number) => {
      const eo = object(e, ['index', 'term']);
      const entry = { index: count(eo, 'index'), term: count(eo, 'term') };
      if (entry.index !== prevLogIndex + 1 + i) throw new Invalid(`entries[${i}].index must be ${prevLogIndex + 1 + i}`);
      return entry;
    });
    return {
      term: count(o, 'term'),
      leaderId: id(o, 'leaderId'),
      prevLogIndex,
      prevLogTerm: count(o, 'prevLogTerm'),
      entries,
      leaderCommit: count(o, 'leaderCommit'),
    };
  });
}

/** Checks a peer's reply to a vote or pre-vote. */
export function checkVoteReply(v: unknown): Checked<VoteReply> {
  return check(() => {
    const o = object(v, ['term', 'voteGranted']);
    return { term: count(o, 'term'), voteGranted: bool(o, 'voteGranted') };
  });
}

/** Checks a peer's reply to append-entries. */
export function checkAppendReply(v: unknown): Checked<AppendEntriesReply> {
  return check(() => {
    const o = object(v, ['term', 'success']);
    return { term: count(o, 'term'), success: bool(o, 'success') };
  });
}

/**
 * The verdict on a peer's request, as the server gives it before the core sees the request:
 * `ok` with the sender named in the body (the node hands the core that sender), or refused
 * (HTTP 400) with the reason; `aboveBound` names the field when the refusal is a term above
 * MAX_TERM (the server logs those). One decision for the server and the simulation.
 */
export type CheckedRequest =
  | { readonly ok: true; readonly from: NodeId; readonly rpc: Rpc }
  | { readonly ok: false; readonly error: string; readonly aboveBound?: { readonly from: NodeId; readonly field: string; readonly value: number } };

/**
 * Checks a request body of RPC `type` sent to a node whose peers are `peers`: the body's shape,
 * its sender (candidateId / leaderId) is one of the peers (the cluster is fixed; a stranger or
 * the node itself is refused, never obeyed), and no term-valued field is above MAX_TERM. Pure;
 * never throws.
 */
export function checkRpcRequest(type: Rpc['type'], body: unknown, peers: readonly NodeId[]): CheckedRequest {
  let rpc: Rpc;
  if (type === 'append-entries') {
    const c = checkAppendEntries(body);
    if (!c.ok) return c;
    rpc = { type, body: c.value };
  } else {
    const c = checkVoteRequest(body);
    if (!c.ok) return c;
    rpc = { type, body: c.value };
  }
  const from = rpc.type === 'append-entries' ? rpc.body.leaderId : rpc.body.candidateId;
  if (!peers.includes(from)) return { ok: false, error: `${from} is not a peer of this node (its peers: ${peers.join(', ')})` };
  const above = termAboveBound(rpc);
  if (above) return { ok: false, error: `"${above.field}" ${above.value} is above the term bound ${MAX_TERM} (node/API.md)`, aboveBound: { from, ...above } };
  return { ok: true, from, rpc };
}

/**
 * Checks a peer's reply to a request of RPC `type`: a malformed one is, for the requester, a
 * failed RPC (raft-node.ts feeds the core a `failure` with the error; so does the simulation).
 * A term above MAX_TERM passes here: the core ignores such a reply itself. Pure; never throws.
 */
export function checkRpcReply(type: Rpc['type'], raw: unknown): Checked<RpcReply> {
  return type === 'append-entries' ? checkAppendReply(raw) : checkVoteReply(raw);
}
