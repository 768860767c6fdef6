import { describe, expect, it } from 'vitest';
import { toPollEntry, toSubjectPollEntry } from './poll-entry.js';
import { courseSubject } from '../subject/course.js';

describe('toPollEntry', () => {
  it('keeps the status fields of an ok poll', () => {
    const body = { id: 'n1', state: 'follower', role: 'pre-candidate', term: 2, leader: null, votedFor: 'n3', bootId: 'b', pid: 1 };
    expect(toPollEntry('n1', { outcome: 'ok', body, latencyMs: 1.23456 }, 10, 20)).toEqual({
      type: 'poll', t: 10, wall: 20, node: 'n1', outcome: 'ok', latencyMs: 1.235,
      state: 'follower', role: 'pre-candidate', term: 2, leader: null, votedFor: 'n3', bootId: 'b',
    });
  });

  it('says why a poll failed, and treats a body without state as an error', () => {
    expect(toPollEntry('n1', { outcome: 'timeout', error: 'slow', latencyMs: 40 }, 1, 2)).toMatchObject({
      outcome: 'timeout', error: 'slow',
    });
    expect(toPollEntry('n1', { outcome: 'ok', body: { hello: 1 }, latencyMs: 1 }, 1, 2)).toMatchObject({
      outcome: 'error', error: '/status body lacks state or term',
    });
  });
});

describe('toSubjectPollEntry', () => {
  const spec = courseSubject('/').status;
  const raw = (code: number, text: string) => ({ outcome: 'ok' as const, body: { code, text }, latencyMs: 2 });

  it('reads a course status through the map: role, term, leader ("" is none), the boot the runtime names, no votedFor', () => {
    const e = toSubjectPollEntry('n1', raw(200, '{"id":"n1","state":"LEADER","term":3,"leader":"n1"}'), spec, 10, 1000, 'pid-7');
    expect(e).toEqual({ type: 'poll', t: 10, wall: 1000, node: 'n1', outcome: 'ok', latencyMs: 2, state: 'leader', term: 3, leader: 'n1', bootId: 'pid-7' });
    expect(toSubjectPollEntry('n2', raw(200, '{"state":"Follower","term":3,"leader":""}'), spec, 10, 1000).leader).toBeNull();
  });

  it('a 200 body the map cannot read is a malformed error quoting it; a 500 is an error, not malformed; a refusal stays a refusal', () => {
    const bad = toSubjectPollEntry('n1', raw(200, 'not json'), spec, 1, 1);
    expect(bad).toMatchObject({ outcome: 'error', malformed: true, error: '/status did not answer JSON; it answered 200 "not json"' });
    const e500 = toSubjectPollEntry('n1', raw(500, 'boom'), spec, 1, 1);
    expect(e500.outcome).toBe('error');
    expect(e500.malformed).toBeUndefined();
    expect(toSubjectPollEntry('n1', { outcome: 'refused', error: 'ECONNREFUSED', latencyMs: 1 }, spec, 1, 1)).toMatchObject({ outcome: 'refused' });
  });
});
