import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../../common/src/errors.js';
import { createRng } from '../util/rng.js';
import type { Cut } from '../history/types.js';
import { bridge, groups, halves, isolate, majoritiesRing, oneWay, partitionFromSpec } from './partitions.js';
import { reachability } from './reachability.js';
import { majority, NoLeaderError } from './targets.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `n${i + 1}`);
const key = ([a, b]: Cut) => `${a}>${b}`;
const symmetric = (cuts: readonly Cut[]) => {
  const s = new Set(cuts.map(key));
  return cuts.every(([a, b]) => s.has(`${b}>${a}`));
};
const noDupOrSelf = (cuts: readonly Cut[]) => new Set(cuts.map(key)).size === cuts.length && cuts.every(([a, b]) => a !== b);

const cluster = fc.record({ n: fc.integer({ min: 2, max: 9 }), seed: fc.integer(), leaderIx: fc.nat() });

describe('halves', () => {
  it('puts every node on exactly one side, sized floor/ceil, with symmetric cuts', () => {
    fc.assert(
      fc.property(cluster, fc.constantFrom('leader-minority', 'leader-majority', 'random' as const), ({ n, seed, leaderIx }, mode) => {
        const nodes = ids(n);
        const leader = nodes[leaderIx % n]!;
        const p = halves({ nodes, leader, rng: createRng(seed) }, mode);
        const [a, b] = p.sides!;
        expect([...a!, ...b!].sort()).toEqual(nodes.slice().sort());
        expect(a!.length).toBe(Math.floor(n / 2));
        expect(b!.length).toBe(Math.ceil(n / 2));
        expect(symmetric(p.cuts) && noDupOrSelf(p.cuts)).toBe(true);
        expect(p.cuts).toHaveLength(2 * a!.length * b!.length);
        if (mode === 'leader-minority') expect(a).toContain(leader);
        if (mode === 'leader-majority') expect(b).toContain(leader);
        const r = reachability(nodes, p.cuts);
        if (mode === 'leader-minority' && n % 2 === 1) expect(r.hasMajority(leader)).toBe(false);
        if (mode === 'leader-majority' && n % 2 === 1) expect(r.hasMajority(leader)).toBe(true);
      }),
    );
  });

  it('needs a leader for the leader modes', () => {
    expect(() => halves({ nodes: ids(5), leader: null, rng: createRng(1) }, 'leader-minority')).toThrow(NoLeaderError);
  });
});

describe('majoritiesRing', () => {
  it('every node sees a majority (counting itself), cuts are symmetric, and not all see the same', () => {
    fc.assert(
      fc.property(fc.integer({ min: 4, max: 11 }), fc.integer(), (n, seed) => {
        const nodes = ids(n);
        const p = majoritiesRing({ nodes, leader: null, rng: createRng(seed) });
        const r = reachability(nodes, p.cuts);
        for (const node of nodes) expect(r.hasMajority(node)).toBe(true);
        expect(symmetric(p.cuts) && noDupOrSelf(p.cuts)).toBe(true);
        expect(p.cuts.length).toBeGreaterThan(0);
        const views = new Set(nodes.map((x) => [x, ...r.twoWayPeers(x)].sort().join(',')));
        expect(views.size).toBe(n);
      }),
    );
  });

  it('five nodes: each sees exactly two others', () => {
    const nodes = ids(5);
    const r = reachability(nodes, majoritiesRing({ nodes, leader: 'n1', rng: createRng(3) }).cuts);
    for (const x of nodes) expect(r.twoWayPeers(x)).toHaveLength(majority(5) - 1);
  });

  it('refuses clusters under 4 nodes', () => {
    expect(() => majoritiesRing({ nodes: ids(3), leader: null, rng: createRng(1) })).toThrow(ConfigError);
  });
});

describe('bridge', () => {
  it('the bridge sees everyone; the halves do not see each other', () => {
    fc.assert(
      fc.property(fc.integer({ min: 3, max: 9 }), fc.integer(), (n, seed) => {
        const nodes = ids(n);
        const p = bridge({ nodes, leader: null, rng: createRng(seed) }, 'n1');
        const r = reachability(nodes, p.cuts);
        expect(r.twoWayPeers('n1')).toHaveLength(n - 1);
        expect(symmetric(p.cuts) && noDupOrSelf(p.cuts)).toBe(true);
        expect(p.cuts.some(([a, b]) => a === 'n1' || b === 'n1')).toBe(false);
        if (n === 5) for (const x of nodes) expect(r.hasMajority(x)).toBe(true);
      }),
    );
  });
});

describe('isolate and oneWay', () => {
  it('isolate cuts the node off both ways', () => {
    const nodes = ids(5);
    const p = isolate(nodes, 'n3');
    expect(p.cuts).toHaveLength(8);
    expect(symmetric(p.cuts)).toBe(true);
    expect(p.label).toBe('isolate n3');
    expect(() => isolate(nodes, 'n9')).toThrow(ConfigError);
    expect(() => isolate(nodes, nodes)).toThrow(/no second side/);
  });

  it('oneWay cuts one direction only', () => {
    const nodes = ids(3);
    expect(oneWay(nodes, 'n1', 'inbound').cuts).toEqual([['n2', 'n1'], ['n3', 'n1']]);
    expect(oneWay(nodes, 'n1', 'outbound').cuts).toEqual([['n1', 'n2'], ['n1', 'n3']]);
  });
});

describe('groups', () => {
  const nodes = ids(5);
  it('parses "a,b|c,d,e" into sides with symmetric cuts', () => {
    const p = groups(nodes, 'n1,n2|n3,n4,n5');
    expect(p.sides).toEqual([['n1', 'n2'], ['n3', 'n4', 'n5']]);
    expect(p.cuts).toHaveLength(12);
    expect(symmetric(p.cuts)).toBe(true);
    expect(groups(nodes, [['n1', 'n2'], ['n3', 'n4', 'n5']]).cuts).toEqual(p.cuts);
  });

  it('puts nodes not named on one more side together', () => {
    expect(groups(nodes, 'n1|n2').sides).toEqual([['n1'], ['n2'], ['n3', 'n4', 'n5']]);
    expect(groups(nodes, 'n1,n2').sides).toEqual([['n1', 'n2'], ['n3', 'n4', 'n5']]);
  });

  it('names the problem in bad specs', () => {
    expect(() => groups(nodes, 'n1,n9|n2')).toThrow(/unknown node n9/);
    expect(() => groups(nodes, 'n1,n2|n2,n3')).toThrow(/n2 is in more than one group/);
    expect(() => groups(nodes, 'n1,|n2')).toThrow(/empty/);
    expect(() => groups(nodes, 'n1,n2,n3,n4,n5')).toThrow(/at least two sides/);
  });
});

describe('partitionFromSpec', () => {
  it('dispatches each spec and resolves targets', () => {
    const ctx = { nodes: ids(5), leader: 'n2', rng: createRng(5) };
    expect(partitionFromSpec({ isolate: 'leader' }, ctx).sides).toEqual([['n2'], ['n1', 'n3', 'n4', 'n5']]);
    expect(partitionFromSpec({ halves: 'leader-minority' }, ctx).sides![0]).toContain('n2');
    expect(partitionFromSpec({ ring: 'majorities' }, ctx).cuts.length).toBe(10);
    expect(partitionFromSpec({ bridge: 'leader' }, ctx).label).toMatch(/^bridge n2/);
    expect(partitionFromSpec({ groups: 'n1|n2' }, ctx).sides).toHaveLength(3);
  });
});
