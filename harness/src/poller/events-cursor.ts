import type { EventsGapEntry, NodeEventEntry } from '../history/types.js';

/** A `GET /events?since=N` answer (node/API.md). */
export interface EventsResponse {
  bootId: string;
  next: number;
  firstSeq: number;
  events: Array<{ seq: number; atMs: number; kind: string; term: number; node: string; [k: string]: unknown }>;
}

/** At most this many events come back per call (node/API.md); a full page means ask again. */
export const EVENTS_PAGE = 1000;

/**
 * Where the harness is in one node's `/events`, per boot. Pure: feed it answers, it returns the
 * history entries and what to do next.
 * - A new `bootId` resets the cursor to 0; an answer for a new boot to a `since` meant for the
 *   old one is dropped and must be asked again (`refetch`), since seqs restart at 1.
 * - `firstSeq > since + 1` means the node's bounded buffer dropped events: an `events-gap`.
 */
export class EventsCursor {
  bootId: string | undefined;
  since = 0;

  constructor(private readonly node: string) {}

  /** The query string value to ask with next. */
  query(): number {
    return this.since;
  }

  /**
   * Take an answer to `query()`; `toRunTime` maps a node's epoch ms onto the run clock,
   * `t`/`wall` stamp an `events-gap`.
   */
  accept(
    response: EventsResponse,
    asked: number,
    stamp: { t: number; wall: number; toRunTime(wallMs: number): number },
  ): { entries: Array<NodeEventEntry | EventsGapEntry>; again: boolean } {
    if (response.bootId !== this.bootId) {
      this.bootId = response.bootId;
      this.since = 0;
      if (asked !== 0) return { entries: [], again: true };
    } else if (asked !== this.since) {
      return { entries: [], again: true }; // an answer to an older question; ignore
    }
    const entries: Array<NodeEventEntry | EventsGapEntry> = [];
    if (response.firstSeq > this.since + 1) {
      entries.push({
        type: 'events-gap', t: stamp.t, wall: stamp.wall, node: this.node, bootId: response.bootId,
        fromSeq: this.since + 1, toSeq: response.firstSeq - 1,
      });
    }
    for (const event of response.events) {
      if (event.seq <= this.since) continue;
      entries.push({
        ...event,
        type: 'node-event',
        t: stamp.toRunTime(event.atMs),
        wall: event.atMs,
        node: this.node,
        bootId: response.bootId,
      });
      this.since = event.seq;
    }
    this.since = Math.max(this.since, response.next);
    return { entries, again: response.events.length >= EVENTS_PAGE };
  }
}

/** Whether a parsed body looks like an `/events` answer. */
export function isEventsResponse(body: unknown): body is EventsResponse {
  const b = body as EventsResponse;
  return typeof b === 'object' && b !== null && typeof b.bootId === 'string' && typeof b.next === 'number' &&
    typeof b.firstSeq === 'number' && Array.isArray(b.events);
}
