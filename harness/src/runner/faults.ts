import { directedLinks } from '../network/link-names.js';
import type { Partitioner } from '../network/partitioner.js';
import type { LinkToxic } from '../network/link-toxic.js';
import type { LinkToxicHandle } from '../network/partitioner.js';
import { toxicAttributes } from '../network/link-toxic.js';
import { oneWayFromSpec, partitionFromSpec } from '../nemesis/partitions.js';
import { reachability, removesLeader } from '../nemesis/reachability.js';
import { NoLeaderError, resolveTarget, type NemesisContext } from '../nemesis/targets.js';
import type { Cut, FaultStartEntry, UnstampedEntry } from '../history/types.js';
import type { Cluster } from '../runtime/types.js';
import type { FaultSpec, LinkSelector, Target } from '../scenario/types.js';
import type { LeaderTerm } from '../poller/leader-view.js';
import type { Rng } from '../util/rng.js';

/** What starting and healing faults needs from the run. */
export interface FaultEnv {
  cluster: Cluster;
  partitioner: Partitioner;
  rng: Rng;
  /** The settled leader the harness sees now. */
  leader(): LeaderTerm | null;
  /** Fetch the last events of nodes about to die, so their final transitions are kept. */
  flushEvents(nodes: readonly string[]): Promise<void>;
  record(entry: UnstampedEntry): void;
  /** Nodes currently down because of faults in force (killed, stopped or paused). */
  down: Set<string>;
}

/** A fault in force. `heal()` undoes it (once; later calls do nothing). */
export interface ActiveFault {
  readonly id: string;
  readonly kind: string;
  readonly label: string;
  heal(): Promise<void>;
}

/**
 * Starts one fault of the nemesis: resolves its targets against the current leader, applies it,
 * and records a `fault-start` entry saying what it did and whether it took the leader out of
 * the majority. The returned handle heals it and records `fault-end`. `rolling-restart` is not
 * a held fault; the schedule runs it (see schedule.ts).
 */
export async function startFault(spec: FaultSpec, id: string, env: FaultEnv): Promise<ActiveFault> {
  const before = env.leader();
  const ctx: NemesisContext = { nodes: env.cluster.nodes, leader: before?.node ?? null, rng: env.rng };
  let planned: Planned;
  try {
    planned = plan(spec, ctx, env);
  } catch (err) {
    if (!(err instanceof NoLeaderError)) throw err;
    // Nothing to aim at: record the fault as not applied with removesLeader null, so the
    // election-time check says unknown for it instead of passing silently.
    env.record({ type: 'note', level: 'warn', message: `fault ${id} (${spec.kind}) not applied: ${err.message}` });
    planned = { label: `${spec.kind} not applied: no leader`, targets: [], cuts: [], down: [], apply: async () => {}, heal: async () => {} };
  }
  // Recorded before it takes effect: a kill or a cut can take a while to apply (Docker), and
  // whatever the cluster does meanwhile is already the fault's doing.
  const start: UnstampedEntry = {
    type: 'fault-start',
    id,
    kind: spec.kind,
    label: planned.label,
    targets: planned.targets,
    ...(planned.cuts.length > 0 ? { cuts: planned.cuts } : {}),
    ...(planned.links ? { links: planned.links } : {}),
    leaderBefore: before ? { node: before.node, term: before.term } : null,
    removesLeader: removesLeader(env.cluster.nodes, before?.node ?? null, planned.cuts, [...env.down, ...planned.down]),
    spec,
  } satisfies Omit<FaultStartEntry, 't' | 'wall'>;
  env.record(start);
  await planned.apply();
  let healed = false;
  return {
    id,
    kind: spec.kind,
    label: planned.label,
    heal: async () => {
      if (healed) return;
      healed = true;
      await planned.heal();
      env.record({ type: 'fault-end', id, kind: spec.kind, label: planned.label });
    },
  };
}

/** A fault resolved to concrete nodes and links, not yet applied. */
interface Planned {
  label: string;
  targets: string[];
  cuts: Cut[];
  links?: FaultStartEntry['links'];
  /** Nodes the fault takes down (killed, stopped, paused). */
  down: string[];
  apply(): Promise<void>;
  heal(): Promise<void>;
}

