import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConfigError } from '../../../common/src/errors.js';
import { createRng } from '../util/rng.js';
import { majority, NoLeaderError, resolveOne, resolveTarget } from './targets.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const ctx = (leader: string | null, seed = 1) => ({ nodes, leader, rng: createRng(seed) });

describe('resolveTarget', () => {
  it('resolves ids and lists in cluster order, and rejects unknown ids', () => {
    expect(resolveTarget('n3', ctx(null))).toEqual(['n3']);
    expect(resolveTarget(['n4', 'n1', 'n4'], ctx(null))).toEqual(['n1', 'n4']);
    expect(() => resolveTarget('n9', ctx(null))).toThrow(/unknown node n9.*n1, n2, n3, n4, n5/);
    expect(() => resolveTarget([], ctx(null))).toThrow(ConfigError);
  });

  it('leader needs a leader: NoLeaderError (a ConfigError) otherwise', () => {
    expect(resolveTarget('leader', ctx('n2'))).toEqual(['n2']);
    expect(() => resolveTarget('leader', ctx(null))).toThrow(NoLeaderError);
    expect(() => resolveTarget('leader', ctx(null))).toThrow(ConfigError);
    expect(() => resolveTarget('minority-with-leader', ctx(null))).toThrow(NoLeaderError);
  });

  it('role targets have the right sizes and leader membership', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...nodes), (seed, leader) => {
        const c = ctx(leader, seed);
        const follower = resolveTarget('follower', c);
        expect(follower).toHaveLength(1);
        expect(follower).not.toContain(leader);
        const minority = resolveTarget('minority', c);
        expect(minority).toHaveLength(2);
        expect(minority).not.toContain(leader);
        const withLeader = resolveTarget('minority-with-leader', c);
        expect(withLeader).toHaveLength(2);
        expect(withLeader).toContain(leader);
        const maj = resolveTarget('majority', c);
        expect(maj).toHaveLength(majority(5));
        expect(maj).toContain(leader);
        expect(resolveTarget('all', c)).toEqual(nodes);
      }),
    );
  });

  it('is deterministic for a seed', () => {
    expect(resolveTarget('majority', ctx('n1', 9))).toEqual(resolveTarget('majority', ctx('n1', 9)));
  });

  it('resolveOne insists on one node', () => {
    expect(resolveOne('leader', ctx('n1'), 'bridge')).toBe('n1');
    expect(() => resolveOne('majority', ctx('n1'), 'bridge')).toThrow(/bridge needs exactly one node/);
  });
});
