import type { LinkSelector, Target } from '../nemesis/types.js';
import type { NodeRefSink } from './fault-kind.js';
import { NAMED_TARGETS } from '../nemesis/targets.js';

/** A target in a few words: `leader`, `n1,n3`. */
export function targetWords(x: Target): string {
  return typeof x === 'string' ? x : x.join(',');
}

/** A link selector in a few words: `on all links`, `around leader`, `leader→all`. */
export function linkWords(l: LinkSelector): string {
  if (l === 'all') return 'on all links';
  if ('around' in l) return `around ${targetWords(l.around)}`;
  return `${targetWords(l.from)}→${targetWords(l.to)}`;
}

/** Reports the node ids a target names (target words are not ids). */
export function targetRefs(t: Target, path: string, ref: NodeRefSink): void {
  if (typeof t === 'string') {
    if (!NAMED_TARGETS.includes(t)) ref(path, t);
  } else {
    t.forEach((node, i) => ref(`${path}[${i}]`, node));
  }
}

/** Reports the node ids a link selector names. */
export function linkRefs(l: LinkSelector, path: string, ref: NodeRefSink): void {
  if (l === 'all') return;
  if ('around' in l) return targetRefs(l.around, `${path}.around`, ref);
  targetRefs(l.from, `${path}.from`, ref);
  targetRefs(l.to, `${path}.to`, ref);
}
