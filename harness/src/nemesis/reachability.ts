import type { Cut } from '../history/types.js';
import { majority } from './targets.js';

/** The cluster's links under some cuts, with some nodes down (killed, stopped or paused). */
export interface Reachability {
  /** Messages from `from` reach `to`: both up, and the directed link is not cut. */
  canSend(from: string, to: string): boolean;
  /** Both directions work. */
  twoWay(a: string, b: string): boolean;
  /** The up nodes (other than `node`) it has two-way links with. Empty for a down node. */
  twoWayPeers(node: string): string[];
  /**
   * The node is up and has direct two-way links to enough nodes to make a majority counting
   * itself. This is what Raft needs: a leader talks to each follower directly (it must both
   * send heartbeats and hear replies, so CheckQuorum keeps it), and a candidate needs direct
   * votes. Use it for "does this fault remove the leader" and for step-down.
   */
  hasMajority(node: string): boolean;
  /** The node's connected component over two-way links (up nodes only; empty for a down node). */
  component(node: string): string[];
  /** The component holds a majority of the cluster (multi-hop; weaker than hasMajority). */
  inMajorityComponent(node: string): boolean;
}

/**
 * Builds the reachability of `nodes` under directed `cuts` with `down` nodes removed. Pure;
 * O(n^2) to build for n nodes, O(1) per link query. Cuts naming unknown nodes are ignored.
 */
export function reachability(nodes: readonly string[], cuts: readonly Cut[], down: Iterable<string> = []): Reachability {
  const downSet = new Set(down);
  const cut = new Set(cuts.map(([from, to]) => `${from}\u0000${to}`));
  const known = new Set(nodes);
  const up = (n: string) => known.has(n) && !downSet.has(n);
  const canSend = (from: string, to: string) => from !== to && up(from) && up(to) && !cut.has(`${from}\u0000${to}`);
  const twoWay = (a: string, b: string) => canSend(a, b) && canSend(b, a);
  const twoWayPeers = (node: string) => nodes.filter((p) => twoWay(node, p));
  const need = majority(nodes.length);
  const component = (node: string): string[] => {
    if (!up(node)) return [];
    const seen = new Set([node]);
    const queue = [node];
    while (queue.length > 0) {
      const x = queue.pop() as string;
      for (const p of twoWayPeers(x)) {
        if (!seen.has(p)) {
          seen.add(p);
          queue.push(p);
        }
      }
    }
    return nodes.filter((n) => seen.has(n));
  };
  return {
    canSend,
    twoWay,
    twoWayPeers,
    hasMajority: (node) => up(node) && 1 + twoWayPeers(node).length >= need,
    component,
    inMajorityComponent: (node) => component(node).length >= need,
  };
}

/**
 * Whether a fault takes `leader` out of the majority: true when it is down or lacks direct
 * two-way links to a majority; false when it keeps them; null when there is no leader. This is
 * what a `fault-start` entry records as `removesLeader`.
 */
export function removesLeader(
  nodes: readonly string[],
  leader: string | null,
  cuts: readonly Cut[],
  down: Iterable<string> = [],
): boolean | null {
  if (leader === null) return null;
  return !reachability(nodes, cuts, down).hasMajority(leader);
}
