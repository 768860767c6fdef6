import type { ICreateToxicBody } from 'toxiproxy-node-client';

/**
 * A toxic on directed links, in the harness's terms. One file per concept: this is the mapping
 * from a fault's parameters to Toxiproxy toxic bodies.
 * - `latency`: every message on the link is held `latencyMs ± jitterMs`.
 * - `bandwidth`: messages on the link are throttled to `rateKBps` (KB = 1000 bytes).
 * - `timeout`: a black hole; messages are dropped and connections close after `timeoutMs`
 *   (0 or omitted: never, until removed).
 * - `reset_peer`: connections are reset `timeoutMs` after their first data (0: at once), the
 *   data dropped.
 */
export type LinkToxic =
  | { type: 'latency'; latencyMs: number; jitterMs?: number }
  | { type: 'bandwidth'; rateKBps: number }
  | { type: 'timeout'; timeoutMs?: number }
  | { type: 'reset_peer'; timeoutMs?: number };

/** Which stream of a proxy a toxic sits on: upstream = client→server, downstream = replies. */
export type Stream = 'upstream' | 'downstream';

/** The Toxiproxy body for `toxic` on one stream, named `name`. */
export function toxicBody(name: string, stream: Stream, toxic: LinkToxic): ICreateToxicBody<Record<string, number>> {
  return { name, stream, type: toxic.type, toxicity: 1, attributes: toxicAttributes(toxic) };
}

/** The toxic's Toxiproxy attributes (as recorded in `fault-start` links too). */
export function toxicAttributes(toxic: LinkToxic): Record<string, number> {
  switch (toxic.type) {
    case 'latency':
      return { latency: toxic.latencyMs, jitter: toxic.jitterMs ?? 0 };
    case 'bandwidth':
      return { rate: toxic.rateKBps };
    case 'timeout':
    case 'reset_peer':
      return { timeout: toxic.timeoutMs ?? 0 };
  }
}
