import type { HistoryEntry } from '../../history/types.js';

/**
 * The term an entry shows its node in: a `term` event's new term (`to`), any other node event's
 * `term`, an ok poll's `term`; null for other entries.
 */
export function termShown(e: HistoryEntry): { node: string; term: number } | null {
  if (e.type === 'node-event') {
    const term = e.kind === 'term' && typeof e.to === 'number' ? e.to : e.term;
    return typeof term === 'number' ? { node: e.node, term } : null;
  }
  if (e.type === 'poll' && e.outcome === 'ok' && e.term !== undefined) return { node: e.node, term: e.term };
  return null;
}
