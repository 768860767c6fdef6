import type { FaultEnv, Planned } from '../faults/fault-kind.js';
import { faultKindOf } from '../faults/registry.js';
import { removesLeader } from '../nemesis/reachability.js';
import { NoLeaderError, type NemesisContext } from '../nemesis/targets.js';
import type { FaultStartEntry, UnstampedEntry } from '../history/types.js';
import type { FaultSpec } from '../scenario/types.js';

export type { FaultEnv } from '../faults/fault-kind.js';

/** A fault in force. `heal()` undoes it (once; later calls do nothing). */
export interface ActiveFault {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  heal(): Promise<void>;
}

/**
 * Starts one fault of the nemesis: resolves its targets against the current leader, applies it,
 * and records a `fault-start` entry saying what it did (the links it cut or slowed, the nodes it
 * took down) and whether it took the leader out of the majority. The returned handle heals it
 * and records `fault-end`. What a kind does is its file's business (faults/kinds/); kinds that
 * run themselves (`rolling-restart`) are run by the schedule (see schedule.ts).
 */
export async function startFault(spec: FaultSpec, id: string, env: FaultEnv): Promise<ActiveFault> {
  const before = env.leader();
  const ctx: NemesisContext = { nodes: env.cluster.nodes, leader: before?.node ?? null, rng: env.rng };
  let planned: Planned;
  let notApplied = false;
  try {
    planned = faultKindOf(spec).plan(spec, ctx, env);
  } catch (err) {
    if (!(err instanceof NoLeaderError)) throw err;
    // Nothing to aim at (the schedule waited for a leader first): record the fault as not
    // applied (`notApplied`, removesLeader null). It changed nothing, so no check times it;
    // the leaderless wait itself is judged by what was being timed: the first election
    // (liveness-at-start) or the wait after a fault or heal (election-time).
    env.record({ type: 'note', level: 'warn', message: `fault ${id} (${spec.kind}) not applied: ${err.message}` });
    planned = { label: `${spec.kind} not applied: no leader`, targets: [], cuts: [], down: [], apply: async () => {}, heal: async () => {} };
    notApplied = true;
  }
  // Recorded before it takes effect: a kill or a cut can take a while to apply (Docker), and
  // whatever the cluster does meanwhile is already the fault's doing.
  const start: UnstampedEntry = {
    type: 'fault-start',
    id,
    kind: spec.kind,
    label: planned.label,
    targets: planned.targets,
    ...(planned.down.length > 0 ? { down: planned.down } : {}),
    ...(planned.cuts.length > 0 ? { cuts: planned.cuts } : {}),
    ...(planned.links ? { links: planned.links } : {}),
    leaderBefore: before ? { node: before.node, term: before.term } : null,
    removesLeader: removesLeader(env.cluster.nodes, before?.node ?? null, planned.cuts, [...env.down, ...planned.down]),
    ...(notApplied ? { notApplied: true as const } : {}),
    spec,
  } satisfies Omit<FaultStartEntry, 't' | 'wall'>;
  env.record(start);
  await planned.apply();
  // When the last link has changed: checks count the fault's cuts as certain from here
  // (history/types.ts LinksAppliedEntry), not from the `fault-start`.
  const links = notApplied ? 0 : planned.cuts.length + (planned.links?.length ?? 0);
  if (links > 0) env.record({ type: 'links-applied', id, phase: 'start', links });
  let healed = false;
  return {
    id,
    kind: spec.kind,
    label: planned.label,
    heal: async () => {
      if (healed) return;
      healed = true;
      await planned.heal();
      if (links > 0) env.record({ type: 'links-applied', id, phase: 'end', links });
      env.record({ type: 'fault-end', id, kind: spec.kind, label: planned.label });
    },
  };
}

/** Whether a fault spec aims at the leader (so the run should wait for one before starting it). */
export function needsLeader(spec: FaultSpec): boolean {
  return faultKindOf(spec).needsLeader(spec);
}
