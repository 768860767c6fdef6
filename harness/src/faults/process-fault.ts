import { resolveTarget, type NemesisContext } from '../nemesis/targets.js';
import type { FaultSpec } from './fault-spec.js';
import type { Target } from '../nemesis/types.js';
import { groupTargetArb } from './arbitraries.js';
import { aimsAtLeader, type FaultEnv, type FaultKind, type Planned } from './fault-kind.js';
import { targetRefs, targetWords } from './words.js';

/** The fault kinds that take their targets' processes down and bring them back on heal. */
type ProcessSpec = { kind: 'kill' | 'stop' | 'pause'; target: Target };

/** `isolate n3 (leader)`, `kill n1,n2 (leader: n1)`: which of the touched nodes leads. */
export function leaderNote(leader: string | null, ids: readonly string[], label: string): string {
  if (leader === null || !ids.includes(leader)) return '';
  return ids.length === 1 && label.endsWith(leader) ? ' (leader)' : ` (leader: ${leader})`;
}

/**
 * A process fault kind (`kill`: SIGKILL, healed by starting the node again with the same data
 * directory; `stop`: SIGTERM and wait, healed by starting it; `pause`: SIGSTOP, healed by
 * SIGCONT): its targets are down while it holds. `weight` is its share of random schedules.
 */
export function processKind<S extends ProcessSpec & FaultSpec>(kind: S['kind'], weight: number): FaultKind<S> {
  return {
    kind,
    fields: ['target'],
    process: true,
    validate: (f, path, check) => check.target(f['target'], `${path}.target`),
    needsLeader: (spec) => aimsAtLeader(spec.target),
    nodeRefs: (spec, path, ref) => targetRefs(spec.target, `${path}.target`, ref),
    random: { weight, arbitrary: (n) => groupTargetArb(n).map((target: Target) => ({ kind, target }) as S) },
    describe: (spec) => `${kind} ${targetWords(spec.target)}`,
    plan: (spec, ctx, env) => processPlan(kind, spec.target, ctx, env),
  };
}

function processPlan(kind: ProcessSpec['kind'], target: Target, ctx: NemesisContext, env: FaultEnv): Planned {
  const targets = resolveTarget(target, ctx);
  return {
    label: `${kind} ${targets.join(',')}${leaderNote(ctx.leader, targets, targets.join(','))}`,
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
      // A restart is recorded once, by the runtime (its `start` carries the new pid); only a
      // resume, which no runtime reports, is recorded here.
      if (kind === 'pause') for (const n of targets) env.record({ type: 'process', node: n, action: 'resume' });
      await Promise.all(targets.map((n) => (kind === 'pause' ? env.cluster.resume(n) : env.cluster.start(n))));
      for (const n of targets) env.down.delete(n);
    },
  };
}
