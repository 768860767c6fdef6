import fc from 'fast-check';
import type { LinkSelector } from '../../nemesis/types.js';
import { linkSelectorArb } from '../arbitraries.js';
import type { FaultKind } from '../fault-kind.js';
import { linkFault, linkToxicPlan } from '../links.js';
import { linkWords } from '../words.js';

/** Messages on the links are throttled to `rateKBps` (KB = 1000 bytes; 0 stalls them: a cut). */
export interface BandwidthFault {
  kind: 'bandwidth';
  /** The links throttled. */
  links: LinkSelector;
  /**
   * Throughput in KB/s (KB = 1000 bytes; 0 stalls every message).
   * @asType integer
   * @minimum 0
   * @maximum 10000000
   */
  rateKBps: number;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    bandwidth: BandwidthFault;
  }
}

/** `bandwidth`: Toxiproxy's bandwidth toxic on the chosen links. */
export const bandwidth: FaultKind<BandwidthFault> = {
  kind: 'bandwidth',
  ...linkFault<BandwidthFault>([{ name: 'rateKBps', max: 10_000_000 }]),
  random: {
    weight: 1,
    arbitrary: (n) =>
      fc
        .record({ links: linkSelectorArb(n), rateKBps: fc.integer({ min: 1, max: 32 }) })
        .map(({ links, rateKBps }): BandwidthFault => ({ kind: 'bandwidth', links, rateKBps })),
  },
  describe: (spec) => `bandwidth ${spec.rateKBps}KB/s ${linkWords(spec.links)}`,
  // A bandwidth of 0 stalls every message: for reachability, a cut.
  plan: (spec, ctx, env) =>
    linkToxicPlan(spec.links, { type: 'bandwidth', rateKBps: spec.rateKBps }, `bandwidth ${spec.rateKBps} KB/s`, spec.rateKBps === 0, ctx, env),
};
