import type { Cut } from '../history/types.js';
import { directedLinks } from '../network/link-names.js';
import { toxicAttributes, type LinkToxic } from '../network/link-toxic.js';
import type { LinkToxicHandle } from '../network/partitioner.js';
import { resolveTarget, type NemesisContext } from '../nemesis/targets.js';
import type { FaultSpec } from './fault-spec.js';
import type { LinkSelector } from '../nemesis/types.js';
import { linksNeedLeader, type FaultEnv, type FaultKind, type FieldChecks, type Planned } from './fault-kind.js';
import { linkRefs } from './words.js';

/** The directed links a selector names, resolved against the current leader. */
export function resolveLinks(sel: LinkSelector, ctx: NemesisContext): Cut[] {
  const all = directedLinks(ctx.nodes);
  if (sel === 'all') return all;
  if ('around' in sel) {
    const around = new Set(resolveTarget(sel.around, ctx));
    return all.filter(([a, b]) => around.has(a) || around.has(b));
  }
  const from = new Set(resolveTarget(sel.from, ctx));
  const to = new Set(resolveTarget(sel.to, ctx));
  return all.filter(([a, b]) => from.has(a) && to.has(b));
}

/** Resolved links in a label: `all links`, `links of n1`, `n1→n2 n1→n3`. */
export function describeLinks(sel: LinkSelector, links: readonly Cut[], nodes: readonly string[]): string {
  if (sel === 'all' || links.length === nodes.length * (nodes.length - 1)) return 'all links';
  if ('around' in sel) {
    const ends = new Set(links.flat());
    const centre = nodes.filter((n) => links.filter(([a, b]) => a === n || b === n).length === links.length);
    return `links of ${centre.length > 0 ? centre.join(',') : [...ends].join(',')}`;
  }
  return links.map(([a, b]) => `${a}→${b}`).join(' ');
}

/**
 * The plan of a fault that puts one link toxic on the links a selector names: `what` labels
 * it (`latency 20±5 ms`), `cuts` says whether, for reachability, those links are cut (a black
 * hole, a reset, a bandwidth of 0) or only slowed. Applied and healed through the partitioner
 * (which the simulated network stands in for).
 */
export function linkToxicPlan(sel: LinkSelector, toxic: LinkToxic, what: string, cuts: boolean, ctx: NemesisContext, env: FaultEnv): Planned {
  const nodes = env.cluster.nodes;
  const links = resolveLinks(sel, ctx);
  const attributes = toxicAttributes(toxic);
  let handle: LinkToxicHandle | undefined;
  return {
    label: `${what} on ${describeLinks(sel, links, nodes)}`,
    targets: nodes.filter((n) => links.some(([a, b]) => a === n || b === n)),
    cuts: cuts ? links.map(([a, b]) => [a, b] as const) : [],
    links: links.map(([from, to]) => ({ from, to, toxic: toxic.type, attributes })),
    down: [],
    apply: async () => {
      handle = await env.partitioner.applyLinkToxic(links, toxic);
    },
    heal: async () => {
      if (handle) await env.partitioner.removeLinkToxic(handle);
    },
  };
}

/** Longest duration a fault field takes, in ms (an hour). */
export const MAX_MS = 3_600_000;

/** A whole-number field of a link fault: its name, its largest value, and whether it may be left out. */
export interface LinkFaultField {
  readonly name: string;
  readonly max: number;
  readonly optional?: boolean;
}

/**
 * What every link fault kind shares: its `links` selector checked and then its whole-number
 * fields (from 0), a need for a leader when the selector aims at one, and the node ids of the
 * selector. Spread it into the kind: `{ kind: 'reset', ...linkFault([...]), ... }`.
 */
export function linkFault<S extends FaultSpec & { links: LinkSelector }>(fields: readonly LinkFaultField[]): Pick<FaultKind<S>, 'fields' | 'validate' | 'needsLeader' | 'nodeRefs'> {
  return {
    fields: ['links', ...fields.map((f) => f.name)],
    validate: (f: Record<string, unknown>, path: string, check: FieldChecks) => {
      check.links(f['links'], `${path}.links`);
      for (const x of fields) if (!x.optional || f[x.name] !== undefined) check.int(f[x.name], `${path}.${x.name}`, 0, x.max);
    },
    needsLeader: (spec) => linksNeedLeader(spec.links),
    nodeRefs: (spec, path, ref) => linkRefs(spec.links, `${path}.links`, ref),
  };
}
