import fc from 'fast-check';
import { oneWayFromSpec } from '../../nemesis/partitions.js';
import type { Target } from '../../nemesis/types.js';
import { singleTargetArb } from '../arbitraries.js';
import { cutPlan } from '../cut-plan.js';
import { aimsAtLeader, type FaultKind } from '../fault-kind.js';
import { targetRefs, targetWords } from '../words.js';

/**
 * One-way: the target can send but not receive (`blocks: 'inbound'`), or receive but not send
 * (`blocks: 'outbound'`), to and from every other node.
 */
export interface OneWayFault {
  kind: 'one-way';
  /** The node cut off in one direction. */
  target: Target;
  /** `inbound`: it cannot receive; `outbound`: it cannot send. */
  blocks: 'inbound' | 'outbound';
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    'one-way': OneWayFault;
  }
}

/** `one-way`: directed cuts into or out of one node. */
export const oneWay: FaultKind<OneWayFault> = {
  kind: 'one-way',
  fields: ['target', 'blocks'],
  validate: (f, path, check) => {
    check.target(f['target'], `${path}.target`);
    check.oneOf(f['blocks'], `${path}.blocks`, ['inbound', 'outbound']);
  },
  needsLeader: (spec) => aimsAtLeader(spec.target),
  nodeRefs: (spec, path, ref) => targetRefs(spec.target, `${path}.target`, ref),
  random: {
    weight: 2,
    arbitrary: (n) =>
      fc
        .record({ target: singleTargetArb(n), blocks: fc.constantFrom('inbound' as const, 'outbound' as const) })
        .map(({ target, blocks }): OneWayFault => ({ kind: 'one-way', target, blocks })),
  },
  describe: (spec) => `one-way ${targetWords(spec.target)} blocks ${spec.blocks}`,
  plan: (spec, ctx, env) => cutPlan(oneWayFromSpec(spec.target, spec.blocks, ctx), ctx, env),
};
