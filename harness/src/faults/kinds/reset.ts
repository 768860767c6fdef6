import fc from 'fast-check';
import type { LinkSelector } from '../../nemesis/types.js';
import { linkSelectorArb } from '../arbitraries.js';
import type { FaultKind } from '../fault-kind.js';
import { linkFault, linkToxicPlan, MAX_MS } from '../links.js';
import { linkWords } from '../words.js';

/**
 * Connection reset: every connection carrying messages on the links is reset (TCP RST)
 * `timeoutMs` after its first data arrives (0 or omitted: at once), and that data is dropped
 * (Toxiproxy's `reset_peer` toxic). A sender sees its request fail instead of waiting out its
 * deadline, so for reachability the links are cut.
 */
export interface ResetFault {
  kind: 'reset';
  /** The links whose connections are reset. */
  links: LinkSelector;
  /**
   * Reset this many ms after a connection's first data (0 or omitted: at once).
   * @asType integer
   * @minimum 0
   * @maximum 3600000
   */
  timeoutMs?: number;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    reset: ResetFault;
  }
}

/**
 * `reset`: Toxiproxy's `reset_peer` toxic on the chosen links. In the simulated network
 * (sim/sim-links.ts) a request on a reset link is dropped and fails after `timeoutMs` (at least
 * the time a refused connection takes), and a reply on one is dropped, so the requester's RPC
 * times out (a real reset of the reply's connection fails it sooner: the node treats both as a
 * failed RPC).
 */
export const reset: FaultKind<ResetFault> = {
  kind: 'reset',
  ...linkFault<ResetFault>([{ name: 'timeoutMs', max: MAX_MS, optional: true }]),
  random: {
    weight: 1,
    arbitrary: (n, e) =>
      fc
        .record({ links: linkSelectorArb(n), timeoutMs: fc.integer({ min: 0, max: e }) })
        .map(({ links, timeoutMs }): ResetFault => (timeoutMs > 0 ? { kind: 'reset', links, timeoutMs } : { kind: 'reset', links })),
  },
  describe: (spec) => `reset ${linkWords(spec.links)}${spec.timeoutMs ? ` (after ${spec.timeoutMs}ms)` : ''}`,
  plan: (spec, ctx, env) =>
    linkToxicPlan(spec.links, { type: 'reset_peer', timeoutMs: spec.timeoutMs ?? 0 }, `reset${spec.timeoutMs ? ` after ${spec.timeoutMs} ms` : ''}`, true, ctx, env),
};
