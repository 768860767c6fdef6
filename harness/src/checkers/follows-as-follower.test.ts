import { describe, expect, it } from 'vitest';
import { followsAsFollower } from './follows-as-follower.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];

describe('follows-as-follower', () => {
  it('valid: followers name the leader, a candidate names nobody', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 2, leader: 'n1' });
    h.poll('n3', { term: 3, state: 'candidate', leader: null }, 500).end(600);
    const r = followsAsFollower.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ polls: 31 });
  });

  it('invalid: a candidate names the leader of its own term for longer than the bound (candidate-ignores-leader)', () => {
    const h = new HistoryBuilder(nodes).start();
    for (let t = 0; t <= 400; t += 50) {
      h.round(t, { term: 2, leader: 'n1', only: ['n1', 'n2'] });
      h.poll('n3', { term: 2, state: 'candidate', leader: 'n1' }, t);
    }
    h.end(500);
    const r = followsAsFollower.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 stayed candidate in term 2 while naming n1 its leader, for 150 ms from 0 ms/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('a pre-candidate (state follower, role pre-candidate) counts too; one poll under the bound does not', () => {
    const pre = new HistoryBuilder(nodes).start();
    for (let t = 0; t <= 200; t += 50) pre.poll('n2', { term: 4, state: 'follower', role: 'pre-candidate', leader: 'n1' }, t);
    expect(followsAsFollower.check(pre.end(300).entries, pre.ctx()).verdict).toBe('invalid');
    const blip = new HistoryBuilder(nodes).start();
    blip.poll('n2', { term: 4, state: 'candidate', leader: 'n1' }, 0).poll('n2', { term: 4, state: 'candidate', leader: 'n1' }, 100);
    blip.poll('n2', { term: 4, leader: 'n1' }, 150).poll('n2', { term: 4, state: 'candidate', leader: 'n1' }, 200).end(300);
    expect(followsAsFollower.check(blip.entries, blip.ctx()).verdict).toBe('valid');
  });

  it('vacuous-pass guard: no poll answered is unknown, not valid', () => {
    const h = new HistoryBuilder(nodes).start().pollFail('n1', 'refused', 10).end(100);
    const r = followsAsFollower.check(h.entries, h.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.message).toMatch(/Not judged/);
  });
});
