import type { Rpc, RpcReply } from './types.js';

/**
 * The highest term a node accepts or reaches: 2^53 - 2^20 (node/API.md). Terms are JSON
 * numbers, exact only up to 2^53 - 1; a node at that term could never start a higher one, so a
 * single request carrying it would stop the cluster electing for good. The bound sits well
 * below that limit, so every term a node derives from one it accepted (term + 1 for a Pre-Vote
 * or a campaign) is still exact. Terms grow one election at a time: at 1,000 elections a
 * second, an honest cluster would need about 285,000 years to reach it.
 */
export const MAX_TERM = 2 ** 53 - 2 ** 20;

/** Whether `term` is a term a node may hold: a whole number from 0 to MAX_TERM. */
export function isTermWithinBound(term: number): boolean {
  return Number.isSafeInteger(term) && term >= 0 && term <= MAX_TERM;
}

/**
 * The first term-valued field of a request above MAX_TERM, as `{field, value}`, or null when
 * every one is within the bound. Checks term, lastLogTerm, prevLogTerm and each entry's term.
 * Pure.
 */
export function termAboveBound(rpc: Rpc): { field: string; value: number } | null {
  const fields: [string, number][] =
    rpc.type === 'append-entries'
      ? [
          ['term', rpc.body.term],
          ['prevLogTerm', rpc.body.prevLogTerm],
          ...rpc.body.entries.map((e, i): [string, number] => [`entries[${i}].term`, e.term]),
        ]
      : [
          ['term', rpc.body.term],
          ['lastLogTerm', rpc.body.lastLogTerm],
        ];
  for (const [field, value] of fields) if (value > MAX_TERM) return { field, value };
  return null;
}

/** Whether a peer's reply carries a term above MAX_TERM (the core ignores such replies). */
export function replyAboveBound(reply: RpcReply): boolean {
  return reply.term > MAX_TERM;
}
