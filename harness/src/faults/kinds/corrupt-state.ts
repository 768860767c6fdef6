import fc from 'fast-check';
import { resolveOne } from '../../nemesis/targets.js';
import type { Target } from '../../nemesis/types.js';
import { singleTargetArb } from '../arbitraries.js';
import { diskFaultsOf } from '../disk-control.js';
import { aimsAtLeader, type FaultKind } from '../fault-kind.js';
import { leaderNote } from '../process-fault.js';
import { corruptStateText, STATE_CORRUPTION_NAMES, type StateCorruption } from '../state-corruptions.js';
import { targetRefs, targetWords } from '../words.js';

/** The target is stopped, its state file corrupted, and it is started again; healed by restoring the file. */
export interface CorruptStateFault {
  kind: 'corrupt-state';
  /** The one node whose state file is corrupted. */
  target: Target;
  /** How (faults/state-corruptions.ts); default `truncated`. */
  corruption?: StateCorruption;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    'corrupt-state': CorruptStateFault;
  }
}

/**
 * `corrupt-state`: stops the target (SIGTERM), corrupts its state file (truncated, garbled,
 * a wrong version, a term or vote of the wrong type or range: faults/state-corruptions.ts) and
 * starts it again. Our node must refuse to start (exit 1) rather than come back from a file
 * it cannot trust (at term 0, or with its vote forgotten). The heal restores the file and
 * starts the node again if it is down. Notes (`data.disk` `corrupt`, then `restore`) mark the
 * window the `refuse-corrupt-state` check judges. Drawn by the random search only with
 * `--disk-faults`.
 */
export const corruptState: FaultKind<CorruptStateFault> = {
  kind: 'corrupt-state',
  fields: ['target', 'corruption'],
  process: true,
  randomOptIn: 'disk-faults',
  validate: (f, path, check) => {
    check.target(f['target'], `${path}.target`);
    if (f['corruption'] !== undefined) check.oneOf(f['corruption'], `${path}.corruption`, STATE_CORRUPTION_NAMES);
  },
  needsLeader: (spec) => aimsAtLeader(spec.target),
  nodeRefs: (spec, path, ref) => targetRefs(spec.target, `${path}.target`, ref),
  random: {
    weight: 2,
    arbitrary: (n) =>
      fc
        .record({ target: singleTargetArb(n), corruption: fc.constantFrom(...STATE_CORRUPTION_NAMES) })
        .map(({ target, corruption }): CorruptStateFault => ({ kind: 'corrupt-state', target, corruption })),
  },
  describe: (spec) => `corrupt-state ${targetWords(spec.target)} (${spec.corruption ?? 'truncated'})`,
  plan: (spec, ctx, env) => {
    const node = resolveOne(spec.target, ctx, 'corrupt-state');
    const how = spec.corruption ?? 'truncated';
    const disks = diskFaultsOf(env.cluster, spec.kind);
    return {
      label: `corrupt-state ${node} (${how})${leaderNote(ctx.leader, [node], node)}`,
      targets: [node],
      cuts: [],
      down: [node],
      apply: async () => {
        await env.flushEvents([node]);
        env.record({ type: 'process', node, action: 'stop' });
        env.down.add(node);
        await env.cluster.stop(node);
        const text = await disks.corruptState(node, (t) => corruptStateText(how, t));
        env.record({ type: 'note', level: 'info', message: `state file of ${node} corrupted (${how})`, data: { disk: 'corrupt', node, corruption: how, text } });
        try {
          await env.cluster.start(node);
        } catch (e) {
          // A process runtime's start fails when the node exits before it is ready: the
          // refusal expected here (its exit is in the history); anything else is the run's error.
          if (env.cluster.isRunning(node)) throw e;
        }
      },
      heal: async () => {
        env.record({ type: 'note', level: 'info', message: `state file of ${node} restored`, data: { disk: 'restore', node } });
        // A node that started from the corrupt file (a bug) keeps running on what it read.
        if (!env.cluster.isRunning(node)) {
          await disks.restoreState(node);
          await env.cluster.start(node);
        }
        env.down.delete(node);
      },
    };
  },
};
