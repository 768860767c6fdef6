/** One entry of `GET /events` (node/API.md). */
export interface LoggedEvent {
  readonly seq: number;
  readonly atMs: number;
  readonly kind: string;
  readonly term: number;
  readonly node: string;
  readonly [detail: string]: unknown;
}

/** One page of `GET /events?since=N`. */
export interface EventPage {
  readonly next: number;
  readonly firstSeq: number;
  readonly events: readonly LoggedEvent[];
}

/**
 * The node's own ordered log of transitions and votes, in memory, keeping the newest
 * `capacity` entries. Sequence numbers start at 1 and never repeat within a process.
 */
export class EventLog {
  private readonly items: LoggedEvent[] = [];
  private seq = 0;
  /** Waiting long polls: each wake-up and the seq it waits to be passed. */
  private readonly waiters = new Map<() => void, number>();

  constructor(private readonly capacity = 10_000) {}

  /** Appends an event, giving it the next seq. */
  append(e: { kind: string; term: number; node: string; atMs: number; [k: string]: unknown }): LoggedEvent {
    const { kind, term, node, atMs, ...details } = e;
    const logged: LoggedEvent = { seq: ++this.seq, atMs, kind, term, node, ...details };
    this.items.push(logged);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    // Only the polls this event answers (an event past their `since`); the others keep waiting.
    for (const [wake, since] of [...this.waiters]) if (this.seq > since) wake();
    return logged;
  }

  /**
   * Resolves as soon as an event with seq > `since` is in the log (at once when there is one),
   * or after `waitMs` with none, or when `cancel` fires (the request went away): the long poll
   * of `GET /events?since=N&wait=MS`. Never rejects.
   */
  waitFor(since: number, waitMs: number, cancel?: AbortSignal): Promise<void> {
    if (this.seq > since || waitMs <= 0 || cancel?.aborted) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        cancel?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      this.waiters.set(done, since);
      cancel?.addEventListener('abort', done, { once: true });
    });
  }

  /** Releases every waiting long poll now (the node is stopping). */
  wakeAll(): void {
    for (const wake of [...this.waiters.keys()]) wake();
  }

  /** Events with seq > since, oldest first, at most `limit`. */
  since(since: number, limit = 1000): EventPage {
    const firstSeq = this.items[0]?.seq ?? this.seq + 1;
    const start = Math.max(0, since + 1 - firstSeq);
    const events = this.items.slice(start, start + limit);
    return { next: events.length > 0 ? events[events.length - 1]!.seq : since, firstSeq, events };
  }
}