/** Resolves a fault against the current leader (pure but for the rng); effects wait for `apply`. */
function plan(spec: FaultSpec, ctx: NemesisContext, env: FaultEnv): Planned {
  const nodes = env.cluster.nodes;
  // Which of the touched nodes leads: `isolate n3 (leader)`, `halves random: n1 | n2,n3 (leader: n1)`.
  const leaderNote = (ids: readonly string[], label: string) =>
    ctx.leader === null || !ids.includes(ctx.leader) ? '' : ids.length === 1 && label.endsWith(ctx.leader) ? ' (leader)' : ` (leader: ${ctx.leader})`;
  switch (spec.kind) {
    case 'partition':
    case 'one-way': {
      const p = spec.kind === 'partition' ? partitionFromSpec(spec.partition, ctx) : oneWayFromSpec(spec.target, spec.blocks, ctx);
      // The lanes a partition touches: nodes it leaves without a majority (all, for a ring).
      const r = reachability(nodes, p.cuts, env.down);
      const cutOff = nodes.filter((n) => !r.hasMajority(n));
      const targets = cutOff.length > 0 && cutOff.length < nodes.length ? cutOff : [...nodes];
      return {
        label: `${p.label}${leaderNote(targets.length < nodes.length ? targets : [], p.label)}`,
        targets,
        cuts: p.cuts,
        down: [],
        apply: () => env.partitioner.applyCuts(p.cuts),
        heal: () => env.partitioner.healCuts(p.cuts),
      };
    }
    case 'latency':
    case 'bandwidth':
    case 'timeout': {
      const links = resolveLinks(spec.links, ctx);
      const toxic: LinkToxic =
        spec.kind === 'latency'
          ? { type: 'latency', latencyMs: spec.latencyMs, jitterMs: spec.jitterMs ?? 0 }
          : spec.kind === 'bandwidth'
            ? { type: 'bandwidth', rateKBps: spec.rateKBps }
            : { type: 'timeout', timeoutMs: spec.timeoutMs ?? 0 };
      const attributes = toxicAttributes(toxic);
      const touched = nodes.filter((n) => links.some(([a, b]) => a === n || b === n));
      const what =
        spec.kind === 'latency'
          ? `latency ${spec.latencyMs}±${spec.jitterMs ?? 0} ms`
          : spec.kind === 'bandwidth'
            ? `bandwidth ${spec.rateKBps} KB/s`
            : 'black hole';
      let handle: LinkToxicHandle | undefined;
      return {
        label: `${what} on ${describeLinks(spec.links, links, nodes)}`,
        targets: touched,
        // A black hole drops every message on its links, and a bandwidth of 0 stalls them:
        // for reachability both are cuts.
        cuts: spec.kind === 'timeout' || (spec.kind === 'bandwidth' && spec.rateKBps === 0) ? links.map(([a, b]) => [a, b] as const) : [],
        links: links.map(([from, to]) => ({ from, to, toxic: toxic.type, attributes })),
        down: [],
        apply: async () => {
          handle = await env.partitioner.applyLinkToxic(links, toxic);
        },
        heal: async () => {
          if (handle) await env.partitioner.removeLinkToxic(handle);
        },
      };
    }
    case 'kill':
    case 'stop':
    case 'pause': {
      const kind = spec.kind;
      const targets = resolveTarget(spec.target, ctx);
      return {
        label: `${kind} ${targets.join(',')}${leaderNote(targets, targets.join(','))}`,
        targets,
        cuts: [],
        down: targets,
        apply: async () => {
          if (kind !== 'pause') await env.flushEvents(targets);
          for (const n of targets) {
            env.record({ type: 'process', node: n, action: kind });
            env.down.add(n);
          }
          await Promise.all(targets.map((n) => env.cluster[kind](n)));
        },
        heal: async () => {
          const action = kind === 'pause' ? 'resume' : 'start';
          for (const n of targets) env.record({ type: 'process', node: n, action });
          await Promise.all(targets.map((n) => (kind === 'pause' ? env.cluster.resume(n) : env.cluster.start(n))));
          for (const n of targets) env.down.delete(n);
        },
      };
    }
    case 'rolling-restart':
      throw new Error('rolling-restart is run by the schedule, not started as a held fault');
  }
}

/** The directed links a selector names, resolved against the current leader. */
export function resolveLinks(sel: LinkSelector, ctx: NemesisContext): Cut[] {
  const all = directedLinks(ctx.nodes);
  if (sel === 'all') return all;
  if ('around' in sel) {
    const around = new Set(resolveTarget(sel.around, ctx));
    return all.filter(([a, b]) => around.has(a) || around.has(b));
  }
  const from = new Set(resolveTarget(sel.from, ctx));
  const to = new Set(resolveTarget(sel.to, ctx));
  return all.filter(([a, b]) => from.has(a) && to.has(b));
}

function describeLinks(sel: LinkSelector, links: readonly Cut[], nodes: readonly string[]): string {
  if (sel === 'all' || links.length === nodes.length * (nodes.length - 1)) return 'all links';
  if ('around' in sel) {
    const ends = new Set(links.flat());
    const centre = nodes.filter((n) => links.filter(([a, b]) => a === n || b === n).length === links.length);
    return `links of ${centre.length > 0 ? centre.join(',') : [...ends].join(',')}`;
  }
  return links.map(([a, b]) => `${a}→${b}`).join(' ');
}

/** Whether a fault spec aims at the leader (so the run should wait for one before starting it). */
export function needsLeader(spec: FaultSpec): boolean {
  const aims = (t: Target) => t === 'leader' || t === 'minority-with-leader';
  switch (spec.kind) {
    case 'partition': {
      const p = spec.partition;
      if ('isolate' in p) return aims(p.isolate);
      if ('halves' in p) return p.halves !== 'random';
      return false;
    }
    case 'one-way':
    case 'kill':
    case 'stop':
    case 'pause':
    case 'rolling-restart':
      return aims(spec.target);
    case 'latency':
    case 'bandwidth':
    case 'timeout': {
      const l = spec.links;
      if (l === 'all') return false;
      return 'around' in l ? aims(l.around) : aims(l.from) || aims(l.to);
    }
  }
}
