import type { PollEntry } from '../history/types.js';
import type { GetResult } from './http-get.js';
import { readStatus } from '../subject/status.js';
import type { StatusSpec } from '../subject/types.js';

/** The fields of `/status` the history keeps (node/API.md): a poll entry's, plus the node's id. */
type StatusBody = Partial<Pick<PollEntry, 'state' | 'role' | 'term' | 'leader' | 'votedFor' | 'bootId'>> & { id?: string };

/** A status GET's result as a `poll` entry stamped `t`/`wall` (when the answer arrived). */
export function toPollEntry(node: string, result: GetResult, t: number, wall: number): PollEntry {
  const latencyMs = round(result.latencyMs);
  if (result.outcome !== 'ok') {
    return { type: 'poll', t, wall, node, outcome: result.outcome, latencyMs, error: result.error };
  }
  const s = result.body as StatusBody;
  if (typeof s !== 'object' || s === null || typeof s.term !== 'number' || typeof s.state !== 'string') {
    return { type: 'poll', t, wall, node, outcome: 'error', latencyMs, error: '/status body lacks state or term' };
  }
  const entry: PollEntry = { type: 'poll', t, wall, node, outcome: 'ok', latencyMs, state: s.state, term: s.term };
  if (s.role !== undefined) entry.role = s.role;
  entry.leader = s.leader ?? null;
  entry.votedFor = s.votedFor ?? null;
  if (s.bootId !== undefined) entry.bootId = s.bootId;
  return entry;
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/**
 * A raw status GET (`getJson` with `raw`) of a subject's node read through its status map as a
 * `poll` entry: `votedFor` only when the subject's status has it, `bootId` from the runtime
 * (the process that answered). A 200 body the map cannot read is `error` with `malformed` and
 * the reading's error quoting what came back; a non-200 answer is `error` too.
 */
export function toSubjectPollEntry(node: string, result: GetResult, spec: StatusSpec, t: number, wall: number, bootId?: string): PollEntry {
  const latencyMs = round(result.latencyMs);
  if (result.outcome !== 'ok') {
    return { type: 'poll', t, wall, node, outcome: result.outcome, latencyMs, error: result.error };
  }
  const { code, text } = result.body as { code: number; text: string };
  const reading = readStatus(spec, code, text);
  if (!reading.ok) {
    return { type: 'poll', t, wall, node, outcome: 'error', latencyMs, error: reading.error, ...(code === 200 ? { malformed: true as const } : {}) };
  }
  const s = reading.status;
  const entry: PollEntry = { type: 'poll', t, wall, node, outcome: 'ok', latencyMs, state: s.state, term: s.term, leader: s.leader };
  if (s.votedFor !== undefined) entry.votedFor = s.votedFor;
  if (bootId !== undefined) entry.bootId = bootId;
  return entry;
}
