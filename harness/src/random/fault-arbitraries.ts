import fc from 'fast-check';
import { nodeIds } from '../runner/options.js';
import type { FaultSpec, LinkSelector, PartitionSpec, Target } from '../scenario/types.js';

/**
 * fast-check arbitraries over the nemesis's whole fault vocabulary (scenario/types.ts), for a
 * cluster of `n` nodes (n1..nN, n >= 3). Every value they produce is a fault the runner can
 * apply to such a cluster: targets that must name one node (one-way, bridge) only ever do,
 * the majorities ring only appears from 4 nodes up, explicit link pairs never join a node to
 * itself. Durations scale with `electionTimeoutMax` (`e`).
 *
 * Shrinking: integers shrink towards their smallest meaningful value (shorter latencies,
 * smaller jitter); within a kind, choices shrink towards the first listed (the leader, where a
 * target is asked for), so a shrunk fault is usually the plainest of its kind.
 */

/** A target that resolves to exactly one node: the leader, a follower, a random node, or an id. */
export function singleTargetArb(n: number): fc.Arbitrary<Target> {
  return fc.oneof(
    { arbitrary: fc.constantFrom<Target>('leader', 'follower', 'random'), weight: 3 },
    { arbitrary: fc.constantFrom<Target>(...nodeIds(n)), weight: 1 },
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

/** Every partition shape: isolate, halves, ring (n >= 4), bridge, explicit groups. */
export function partitionSpecArb(n: number): fc.Arbitrary<PartitionSpec> {
  const ids = nodeIds(n);
  const groups = fc.array(fc.boolean(), { minLength: n, maxLength: n }).map((side): PartitionSpec => {
    // Both sides non-empty: the first node goes to the other side when all are on one.
    const a = ids.filter((_, i) => side[i]);
    const b = ids.filter((_, i) => !side[i]);
    if (a.length === 0) return { groups: [[ids[0]!], ids.slice(1)] };
    if (b.length === 0) return { groups: [ids.slice(1), [ids[0]!]] };
    return { groups: [a, b] };
  });
  const arbs: Array<fc.WeightedArbitrary<PartitionSpec>> = [
    { arbitrary: groupTargetArb(n).map((t): PartitionSpec => ({ isolate: t })), weight: 4 },
    { arbitrary: fc.constantFrom('leader-minority', 'leader-majority', 'random').map((h): PartitionSpec => ({ halves: h })), weight: 2 },
    { arbitrary: singleTargetArb(n).map((t): PartitionSpec => ({ bridge: t })), weight: 1 },
    { arbitrary: groups, weight: 1 },
  ];
  if (n >= 4) arbs.push({ arbitrary: fc.constant<PartitionSpec>({ ring: 'majorities' }), weight: 1 });
  return fc.oneof(...arbs);
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

/** Any fault of the vocabulary, weighted towards the ones that move leadership. */
export function faultSpecArb(n: number, electionTimeoutMax: number): fc.Arbitrary<FaultSpec> {
  const e = electionTimeoutMax;
  const latencyMs = fc.integer({ min: Math.max(1, Math.round(e / 10)), max: Math.max(2, Math.round(1.5 * e)) });
  const process = (kind: 'kill' | 'stop' | 'pause') => groupTargetArb(n).map((target): FaultSpec => ({ kind, target }));
  return fc.oneof(
    { arbitrary: partitionSpecArb(n).map((partition): FaultSpec => ({ kind: 'partition', partition })), weight: 6 },
    {
      arbitrary: fc
        .record({ target: singleTargetArb(n), blocks: fc.constantFrom('inbound' as const, 'outbound' as const) })
        .map(({ target, blocks }): FaultSpec => ({ kind: 'one-way', target, blocks })),
      weight: 2,
    },
    {
      arbitrary: fc
        .record({ links: linkSelectorArb(n), latencyMs, jitterPct: fc.integer({ min: 0, max: 100 }) })
        .map(({ links, latencyMs: l, jitterPct }): FaultSpec => {
          const jitterMs = Math.round((l * jitterPct) / 200);
          return jitterMs > 0 ? { kind: 'latency', links, latencyMs: l, jitterMs } : { kind: 'latency', links, latencyMs: l };
        }),
      weight: 2,
    },
    {
      arbitrary: fc
        .record({ links: linkSelectorArb(n), timeoutMs: fc.integer({ min: 0, max: 2 * e }) })
        .map(({ links, timeoutMs }): FaultSpec => ({ kind: 'timeout', links, timeoutMs })),
      weight: 2,
    },
    {
      arbitrary: fc
        .record({ links: linkSelectorArb(n), rateKBps: fc.integer({ min: 1, max: 32 }) })
        .map(({ links, rateKBps }): FaultSpec => ({ kind: 'bandwidth', links, rateKBps })),
      weight: 1,
    },
    { arbitrary: process('kill'), weight: 3 },
    { arbitrary: process('stop'), weight: 1 },
    { arbitrary: process('pause'), weight: 2 },
    {
      arbitrary: fc
        .record({ target: singleTargetArb(n), graceful: fc.boolean() })
        .map(({ target, graceful }): FaultSpec => ({ kind: 'rolling-restart', target, graceful })),
      weight: 1,
    },
  );
}

/** Whether a fault stops, kills or pauses processes (two of these never overlap in a schedule). */
export function isProcessFault(f: FaultSpec): boolean {
  return f.kind === 'kill' || f.kind === 'stop' || f.kind === 'pause' || f.kind === 'rolling-restart';
}
