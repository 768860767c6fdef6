import { describe, expect, it } from 'vitest';
import { courseSubject } from './course.js';
import { raftChaosSubject } from './raft-chaos.js';
import { readStatus } from './status.js';
import type { StatusSpec } from './types.js';

const course = courseSubject('/tmp').status;
const etcdLike: StatusSpec = {
  path: '/debug/raft',
  fields: { state: 'raft.state', term: 'raft.term', leader: 'raft.lead', votedFor: 'raft.vote' },
  states: { StateFollower: 'follower', StateCandidate: 'candidate', StatePreCandidate: 'follower', StateLeader: 'leader' },
  noLeader: [0],
};

describe('readStatus', () => {
  it("reads the course chapter's status", () => {
    expect(readStatus(course, 200, '{"id":"node1","state":"leader","term":3,"leader":"node1"}')).toEqual({
      ok: true,
      status: { state: 'leader', term: 3, leader: 'node1', id: 'node1' },
    });
    expect(readStatus(course, 200, '{"id":"node2","state":"FOLLOWER","term":0,"leader":null}')).toEqual({
      ok: true,
      status: { state: 'follower', term: 0, leader: null, id: 'node2' },
    });
    const py = readStatus(course, 200, '{"id": "n3", "state": "NodeState.CANDIDATE", "term": 7, "leader": ""}');
    expect(py).toEqual({ ok: true, status: { state: 'candidate', term: 7, leader: null, id: 'n3' } });
  });

  it("reads our node's status with votedFor", () => {
    const r = readStatus(raftChaosSubject.status, 200, JSON.stringify({ id: 'n1', state: 'follower', role: 'pre-candidate', term: 4, leader: 'n2', votedFor: 'n2', pid: 1 }));
    expect(r).toEqual({ ok: true, status: { state: 'follower', term: 4, leader: 'n2', votedFor: 'n2', id: 'n1' } });
  });

  it('follows dotted paths, maps StateLeader-style values, numeric ids and a "no leader" number', () => {
    const body = JSON.stringify({ raft: { state: 'StateLeader', term: 9, lead: 2, vote: 2 } });
    expect(readStatus(etcdLike, 200, body)).toEqual({ ok: true, status: { state: 'leader', term: 9, leader: '2', votedFor: '2' } });
    const none = JSON.stringify({ raft: { state: 'StatePreCandidate', term: 9, lead: 0, vote: 0 } });
    expect(readStatus(etcdLike, 200, none)).toEqual({ ok: true, status: { state: 'follower', term: 9, leader: null, votedFor: null } });
  });

  it.each([
    [503, '{"error":"busy"}', /^\/status did not answer 200; it answered 503 "\{\\"error\\":\\"busy\\"\}"$/],
    [200, '<html>hi</html>', /did not answer JSON; it answered 200 "<html>hi<\/html>"/],
    [200, '{"state":"leader","leader":null}', /has no term \(the term field\)/],
    [200, '{"term":1,"leader":null}', /has no state \(the state field\)/],
    [200, '{"state":"LEADING","term":1,"leader":null}', /has state "LEADING" at state, which the subject's states map does not know \(it knows "follower", "FOLLOWER"/],
    [200, '{"state":"toString","term":1,"leader":null}', /has state "toString"/],
    [200, '{"state":"leader","term":"3","leader":null}', /has term "3" at term, not a whole number >= 0/],
    [200, '{"state":"leader","term":-1,"leader":null}', /has term -1/],
    [200, '{"state":"leader","term":1.5,"leader":null}', /has term 1.5/],
    [200, '{"state":"leader","term":1}', /has no leader \(the leader field; null when there is none\)/],
    [200, '{"state":"leader","term":1,"leader":{"id":"n1"}}', /has leader \{"id":"n1"\} at leader, not a node id or null/],
    [200, '[1,2]', /has no state/],
    [200, 'null', /has no state/],
    [200, '', /did not answer JSON; it answered 200 ""/],
  ])('says what came back instead of throwing (%i %s)', (code, body, message) => {
    const r = readStatus(course, code, body);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('cuts what it quotes to 200 characters', () => {
    const r = readStatus(course, 200, `{"x":"${'a'.repeat(500)}"}`);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.length).toBeLessThan(320);
  });

  it('reads a body without the id (the id only confirms which node answered), refuses a malformed one', () => {
    expect(readStatus(course, 200, '{"state":"follower","term":2,"leader":"b"}')).toEqual({ ok: true, status: { state: 'follower', term: 2, leader: 'b' } });
    expect(readStatus(course, 200, '{"id":["a"],"state":"follower","term":2,"leader":"b"}')).toEqual({ ok: false, error: expect.stringMatching(/has id \["a"\] at id, not a node id/) });
  });

  it('reports a missing votedFor when the subject says it has one', () => {
    const r = readStatus(raftChaosSubject.status, 200, '{"id":"n1","state":"leader","term":1,"leader":"n1"}');
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/has no votedFor/) });
  });
});
