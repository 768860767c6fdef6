import type { NodeRole, StatusSpec } from './types.js';

/** A status body read through a subject's map. */
export interface NormalizedStatus {
  readonly state: NodeRole;
  readonly term: number;
  /** The leader this node knows for `term`, or null. */
  readonly leader: string | null;
  /** Present only when the subject's status has a votedFor field. */
  readonly votedFor?: string | null;
  /** Present only when the subject's status has an id field and the body holds it. */
  readonly id?: string;
}

/** What reading one status answer gave: the status, or why not with what came back. */
export type StatusReading = { readonly ok: true; readonly status: NormalizedStatus } | { readonly ok: false; readonly error: string };

const SHOWN = 200;

/**
 * Reads one answer of `GET spec.path` (`httpStatus` and the body text) through the subject's
 * map. Never throws: a non-200 answer, a body that is not JSON, a missing field, a term that is
 * not a whole number or a state the map does not know give `{ok: false, error}` naming the
 * field and quoting what came back (at most 200 characters), for the observation check.
 */
export function readStatus(spec: StatusSpec, httpStatus: number, body: string): StatusReading {
  const shown = JSON.stringify(body.length > SHOWN ? `${body.slice(0, SHOWN)}...` : body);
  const fail = (why: string): StatusReading => ({ ok: false, error: `${spec.path} ${why}; it answered ${httpStatus} ${shown}` });
  if (httpStatus !== 200) return fail('did not answer 200');
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return fail('did not answer JSON');
  }
  const f = spec.fields;
  const state = at(json, f.state);
  if (state === undefined) return fail(`has no ${f.state} (the state field)`);
  const role = typeof state === 'string' || typeof state === 'number' ? spec.states[String(state)] : undefined;
  if (role === undefined || !Object.hasOwn(spec.states, String(state))) {
    return fail(`has state ${JSON.stringify(state)} at ${f.state}, which the subject's states map does not know (it knows ${Object.keys(spec.states).map((s) => JSON.stringify(s)).join(', ')})`);
  }
  const term = at(json, f.term);
  if (term === undefined) return fail(`has no ${f.term} (the term field)`);
  if (typeof term !== 'number' || !Number.isSafeInteger(term) || term < 0) return fail(`has term ${JSON.stringify(term)} at ${f.term}, not a whole number >= 0`);
  const leader = nodeRef(json, f.leader, spec.noLeader);
  if (leader === undefined) return fail(`has no ${f.leader} (the leader field; null when there is none)`);
  if (leader === false) return fail(`has leader ${JSON.stringify(at(json, f.leader))} at ${f.leader}, not a node id or null`);
  let status: NormalizedStatus = { state: role, term, leader };
  if (f.votedFor !== undefined) {
    const v = nodeRef(json, f.votedFor, spec.noLeader);
    if (v === undefined) return fail(`has no ${f.votedFor} (the votedFor field; null when it has not voted)`);
    if (v === false) return fail(`has votedFor ${JSON.stringify(at(json, f.votedFor))} at ${f.votedFor}, not a node id or null`);
    status = { ...status, votedFor: v };
  }
  // The id only confirms which node answered: a body without it is still read.
  const id = f.id === undefined ? undefined : at(json, f.id);
  if (id !== undefined) {
    if (typeof id !== 'string' && typeof id !== 'number') return fail(`has id ${JSON.stringify(id)} at ${f.id}, not a node id`);
    status = { ...status, id: String(id) };
  }
  return { ok: true, status };
}

/** The value at dotted `path` in `json`, or undefined when any step is missing. */
function at(json: unknown, path: string): unknown {
  let v: unknown = json;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** A node id (string; numbers as text), null for "none", undefined when absent, false when malformed. */
function nodeRef(json: unknown, path: string, none: readonly (string | number)[]): string | null | undefined | false {
  const v = at(json, path);
  if (v === undefined) return undefined;
  if (v === null || none.includes(v as string | number)) return null;
  if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return String(v);
  return false;
}
