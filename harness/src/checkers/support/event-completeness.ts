import type { HistoryEntry } from '../../history/types.js';
import { isTeardown } from './window.js';

/**
 * Whether a node's own events can be trusted complete over a stretch of a run, for the checks
 * that conclude from an event's absence (a vote never granted, a refusal never logged). A real
 * node's events reach the history when the harness reads them, so some may never arrive:
 * - an `events-gap`: events the node logged and the harness lost;
 * - a kill or stop on a real runtime: events not yet read die with the process (the simulated
 *   runtime reads every event as it happens);
 * - a run cut short (no `run-end`, or an interrupted one): the last events were never read.
 * The teardown's own stops do not count: the harness reads every node's events before it stops
 * them. One place for `leader-has-votes`, `pre-vote-won` and `pre-vote-outcome`.
 */
export class EventCompleteness {
  private readonly lossy = new Map<string, number[]>();
  private readonly withEvents = new Set<string>();
  private readonly lastEvent = new Map<string, number>();
  private cutShort = true;

  constructor(history: readonly HistoryEntry[]) {
    let killsLoseEvents = true;
    let teardown = false;
    for (const e of history) {
      if (e.type === 'run-start') killsLoseEvents = e.runtime !== 'sim';
      else if (e.type === 'run-end') this.cutShort = e.interrupted !== undefined;
      if (isTeardown(e)) teardown = true;
      if (!teardown && (e.type === 'events-gap' || (killsLoseEvents && e.type === 'process' && (e.action === 'kill' || e.action === 'stop')))) {
        this.lossy.set(e.node, [...(this.lossy.get(e.node) ?? []), e.t]);
      }
      if (e.type === 'node-event') {
        this.withEvents.add(e.node);
        if (e.t > (this.lastEvent.get(e.node) ?? -Infinity)) this.lastEvent.set(e.node, e.t);
      }
    }
  }

  /**
   * Whether `node`'s events stamped from `from` to `to` may be missing from the history: it
   * logged none at all, it lost events or was killed or stopped from `from` on (its unread
   * events then die, however late the kill), or the run was cut short before an event of it
   * stamped after `to` was read.
   */
  unsure(node: string, from: number, to: number): boolean {
    if (!this.withEvents.has(node)) return true;
    if ((this.lossy.get(node) ?? []).some((t) => t >= from)) return true;
    return this.cutShort && (this.lastEvent.get(node) ?? -Infinity) <= to;
  }
}
