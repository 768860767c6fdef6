import fc from 'fast-check';
import type { LinkSelector } from '../../nemesis/types.js';
import { linkSelectorArb } from '../arbitraries.js';
import type { FaultKind } from '../fault-kind.js';
import { linkFault, linkToxicPlan, MAX_MS } from '../links.js';
import { linkWords } from '../words.js';

/** Every message on the links is held `latencyMs ± jitterMs`. */
export interface LatencyFault {
  kind: 'latency';
  /** The links slowed. */
  links: LinkSelector;
  /**
   * Added delay in ms.
   * @asType integer
   * @minimum 0
   * @maximum 3600000
   */
  latencyMs: number;
  /**
   * Spread around the delay in ms (default 0).
   * @asType integer
   * @minimum 0
   * @maximum 3600000
   */
  jitterMs?: number;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    latency: LatencyFault;
  }
}

/** `latency`: Toxiproxy's latency toxic on the chosen links. */
export const latency: FaultKind<LatencyFault> = {
  kind: 'latency',
  ...linkFault<LatencyFault>([{ name: 'latencyMs', max: MAX_MS }, { name: 'jitterMs', max: MAX_MS, optional: true }]),
  random: {
    weight: 2,
    arbitrary: (n, e) =>
      fc
        .record({
          links: linkSelectorArb(n),
          latencyMs: fc.integer({ min: Math.max(1, Math.round(e / 10)), max: Math.max(2, Math.round(1.5 * e)) }),
          jitterPct: fc.integer({ min: 0, max: 100 }),
        })
        .map(({ links, latencyMs: l, jitterPct }): LatencyFault => {
          const jitterMs = Math.round((l * jitterPct) / 200);
          return jitterMs > 0 ? { kind: 'latency', links, latencyMs: l, jitterMs } : { kind: 'latency', links, latencyMs: l };
        }),
  },
  describe: (spec) => `latency ${spec.latencyMs}${spec.jitterMs ? `±${spec.jitterMs}` : ''}ms ${linkWords(spec.links)}`,
  plan: (spec, ctx, env) =>
    linkToxicPlan(spec.links, { type: 'latency', latencyMs: spec.latencyMs, jitterMs: spec.jitterMs ?? 0 }, `latency ${spec.latencyMs}±${spec.jitterMs ?? 0} ms`, false, ctx, env),
};
