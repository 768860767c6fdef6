import fc from 'fast-check';
import type { LinkSelector } from '../../scenario/types.js';
import { linkSelectorArb } from '../arbitraries.js';
import { linksNeedLeader, type FaultKind } from '../fault-kind.js';
import { linkToxicPlan } from '../links.js';
import { linkRefs, linkWords } from '../words.js';

/** Black hole: data on the links is dropped and connections close after `timeoutMs` (0: never). */
export interface TimeoutFault {
  kind: 'timeout';
  links: LinkSelector;
  timeoutMs?: number;
}

declare module '../../scenario/types.js' {
  interface FaultSpecs {
    timeout: TimeoutFault;
  }
}

/** `timeout`: Toxiproxy's timeout toxic (a black hole) on the chosen links; they count as cut. */
export const timeout: FaultKind<TimeoutFault> = {
  kind: 'timeout',
  fields: ['links', 'timeoutMs'],
  validate: (f, path, check) => {
    check.links(f['links'], `${path}.links`);
    if (f['timeoutMs'] !== undefined) check.int(f['timeoutMs'], `${path}.timeoutMs`, 0, 3_600_000);
  },
  needsLeader: (spec) => linksNeedLeader(spec.links),
  nodeRefs: (spec, path, ref) => linkRefs(spec.links, `${path}.links`, ref),
  random: {
    weight: 2,
    arbitrary: (n, e) =>
      fc
        .record({ links: linkSelectorArb(n), timeoutMs: fc.integer({ min: 0, max: 2 * e }) })
        .map(({ links, timeoutMs }): TimeoutFault => ({ kind: 'timeout', links, timeoutMs })),
  },
  describe: (spec) => `black hole ${linkWords(spec.links)}${spec.timeoutMs ? ` (close after ${spec.timeoutMs}ms)` : ''}`,
  plan: (spec, ctx, env) => linkToxicPlan(spec.links, { type: 'timeout', timeoutMs: spec.timeoutMs ?? 0 }, 'black hole', true, ctx, env),
};
