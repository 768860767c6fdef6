import { describe, expect, it } from 'vitest';
import { reachability, removesLeader } from './reachability.js';
import { isolate, oneWay } from './partitions.js';
import type { Cut } from '../history/types.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];

describe('reachability', () => {
  it('an isolated node has no majority; the rest do', () => {
    const r = reachability(nodes, isolate(nodes, 'n1').cuts);
    expect(r.hasMajority('n1')).toBe(false);
    expect(r.component('n1')).toEqual(['n1']);
    expect(r.hasMajority('n2')).toBe(true);
    expect(r.inMajorityComponent('n2')).toBe(true);
  });

  it('a one-way cut breaks the two-way link', () => {
    const r = reachability(nodes, oneWay(nodes, 'n1', 'inbound').cuts);
    expect(r.canSend('n1', 'n2')).toBe(true);
    expect(r.canSend('n2', 'n1')).toBe(false);
    expect(r.twoWay('n1', 'n2')).toBe(false);
    expect(r.hasMajority('n1')).toBe(false);
  });

  it('down nodes count against the majority', () => {
    const r = reachability(nodes, [], ['n4', 'n5']);
    expect(r.hasMajority('n1')).toBe(true);
    const r2 = reachability(nodes, [], ['n3', 'n4', 'n5']);
    expect(r2.hasMajority('n1')).toBe(false);
    expect(r2.hasMajority('n4')).toBe(false);
  });

  it('direct majority is stricter than a majority component (chain)', () => {
    // n1 - n2 - n3 chain (n1 and n3 cannot talk), n4 and n5 down.
    const cuts: Cut[] = [['n1', 'n3'], ['n3', 'n1']];
    const r = reachability(nodes, cuts, ['n4', 'n5']);
    expect(r.inMajorityComponent('n1')).toBe(true);
    expect(r.hasMajority('n1')).toBe(false);
    expect(r.hasMajority('n2')).toBe(true);
  });

  it('removesLeader: null without a leader, true when killed or cut off, false otherwise', () => {
    expect(removesLeader(nodes, null, [])).toBeNull();
    expect(removesLeader(nodes, 'n1', [], ['n1'])).toBe(true);
    expect(removesLeader(nodes, 'n1', isolate(nodes, 'n1').cuts)).toBe(true);
    expect(removesLeader(nodes, 'n1', isolate(nodes, 'n2').cuts)).toBe(false);
  });
});
