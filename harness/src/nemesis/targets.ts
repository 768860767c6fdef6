import { ConfigError } from '../../../common/src/errors.js';
import type { Target } from './types.js';
import type { Rng } from '../util/rng.js';

/** What resolving a target or a partition needs: the cluster, its current leader, randomness. */
export interface NemesisContext {
  nodes: readonly string[];
  /** The leader the harness sees now, or null when there is none. */
  leader: string | null;
  rng: Rng;
}

/**
 * A fault aimed at the leader (or needing one) when the cluster has none. A ConfigError
 * subclass so callers can tell it apart: the runner records the fault with `removesLeader: null`
 * (or falls back to another target) instead of failing the run.
 */
export class NoLeaderError extends ConfigError {}

/** Votes needed in a cluster of `n`: floor(n/2) + 1. */
export function majority(n: number): number {
  return Math.floor(n / 2) + 1;
}

/** Target words that are not node ids (see `Target`). */
export const NAMED_TARGETS: readonly string[] = ['leader', 'follower', 'random', 'all', 'minority', 'minority-with-leader', 'majority'];
const KEYWORDS = new Set(NAMED_TARGETS);

function knownIds(nodes: readonly string[], ids: readonly string[]): string[] {
  const unknown = ids.filter((id) => !nodes.includes(id));
  if (unknown.length > 0) {
    throw new ConfigError(`unknown node ${unknown.join(', ')} in target; the cluster's nodes are ${nodes.join(', ')}`);
  }
  const wanted = new Set(ids);
  return nodes.filter((n) => wanted.has(n));
}

function needLeader(ctx: NemesisContext, what: string): string {
  if (ctx.leader === null) throw new NoLeaderError(`target ${what} needs a leader, and the cluster has none right now`);
  if (!ctx.nodes.includes(ctx.leader)) {
    throw new ConfigError(`leader ${ctx.leader} is not one of the cluster's nodes (${ctx.nodes.join(', ')})`);
  }
  return ctx.leader;
}

/**
 * Resolves a Target to node ids, in cluster order, without duplicates. Keywords win over node
 * ids of the same name. Rules: `leader` needs a leader (NoLeaderError otherwise); `follower` is a
 * random node other than the leader (any node when there is none); `random` one random node;
 * `minority` floor((n-1)/2) random nodes without the leader; `minority-with-leader` the leader
 * and floor((n-1)/2)-1 others; `majority` floor(n/2)+1 random nodes including the leader when
 * there is one. Unknown ids, an empty cluster or an empty id list throw ConfigError.
 */
export function resolveTarget(target: Target, ctx: NemesisContext): string[] {
  const { nodes, rng } = ctx;
  if (nodes.length === 0) throw new ConfigError('cannot resolve a target in a cluster with no nodes');
  if (typeof target !== 'string') {
    if (target.length === 0) throw new ConfigError('target is an empty list of nodes; name at least one');
    return knownIds(nodes, target);
  }
  if (!KEYWORDS.has(target)) return knownIds(nodes, [target]);
  const n = nodes.length;
  const minority = Math.floor((n - 1) / 2);
  const others = (leader: string | null) => nodes.filter((x) => x !== leader);
  switch (target) {
    case 'leader':
      return [needLeader(ctx, 'leader')];
    case 'follower': {
      const candidates = ctx.leader === null ? nodes : others(needLeader(ctx, 'follower'));
      if (candidates.length === 0) throw new ConfigError(`a cluster of ${n} has no follower to target`);
      return [rng.pick(candidates)];
    }
    case 'random':
      return [rng.pick(nodes)];
    case 'all':
      return nodes.slice();
    case 'minority': {
      if (minority === 0) throw new ConfigError(`a cluster of ${n} has no non-empty minority`);
      const leader = ctx.leader === null ? null : needLeader(ctx, 'minority');
      return knownIds(nodes, rng.shuffle(others(leader)).slice(0, minority));
    }
    case 'minority-with-leader': {
      if (minority === 0) throw new ConfigError(`a cluster of ${n} has no non-empty minority`);
      const leader = needLeader(ctx, 'minority-with-leader');
      return knownIds(nodes, [leader, ...rng.shuffle(others(leader)).slice(0, minority - 1)]);
    }
    default: {
      const leader = ctx.leader === null ? null : needLeader(ctx, 'majority');
      const rest = rng.shuffle(others(leader));
      const picked = leader === null ? rest.slice(0, majority(n)) : [leader, ...rest.slice(0, majority(n) - 1)];
      return knownIds(nodes, picked);
    }
  }
}

/** Resolves a target that must name exactly one node (bridge, one-way); ConfigError otherwise. */
export function resolveOne(target: Target, ctx: NemesisContext, what: string): string {
  const ids = resolveTarget(target, ctx);
  if (ids.length !== 1) throw new ConfigError(`${what} needs exactly one node, but its target gave ${ids.length}: ${ids.join(', ')}`);
  return ids[0] as string;
}
