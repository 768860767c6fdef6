import { ConfigError } from '../../../common/src/errors.js';
import type { Cut } from '../history/types.js';
import type { PartitionSpec, Target } from './types.js';
import { majority, resolveOne, resolveTarget, type NemesisContext } from './targets.js';

/**
 * Partitions as pure functions (Jepsen `nemesis.clj`: complete-grudge, bisect, majorities-ring,
 * bridge): from the cluster, its leader and seeded randomness to the directed cuts that make
 * them. One effectful partitioner applies `cuts` to the proxies and heals them; nothing here
 * touches the network.
 */
export interface Partition {
  /** Directed cuts: messages from `cut[0]` do not reach `cut[1]`. No duplicates, no self-cuts. */
  cuts: Cut[];
  /** The sides, when the partition is a set of sides (not for the ring or one-way cuts). */
  sides: string[][] | null;
  /** Short human text for the fault's label, e.g. `n1,n2 | n3,n4,n5`. */
  label: string;
}

const sideLabel = (sides: readonly (readonly string[])[]) => sides.map((s) => s.join(',')).join(' | ');

function inClusterOrder(nodes: readonly string[], side: readonly string[]): string[] {
  const s = new Set(side);
  return nodes.filter((n) => s.has(n));
}

/**
 * Complete grudge: every node of one side cuts every node of every other side, both ways.
 * Sides must be disjoint (not checked here; `groups` checks user input).
 */
export function sidesToCuts(sides: readonly (readonly string[])[]): Cut[] {
  const cuts: Cut[] = [];
  sides.forEach((a, i) =>
    sides.forEach((b, j) => {
      if (i !== j) for (const from of a) for (const to of b) cuts.push([from, to]);
    }),
  );
  return cuts;
}

function fromSides(nodes: readonly string[], sides: readonly (readonly string[])[]): Partition {
  const ordered = sides.map((s) => inClusterOrder(nodes, s));
  return { cuts: sidesToCuts(ordered), sides: ordered, label: sideLabel(ordered) };
}

/**
 * The node (or nodes) alone on one side, everyone else on the other. ConfigError for an
 * unknown node or when nobody would be left on the other side.
 */
export function isolate(nodes: readonly string[], node: string | readonly string[]): Partition {
  const inside = typeof node === 'string' ? [node] : node;
  for (const id of inside) {
    if (!nodes.includes(id)) throw new ConfigError(`cannot isolate ${id}: not one of ${nodes.join(', ')}`);
  }
  const outside = nodes.filter((n) => !inside.includes(n));
  if (inside.length === 0 || outside.length === 0) {
    throw new ConfigError(`isolating ${inside.join(',') || 'nobody'} leaves no second side in a cluster of ${nodes.length}`);
  }
  const p = fromSides(nodes, [inside, outside]);
  return { ...p, label: `isolate ${p.sides?.[0]?.join(',')}` };
}

/** Where the leader goes when halving. */
export type HalvesMode = 'leader-minority' | 'leader-majority' | 'random';

/**
 * Two halves of floor(n/2) and ceil(n/2) nodes (Jepsen bisect; with an even n neither half is a
 * majority). `leader-minority` puts the leader in the smaller half, `leader-majority` in the
 * larger; both throw NoLeaderError without a leader. Needs at least 2 nodes.
 */
export function halves(ctx: NemesisContext, mode: HalvesMode): Partition {
  const { nodes, rng } = ctx;
  if (nodes.length < 2) throw new ConfigError(`halves need at least 2 nodes, the cluster has ${nodes.length}`);
  const small = Math.floor(nodes.length / 2);
  let smaller: string[];
  let larger: string[];
  if (mode === 'random') {
    const order = rng.shuffle(nodes);
    smaller = order.slice(0, small);
    larger = order.slice(small);
  } else {
    const leader = resolveOne('leader', ctx, `halves ${mode}`);
    const rest = rng.shuffle(nodes.filter((n) => n !== leader));
    if (mode === 'leader-minority') {
      smaller = [leader, ...rest.slice(0, small - 1)];
      larger = rest.slice(small - 1);
    } else {
      smaller = rest.slice(0, small);
      larger = [leader, ...rest.slice(small)];
    }
  }
  const p = fromSides(nodes, [smaller, larger]);
  return { ...p, label: `halves ${mode}: ${p.label}` };
}

/**
 * Jepsen's majorities ring: nodes in a random ring, each sees the nodes within ring distance
 * ceil((m-1)/2) (m = majority), so each sees a majority (counting itself) but no two nodes see
 * the same one. Cuts are symmetric. Needs at least 4 nodes (with 3 every node sees every other,
 * which would be no fault at all): ConfigError otherwise.
 */
