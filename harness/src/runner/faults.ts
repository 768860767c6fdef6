import { directedLinks } from '../network/link-names.js';
import type { Partitioner } from '../network/partitioner.js';
import type { LinkToxic } from '../network/link-toxic.js';
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
  let applied: Applied;
  try {
    applied = await apply(spec, ctx, env);
  } catch (err) {
    if (!(err instanceof NoLeaderError)) throw err;
    // Nothing to aim at: record the fault as not applied with removesLeader null, so the
    // election-time check says unknown for it instead of passing silently.
    env.record({ type: 'note', level: 'warn', message: `fault ${id} (${spec.kind}) not applied: ${err.message}` });
    applied = { label: `${spec.kind} not applied: no leader`, targets: [], cuts: [], heal: async () => {} };
  }
  const start: UnstampedEntry = {
    type: 'fault-start',
    id,
    kind: spec.kind,
    label: applied.label,
    targets: applied.targets,
    ...(applied.cuts.length > 0 ? { cuts: applied.cuts } : {}),
    ...(applied.links ? { links: applied.links } : {}),
    leaderBefore: before ? { node: before.node, term: before.term } : null,
    removesLeader: removesLeader(env.cluster.nodes, before?.node ?? null, applied.cuts, env.down),
    spec,
  } satisfies Omit<FaultStartEntry, 't' | 'wall'>;
  env.record(start);
  let healed = false;
  return {
    id,
    kind: spec.kind,
    label: applied.label,
    heal: async () => {
      if (healed) return;
      healed = true;
      await applied.heal();
      env.record({ type: 'fault-end', id, kind: spec.kind, label: applied.label });
    },
  };
}

interface Applied {
  label: string;
  targets: string[];
  cuts: Cut[];
  links?: FaultStartEntry['links'];
  heal(): Promise<void>;
}

async function apply(spec: FaultSpec, ctx: NemesisContext, env: FaultEnv): Promise<Applied> {
  const nodes = env.cluster.nodes;
  const leaderNote = (ids: readonly string[]) => (ctx.leader !== null && ids.includes(ctx.leader) ? ' (leader)' : '');
  switch (spec.kind) {
    case 'partition':
    case 'one-way': {
      const p = spec.kind === 'partition' ? partitionFromSpec(spec.partition, ctx) : oneWayFromSpec(spec.target, spec.blocks, ctx);
      await env.partitioner.applyCuts(p.cuts);
      // The lanes a partition touches: nodes it leaves without a majority (all, for a ring).
      const r = reachability(nodes, p.cuts, env.down);
      const cutOff = nodes.filter((n) => !r.hasMajority(n));
      const targets = cutOff.length > 0 && cutOff.length < nodes.length ? cutOff : [...nodes];
      return {
        label: `${p.label}${leaderNote(targets.length < nodes.length ? targets : [])}`,
        targets,
        cuts: p.cuts,
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
      const handle = await env.partitioner.applyLinkToxic(links, toxic);
      const attributes = toxicAttributes(toxic);
      const touched = nodes.filter((n) => links.some(([a, b]) => a === n || b === n));
      const what =
        spec.kind === 'latency'
          ? `latency ${spec.latencyMs}±${spec.jitterMs ?? 0} ms`
          : spec.kind === 'bandwidth'
            ? `bandwidth ${spec.rateKBps} KB/s`
            : 'black hole';
      return {
        label: `${what} on ${describeLinks(spec.links, links, nodes)}`,
        targets: touched,
        // A black hole drops every message on its links: for reachability it is a cut.
        cuts: spec.kind === 'timeout' ? links.map(([a, b]) => [a, b] as const) : [],
        links: links.map(([from, to]) => ({ from, to, toxic: toxic.type, attributes })),
        heal: () => env.partitioner.removeLinkToxic(handle),
      };
    }
    case 'kill':
    case 'stop':
    case 'pause': {
      const targets = resolveTarget(spec.target, ctx);
      if (spec.kind !== 'pause') await env.flushEvents(targets);
      for (const n of targets) {
        env.record({ type: 'process', node: n, action: spec.kind });
        env.down.add(n);
      }
      await Promise.all(targets.map((n) => env.cluster[spec.kind](n)));
      return {
        label: `${spec.kind} ${targets.join(',')}${leaderNote(targets)}`,
        targets,
        cuts: [],
        heal: async () => {
          const action = spec.kind === 'pause' ? 'resume' : 'start';
          for (const n of targets) env.record({ type: 'process', node: n, action });
          await Promise.all(targets.map((n) => (spec.kind === 'pause' ? env.cluster.resume(n) : env.cluster.start(n))));
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
