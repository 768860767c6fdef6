import type { Cut } from '../history/types.js';
import type { LinkToxic } from './link-toxic.js';

/** The network state a partitioner holds: directed cuts and link toxics in force. */
export interface NetworkState {
  readonly cuts: readonly Cut[];
  readonly toxics: ReadonlyArray<{ readonly links: readonly Cut[]; readonly toxic: LinkToxic }>;
}

/** What a probe through proxy `from→to` must see, and how long to wait for it. */
export interface ProbeExpectation {
  readonly from: string;
  readonly to: string;
  readonly expect: 'open' | 'blocked';
  /** Least round trip the latency toxics on the pair must add (only when open and non-zero). */
  readonly minDelayMs?: number;
  /** How long the probe waits for an answer before it calls the link silent. */
  readonly deadlineMs: number;
}

/** Deadlines of a probe, before what the toxics on the link add. */
export interface ProbeTiming {
  /** How long a link expected blocked must stay silent (default 200 ms). */
  readonly silenceMs: number;
  /** How long a link expected open may take to answer (default 1000 ms). */
  readonly answerMs: number;
}

/** Default probe timing: a cut costs 200 ms of silence; an open link answers within 1 s. */
export const DEFAULT_PROBE_TIMING: ProbeTiming = { silenceMs: 200, answerMs: 1000 };

/** Bytes a `/status` round trip moves, rounded up (for the time a bandwidth toxic adds). */
const ROUND_TRIP_BYTES = 2000;

const same = (a: Cut, from: string, to: string): boolean => a[0] === from && a[1] === to;

/**
 * What a round trip through proxy `from→to` must show in `state`. It carries `from`'s request
 * on link from→to and `to`'s reply on link to→from, so it is blocked when either link is cut,
 * black-holed (a `timeout` toxic), resets its connections (a `reset_peer` toxic: the probe's
 * connection is closed without an answer, even with a delay, since the data is dropped) or has
 * zero bandwidth; otherwise it is open and at least as
 * slow as the two links' latency toxics (each `latency - jitter`). Pure.
 */
export function expectRoundTrip(from: string, to: string, state: NetworkState, timing: ProbeTiming = DEFAULT_PROBE_TIMING): ProbeExpectation {
  let blocked = state.cuts.some((c) => same(c, from, to) || same(c, to, from));
  let minDelay = 0;
  let maxDelay = 0;
  for (const { links, toxic } of state.toxics) {
    for (const link of links) {
      if (!same(link, from, to) && !same(link, to, from)) continue;
      if (toxic.type === 'timeout' || toxic.type === 'reset_peer' || (toxic.type === 'bandwidth' && toxic.rateKBps === 0)) blocked = true;
      if (toxic.type === 'latency') {
        minDelay += Math.max(0, toxic.latencyMs - (toxic.jitterMs ?? 0));
        maxDelay += toxic.latencyMs + (toxic.jitterMs ?? 0);
      }
      if (toxic.type === 'bandwidth' && toxic.rateKBps > 0) maxDelay += Math.ceil(ROUND_TRIP_BYTES / toxic.rateKBps);
    }
  }
  if (blocked) return { from, to, expect: 'blocked', deadlineMs: timing.silenceMs + maxDelay };
  return { from, to, expect: 'open', ...(minDelay > 0 ? { minDelayMs: minDelay } : {}), deadlineMs: timing.answerMs + maxDelay };
}

/**
 * The proxies to probe for an operation on `links`: for each link X→Y both proxy X→Y and
 * proxy Y→X (each carries messages of the link one way), once each, in a stable order.
 */
export function proxiesOf(links: readonly Cut[]): Cut[] {
  const seen = new Map<string, Cut>();
  for (const [a, b] of links) {
    for (const pair of [[a, b], [b, a]] as const) seen.set(`${pair[0]}\u0000${pair[1]}`, pair);
  }
  return [...seen.values()];
}
