import { describe, expect, it } from 'vitest';
import { toPollEntry } from './poll-entry.js';

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
