import type { Partition } from '../nemesis/partitions.js';
import { reachability } from '../nemesis/reachability.js';
import type { NemesisContext } from '../nemesis/targets.js';
import type { FaultEnv, Planned } from './fault-kind.js';
import { leaderNote } from './process-fault.js';

/**
 * The plan of a fault made of directed cuts (a partition, a one-way cut): its targets are the
 * nodes it leaves without a majority (all of them, for a ring), and it is applied and healed as
 * counted cuts through the partitioner.
 */
export function cutPlan(p: Partition, ctx: NemesisContext, env: FaultEnv): Planned {
  const nodes = env.cluster.nodes;
  const r = reachability(nodes, p.cuts, env.down);
  const cutOff = nodes.filter((n) => !r.hasMajority(n));
  const targets = cutOff.length > 0 && cutOff.length < nodes.length ? cutOff : [...nodes];
  return {
    label: `${p.label}${leaderNote(ctx.leader, targets.length < nodes.length ? targets : [], p.label)}`,
    targets,
    cuts: p.cuts,
    down: [],
    apply: () => env.partitioner.applyCuts(p.cuts),
    heal: () => env.partitioner.healCuts(p.cuts),
  };
}