export function majoritiesRing(ctx: NemesisContext): Partition {
  const { nodes, rng } = ctx;
  const n = nodes.length;
  if (n < 4) throw new ConfigError(`majorities-ring needs at least 4 nodes (with ${n} every node sees every other)`);
  const ring = rng.shuffle(nodes);
  const reach = Math.ceil((majority(n) - 1) / 2);
  const cuts: Cut[] = [];
  ring.forEach((from, i) =>
    ring.forEach((to, j) => {
      const d = Math.abs(i - j);
      if (i !== j && Math.min(d, n - d) > reach) cuts.push([from, to]);
    }),
  );
  return { cuts, sides: null, label: `majorities ring ${ring.join('-')}` };
}

/**
 * Jepsen's bridge: the other nodes split into two halves that cannot talk, and the bridge node
 * talks to both. Needs at least 3 nodes.
 */
export function bridge(ctx: NemesisContext, bridgeNode: string): Partition {
  const { nodes, rng } = ctx;
  if (!nodes.includes(bridgeNode)) throw new ConfigError(`bridge node ${bridgeNode} is not one of ${nodes.join(', ')}`);
  if (nodes.length < 3) throw new ConfigError(`a bridge needs at least 3 nodes, the cluster has ${nodes.length}`);
  const rest = rng.shuffle(nodes.filter((n) => n !== bridgeNode));
  const half = Math.floor(rest.length / 2);
  const a = inClusterOrder(nodes, rest.slice(0, half));
  const b = inClusterOrder(nodes, rest.slice(half));
  return { cuts: sidesToCuts([a, b]), sides: null, label: `bridge ${bridgeNode} between ${a.join(',')} and ${b.join(',')}` };
}

/**
 * Explicit sides, `"n1,n2|n3,n4,n5"` or `[["n1","n2"],["n3","n4","n5"]]`. Throws ConfigError for
 * an unknown node, a node named twice, an empty group, or fewer than two sides. Nodes not
 * named form one more side together (so `"n1|n2"` on five nodes is n1 | n2 | n3,n4,n5).
 */
export function groups(nodes: readonly string[], spec: string | readonly (readonly string[])[]): Partition {
  const parsed =
    typeof spec === 'string' ? spec.split('|').map((g) => g.split(',').map((s) => s.trim())) : spec.map((g) => g.slice());
  const text = typeof spec === 'string' ? spec : sideLabel(spec);
  const seen = new Set<string>();
  for (const g of parsed) {
    if (g.length === 0 || g.some((id) => id === '')) throw new ConfigError(`groups "${text}": empty group or empty node name`);
    for (const id of g) {
      if (!nodes.includes(id)) throw new ConfigError(`groups "${text}": unknown node ${id}; the cluster's nodes are ${nodes.join(', ')}`);
      if (seen.has(id)) throw new ConfigError(`groups "${text}": node ${id} is in more than one group`);
      seen.add(id);
    }
  }
  const unnamed = nodes.filter((n) => !seen.has(n));
  const sides = unnamed.length > 0 ? [...parsed, unnamed] : parsed;
  if (sides.length < 2) throw new ConfigError(`groups "${text}": needs at least two sides, e.g. "n1,n2|n3,n4,n5"`);
  return fromSides(nodes, sides);
}

/**
 * One-way cuts around a node: `inbound` blocks everything sent to it (it can send, not
 * receive); `outbound` blocks everything it sends (it can receive, not send).
 */
export function oneWay(nodes: readonly string[], node: string, blocks: 'inbound' | 'outbound'): Partition {
  if (!nodes.includes(node)) throw new ConfigError(`one-way target ${node} is not one of ${nodes.join(', ')}`);
  const others = nodes.filter((n) => n !== node);
  const cuts: Cut[] = others.map((o) => (blocks === 'inbound' ? [o, node] : [node, o]));
  const what = blocks === 'inbound' ? 'can send, not receive' : 'can receive, not send';
  return { cuts, sides: null, label: `one-way ${node} ${what}` };
}

/** Resolves a scenario's PartitionSpec to cuts (targets resolved with the same context). */
export function partitionFromSpec(spec: PartitionSpec, ctx: NemesisContext): Partition {
  if ('isolate' in spec) return isolate(ctx.nodes, resolveTarget(spec.isolate, ctx));
  if ('halves' in spec) return halves(ctx, spec.halves);
  if ('ring' in spec) return majoritiesRing(ctx);
  if ('bridge' in spec) return bridge(ctx, resolveOne(spec.bridge, ctx, 'bridge'));
  return groups(ctx.nodes, spec.groups);
}

/** Resolves a one-way fault's target and direction to cuts. */
export function oneWayFromSpec(target: Target, blocks: 'inbound' | 'outbound', ctx: NemesisContext): Partition {
  return oneWay(ctx.nodes, resolveOne(target, ctx, 'one-way'), blocks);
}
