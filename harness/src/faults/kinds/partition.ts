import fc from 'fast-check';
import { partitionFromSpec } from '../../nemesis/partitions.js';
import type { PartitionSpec } from '../../nemesis/types.js';
import { groupTargetArb, idsOf, singleTargetArb } from '../arbitraries.js';
import { cutPlan } from '../cut-plan.js';
import { aimsAtLeader, type FaultKind, type FieldChecks } from '../fault-kind.js';
import { targetRefs, targetWords } from '../words.js';

/** Split the cluster into sides that cannot talk to each other. */
export interface PartitionFault {
  kind: 'partition';
  /** How the cluster is split. */
  partition: PartitionSpec;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    partition: PartitionFault;
  }
}

/** The keys of a partition, one of which it has. */
export const PARTITION_KEYS = ['isolate', 'halves', 'ring', 'bridge', 'groups'] as const;

/** `partition`: isolate a target, halves, a majorities ring, a bridge, or explicit groups. */
export const partition: FaultKind<PartitionFault> = {
  kind: 'partition',
  fields: ['partition'],
  hints: Object.fromEntries(PARTITION_KEYS.map((k) => [k, `; ${k} goes inside partition: { kind: "partition", partition: { ${k}: ... } }`])),
  validate: (f, path, check) => validatePartition(f['partition'], `${path}.partition`, check),
  needsLeader: ({ partition: p }) => ('isolate' in p ? aimsAtLeader(p.isolate) : 'halves' in p ? p.halves !== 'random' : false),
  nodeRefs: ({ partition: p }, path, ref) => {
    if ('isolate' in p) targetRefs(p.isolate, `${path}.partition.isolate`, ref);
    else if ('bridge' in p) targetRefs(p.bridge, `${path}.partition.bridge`, ref);
    else if ('groups' in p) for (const node of sidesOf(p.groups).flat()) ref(`${path}.partition.groups`, node);
  },
  random: { weight: 6, arbitrary: (n) => partitionSpecArb(n).map((p): PartitionFault => ({ kind: 'partition', partition: p })) },
  describe: ({ partition: p }) => {
    if ('isolate' in p) return `isolate ${targetWords(p.isolate)}`;
    if ('halves' in p) return `halves ${p.halves}`;
    if ('ring' in p) return 'ring of majorities';
    if ('bridge' in p) return `bridge via ${targetWords(p.bridge)}`;
    return `groups ${typeof p.groups === 'string' ? p.groups : p.groups.map((g) => g.join(',')).join('|')}`;
  },
  plan: (spec, ctx, env) => cutPlan(partitionFromSpec(spec.partition, ctx), ctx, env),
};

/** Every partition shape: isolate, halves, ring (n >= 4), bridge, explicit groups. */
export function partitionSpecArb(n: number): fc.Arbitrary<PartitionSpec> {
  const ids = idsOf(n);
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

/** `"n1,n2|n3"` or `[["n1","n2"],["n3"]]` as sides. */
function sidesOf(groups: string | readonly (readonly string[])[]): readonly (readonly string[])[] {
  return typeof groups === 'string' ? groups.split('|').map((g) => g.split(',').map((id) => id.trim())) : groups;
}

function validatePartition(x: unknown, path: string, check: FieldChecks): void {
  const p = check.object(x, path);
  check.knownKeys(p, path, PARTITION_KEYS, 'a partition');
  const kind = PARTITION_KEYS.find((k) => k in p);
  if (kind === undefined) check.fail(path, `must have one of ${PARTITION_KEYS.join(', ')}; got keys ${check.show(Object.keys(p))}`);
  const other = PARTITION_KEYS.find((k) => k !== kind && k in p);
  if (other !== undefined) check.fail(`${path}.${other}`, `cannot go with ${kind}: a partition has exactly one of ${PARTITION_KEYS.join(', ')}`);
  if (kind === 'isolate') return check.target(p['isolate'], `${path}.isolate`);
  if (kind === 'halves') return check.oneOf(p['halves'], `${path}.halves`, ['leader-minority', 'leader-majority', 'random']);
  if (kind === 'ring') return check.oneOf(p['ring'], `${path}.ring`, ['majorities']);
  if (kind === 'bridge') return check.target(p['bridge'], `${path}.bridge`);
  validateGroups(p['groups'], `${path}.groups`, check);
}

function validateGroups(x: unknown, path: string, check: FieldChecks): void {
  const example = 'must be "n1,n2|n3,n4,n5" or [["n1","n2"],["n3","n4","n5"]]';
  let sides: unknown[][];
  if (typeof x === 'string' && x.includes('|')) sides = x.split('|').map((g) => g.split(',').map((id) => id.trim()));
  else if (Array.isArray(x) && x.length > 0 && x.every((g) => Array.isArray(g))) sides = x as unknown[][];
  else check.fail(path, `${example}; got ${check.show(x)}`);
  const seen = new Set<string>();
  sides.forEach((side, i) => {
    if (side.length === 0) check.fail(path, `${example}; side ${i + 1} is empty`);
    for (const id of side) {
      if (typeof id !== 'string') check.fail(path, `${example}; got ${check.show(id)} in side ${i + 1}`);
      check.nodeId(id, path);
      if (seen.has(id)) check.fail(path, `names ${id} in more than one side`);
      seen.add(id);
    }
  });
}
