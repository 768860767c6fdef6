import fc from 'fast-check';
import type { LinkSelector } from '../../nemesis/types.js';
import { linkSelectorArb } from '../arbitraries.js';
import type { FaultKind } from '../fault-kind.js';
import { linkFault, linkToxicPlan, MAX_MS } from '../links.js';
import { linkWords } from '../words.js';

/** Black hole: data on the links is dropped and connections close after `timeoutMs` (0: never). */
export interface TimeoutFault {
  kind: 'timeout';
  /** The links black-holed. */
  links: LinkSelector;
  /**
   * Close connections after this many ms (0 or omitted: never).
   * @asType integer
   * @minimum 0
   * @maximum 3600000
   */
  timeoutMs?: number;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    timeout: TimeoutFault;
  }
}

/** `timeout`: Toxiproxy's timeout toxic (a black hole) on the chosen links; they count as cut. */
export const timeout: FaultKind<TimeoutFault> = {
  kind: 'timeout',
  ...linkFault<TimeoutFault>([{ name: 'timeoutMs', max: MAX_MS, optional: true }]),
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
