import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.js';
import { ClusterView } from './cluster-view.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const feed = (h: HistoryBuilder) => {
  const v = new ClusterView(nodes);
  for (const e of h.entries) v.apply(e);
  return v;
};

describe('ClusterView', () => {
  it('a leader followed by a majority counting itself is settled', () => {
    const v = feed(new HistoryBuilder(nodes).round(10, { term: 2, leader: 'n1', only: ['n1', 'n2', 'n3'] }));
    expect(v.settled()).toMatchObject({ leader: 'n1', term: 2 });
    expect(v.settled(11)).toBeNull();
  });

  it('two followers are not enough in five, and a follower in another term does not count', () => {
    const h = new HistoryBuilder(nodes).round(10, { term: 2, leader: 'n1', only: ['n1', 'n2'] }).poll('n3', { term: 3, leader: 'n1' }, 10);
    expect(feed(h).settled()).toBeNull();
  });

  it('a killed node no longer counts', () => {
    const h = new HistoryBuilder(nodes).round(10, { term: 2, leader: 'n1', only: ['n1', 'n2', 'n3'] }).process('n3', 'kill', 20);
    expect(feed(h).settled()).toBeNull();
  });

  it('allFollowOne needs every node', () => {
    expect(feed(new HistoryBuilder(nodes).round(10, { term: 2, leader: 'n1' })).allFollowOne()).toEqual({ leader: 'n1', term: 2 });
    expect(feed(new HistoryBuilder(nodes).round(10, { term: 2, leader: 'n1', only: ['n1', 'n2', 'n3', 'n4'] })).allFollowOne()).toBeNull();
  });
});

describe('ClusterView: only followers follow', () => {
  it('a candidate naming the leader of its term does not count toward a settled leader nor convergence', () => {
    const three = ['n1', 'n2', 'n3'];
    const h = new HistoryBuilder(three).round(10, { term: 2, leader: 'n1', only: ['n1'] });
    h.poll('n2', { term: 2, state: 'candidate', leader: 'n1' }, 10).poll('n3', { term: 2, state: 'candidate', leader: 'n1' }, 10);
    const v = new ClusterView(three);
    for (const e of h.entries) v.apply(e);
    expect(v.settled()).toBeNull();
    expect(v.allFollowOne()).toBeNull();
    h.poll('n2', { term: 2, leader: 'n1' }, 20).poll('n3', { term: 2, role: 'pre-candidate', leader: 'n1' }, 20);
    const w = new ClusterView(three);
    for (const e of h.entries) w.apply(e);
    expect(w.settled()).toMatchObject({ leader: 'n1', term: 2 });
    expect(w.allFollowOne()).toBeNull();
  });
});
