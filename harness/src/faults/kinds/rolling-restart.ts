import fc from 'fast-check';
import { NoLeaderError, resolveTarget } from '../../nemesis/targets.js';
import type { Target } from '../../nemesis/types.js';
import { singleTargetArb } from '../arbitraries.js';
import { aimsAtLeader, type FaultKind, type ScheduleOps } from '../fault-kind.js';
import { targetRefs, targetWords } from '../words.js';

/** Restart each target one after another, waiting for a settled leader between them. */
export interface RollingRestartFault {
  kind: 'rolling-restart';
  /** The nodes restarted, one after another. */
  target: Target;
  /** SIGTERM (true, the default) or kill -9 (false). */
  graceful?: boolean;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    'rolling-restart': RollingRestartFault;
  }
}

/**
 * `rolling-restart`: not a held fault; the schedule runs it. Each target in turn is stopped
 * (SIGTERM, or kill -9 unless `graceful`) and started again as its own fault, with a wait for a
 * settled leader before and after each.
 */
export const rollingRestart: FaultKind<RollingRestartFault> = {
  kind: 'rolling-restart',
  fields: ['target', 'graceful'],
  process: true,
  validate: (f, path, check) => {
    check.target(f['target'], `${path}.target`);
    if (f['graceful'] !== undefined) check.bool(f['graceful'], `${path}.graceful`);
  },
  needsLeader: (spec) => aimsAtLeader(spec.target),
  nodeRefs: (spec, path, ref) => targetRefs(spec.target, `${path}.target`, ref),
  random: {
    weight: 1,
    arbitrary: (n) =>
      fc
        .record({ target: singleTargetArb(n), graceful: fc.boolean() })
        .map(({ target, graceful }): RollingRestartFault => ({ kind: 'rolling-restart', target, graceful })),
  },
  describe: (spec) => `rolling-restart ${targetWords(spec.target)}${spec.graceful === false ? ' (kill -9)' : ''}`,
  plan: () => {
    throw new Error('rolling-restart is run by the schedule, not started as a held fault');
  },
  run: async (spec, ops) => {
    // Aimed at the leader: wait for one (bounded) as a held fault would; none: nothing restarted.
    if (needsLeaderNow(spec, ops)) await ops.awaitLeader();
    let targets: string[];
    try {
      targets = resolveTarget(spec.target, { nodes: ops.nodes, leader: ops.leader()?.node ?? null, rng: ops.rng });
    } catch (err) {
      if (!(err instanceof NoLeaderError)) throw err;
      ops.note(`rolling-restart not applied: ${err.message}`, { target: spec.target });
      return;
    }
    for (const node of targets) {
      if (ops.leader() === null) await ops.awaitLeader();
      const id = await ops.start({ kind: spec.graceful === false ? 'kill' : 'stop', target: node });
      await ops.heal(id);
      await ops.awaitLeader();
    }
  },
};

/** Whether a rolling restart aims at the leader and the cluster has none right now. */
function needsLeaderNow(spec: RollingRestartFault, ops: ScheduleOps): boolean {
  return aimsAtLeader(spec.target) && ops.leader() === null;
}
