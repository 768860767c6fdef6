import fc from 'fast-check';
import type { LinkSelector, Target } from '../nemesis/types.js';

/**
 * fast-check arbitraries over targets and link selectors, shared by the fault kinds' random
 * generators, for a cluster of `n` nodes (n1..nN, n >= 3). Targets that must name one node
 * only ever do; explicit link pairs never join a node to itself. Shrinking: within a choice,
 * towards the first listed (the leader, where a target is asked for), so a shrunk fault is
 * usually the plainest of its kind. Callers must not reorder the choices: a seed's schedules
 * depend on them.
 */

/** n1..nN. */
export function idsOf(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/** A target that resolves to exactly one node: the leader, a follower, a random node, or an id. */
export function singleTargetArb(n: number): fc.Arbitrary<Target> {
  return fc.oneof(
    { arbitrary: fc.constantFrom<Target>('leader', 'follower', 'random'), weight: 3 },
    { arbitrary: fc.constantFrom<Target>(...idsOf(n)), weight: 1 },
  );
}

/** A target for process faults and isolation: one node, a minority, or a majority (never `all`). */
export function groupTargetArb(n: number): fc.Arbitrary<Target> {
  return fc.oneof(
    { arbitrary: singleTargetArb(n), weight: 4 },
    { arbitrary: fc.constantFrom<Target>('minority', 'minority-with-leader'), weight: 2 },
    { arbitrary: fc.constant<Target>('majority'), weight: 1 },
  );
}

/** Which directed links a link fault hits: all, around a node, or one direction of some pairs. */
export function linkSelectorArb(n: number): fc.Arbitrary<LinkSelector> {
  const pair = fc
    .record({ from: fc.integer({ min: 0, max: n - 1 }), offset: fc.integer({ min: 1, max: n - 1 }) })
    .map(({ from, offset }): LinkSelector => ({ from: `n${from + 1}`, to: `n${((from + offset) % n) + 1}` }));
  return fc.oneof(
    { arbitrary: singleTargetArb(n).map((t): LinkSelector => ({ around: t })), weight: 3 },
    { arbitrary: fc.constant<LinkSelector>('all'), weight: 1 },
    {
      arbitrary: fc.constantFrom<LinkSelector>(
        { from: 'leader', to: 'all' },
        { from: 'all', to: 'leader' },
        { from: 'leader', to: 'follower' },
        { from: 'follower', to: 'leader' },
      ),
      weight: 2,
    },
    { arbitrary: pair, weight: 1 },
  );
}
