import fc from 'fast-check';
import { resolveTarget } from '../../nemesis/targets.js';
import type { Target } from '../../nemesis/types.js';
import type { DiskFailure } from '../../runtime/types.js';
import { groupTargetArb } from '../arbitraries.js';
import { diskFaultsOf } from '../disk-control.js';
import { aimsAtLeader, type FaultKind } from '../fault-kind.js';
import { leaderNote } from '../process-fault.js';
import { targetRefs, targetWords } from '../words.js';

/** The target nodes' disks refuse while it holds; healed by a working disk (and a restart of a node that stopped). */
export interface DiskFailFault {
  kind: 'disk-fail';
  /** The nodes whose disks fail. */
  target: Target;
  /** `full` (default): writes, renames and fsyncs fail with ENOSPC, reads work; `eio`: every call fails with EIO. */
  mode?: DiskFailure;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    'disk-fail': DiskFailFault;
  }
}

const MODES: readonly DiskFailure[] = ['full', 'eio'];

/**
 * `disk-fail`: the targets' disks refuse (a full file system, or a failing device) while it
 * holds. A node that must then persist term or vote cannot, and must stop rather than answer
 * (Figure 2: persist before responding); the heal gives the disk back and starts again every
 * target that stopped. It records a note (`data.disk` `fail`, then `heal`) at the moment each
 * disk refuses and before it works again: the `persist-or-stop` check judges between them.
 * Drawn by the random search only with `--disk-faults`.
 */
export const diskFail: FaultKind<DiskFailFault> = {
  kind: 'disk-fail',
  fields: ['target', 'mode'],
  process: true,
  randomOptIn: 'disk-faults',
  validate: (f, path, check) => {
    check.target(f['target'], `${path}.target`);
    if (f['mode'] !== undefined) check.oneOf(f['mode'], `${path}.mode`, MODES);
  },
  needsLeader: (spec) => aimsAtLeader(spec.target),
  nodeRefs: (spec, path, ref) => targetRefs(spec.target, `${path}.target`, ref),
  random: {
    weight: 2,
    arbitrary: (n) =>
      fc.record({ target: groupTargetArb(n), mode: fc.constantFrom(...MODES) }).map(({ target, mode }): DiskFailFault => ({ kind: 'disk-fail', target, mode })),
  },
  describe: (spec) => `disk-fail ${targetWords(spec.target)}${spec.mode === 'eio' ? ' (eio)' : ''}`,
  plan: (spec, ctx, env) => {
    const targets = resolveTarget(spec.target, ctx);
    const how = spec.mode ?? 'full';
    const disks = diskFaultsOf(env.cluster, spec.kind);
    return {
      label: `disk-fail ${targets.join(',')} (${how})${leaderNote(ctx.leader, targets, targets.join(','))}`,
      targets,
      cuts: [],
      down: [],
      apply: async () => {
        for (const node of targets) {
          await disks.fail(node, how);
          env.record({ type: 'note', level: 'info', message: `disk of ${node} refuses (${how})`, data: { disk: 'fail', node, how } });
        }
      },
      heal: async () => {
        for (const node of targets) {
          env.record({ type: 'note', level: 'info', message: `disk of ${node} works again`, data: { disk: 'heal', node } });
          await disks.fail(node, null);
        }
        // A node that stopped on a failed write is started again, as a supervisor would.
        await Promise.all(targets.filter((n) => !env.cluster.isRunning(n)).map((n) => env.cluster.start(n)));
      },
    };
  },
};
