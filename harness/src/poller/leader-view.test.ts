import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../../common/src/errors.js';
import type { PollEntry } from '../history/types.js';
import { LeaderView } from './leader-view.js';

const nodes = ['n1', 'n2', 'n3'];
function ok(node: string, t: number, state: 'leader' | 'follower' | 'candidate', term: number, leader: string | null): PollEntry {
  return { type: 'poll', t, wall: t, node, outcome: 'ok', latencyMs: 1, state, term, leader };
}
function failed(node: string, t: number): PollEntry {
  return { type: 'poll', t, wall: t, node, outcome: 'refused', latencyMs: 1, error: 'ECONNREFUSED' };
}

describe('LeaderView', () => {
  it('needs the leader itself and a majority in its term', () => {
    let now = 100;
    const v = new LeaderView({ nodes, now: () => now, staleMs: 250 });
    expect(v.current()).toBeNull();
    v.observe(ok('n1', 100, 'leader', 3, 'n1'));
    expect(v.current()).toBeNull(); // one of three
    v.observe(ok('n2', 100, 'follower', 3, 'n1'));
    expect(v.current()).toEqual({ node: 'n1', term: 3 });
    v.observe(failed('n1', 110)); // the leader stopped answering
    expect(v.current()).toBeNull();
    v.observe(ok('n1', 120, 'leader', 3, 'n1'));
    now = 400; // polls older than 250 ms say nothing
    expect(v.current()).toBeNull();
  });

  it('a stale leader in an older term does not hide the new one', () => {
    const v = new LeaderView({ nodes, now: () => 10 });
    v.observe(ok('n1', 10, 'leader', 3, 'n1'));
    v.observe(ok('n2', 10, 'leader', 4, 'n2'));
    v.observe(ok('n3', 10, 'follower', 4, 'n2'));
    expect(v.current()).toEqual({ node: 'n2', term: 4 });
    expect(v.describe()).toBe('n1 leader t3, n2 leader t4, n3 follower t4 (leader n2)');
  });

  it('waits for a settled leader, with exclusions, or times out saying what it saw', async () => {
    const v = new LeaderView({ nodes, now: () => 10 });
    v.observe(ok('n1', 10, 'leader', 1, 'n1'));
    v.observe(ok('n2', 10, 'follower', 1, 'n1'));
    await expect(v.waitForSettledLeader(1000)).resolves.toEqual({ node: 'n1', term: 1 });
    const next = v.waitForSettledLeader(1000, { exclude: 'n1', afterTerm: 1 });
    v.observe(ok('n2', 10, 'leader', 2, 'n2'));
    v.observe(ok('n3', 10, 'follower', 2, 'n2'));
    await expect(next).resolves.toEqual({ node: 'n2', term: 2 });
    const err = await v.waitForSettledLeader(30, { afterTerm: 5 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimeoutError);
    expect((err as Error).message).toMatch(/in a term after 5 within 30 ms; last polls: n1 leader t1/);
  });
});
