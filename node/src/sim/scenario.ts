import type { BugName } from '../core/bugs.js';
import type { NodeId } from '../core/types.js';
import type { LinkConditions } from './network.js';
import { SimCluster } from './sim-cluster.js';

/**
 * A fault scenario for a simulated cluster, as plain data (so fast-check can generate and
 * shrink it): a chaos phase with lossy links, a partition and crashes, then a recovery phase
 * in which a majority (or everybody) can talk.
 */
export interface Scenario {
  readonly size: number;
  readonly seed: number;
  readonly chaos: {
    readonly durationMs: number;
    readonly conditions: LinkConditions;
    /** Group number per node (index = node); nodes in different groups cannot talk. */
    readonly groups: readonly number[];
    /** Crash node `node` at `atMs` and restart it `downMs` later. */
    readonly crashes: readonly { readonly node: number; readonly atMs: number; readonly downMs: number }[];
  };
  readonly recovery: {
    readonly conditions: LinkConditions;
    /** Nodes (indexes) left isolated after the chaos; fewer than half of the cluster. */
    readonly isolated: readonly number[];
  };
}

/** Node ids n1..nN. */
export function nodeIds(size: number): NodeId[] {
  return Array.from({ length: size }, (_, i) => `n${i + 1}`);
}

/** Builds the cluster for a scenario and schedules its chaos phase; run it with runUntil. */
export function startScenario(
  s: Scenario,
  core: { bugs?: readonly BugName[]; preVote?: boolean; checkQuorum?: boolean } = {},
  /** How long a node's write of term and vote takes (SimClusterOptions.persistMs); default instant. */
  persistMs?: readonly [number, number],
): SimCluster {
  const ids = nodeIds(s.size);
  const c = new SimCluster({ ids, seed: s.seed, conditions: s.chaos.conditions, core: { ...core, bugs: core.bugs ?? [] }, ...(persistMs ? { persistMs } : {}) });
  const groups = new Map<number, NodeId[]>();
  s.chaos.groups.forEach((g, i) => groups.set(g, [...(groups.get(g) ?? []), ids[i]!]));
  c.network.partition([...groups.values()], ids);
  for (const cr of s.chaos.crashes) {
    const id = ids[cr.node % s.size]!;
    c.schedule(cr.atMs, () => c.crash(id));
    c.schedule(cr.atMs + cr.downMs, () => c.restart(id));
  }
  c.schedule(s.chaos.durationMs, () => {
    c.network.heal();
    c.network.conditions = s.recovery.conditions;
    for (const i of s.recovery.isolated) c.network.isolate(ids[i]!, ids);
    for (const id of ids) c.restart(id);
  });
  return c;
}
