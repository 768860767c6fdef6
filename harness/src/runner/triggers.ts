import type { HistorySink } from '../history/sink.js';
import type { HistoryEntry, NodeEventEntry } from '../history/types.js';
import { aimAt, fires, type NodeEventTrigger } from '../faults/trigger.js';
import type { FaultSpec, Step } from '../scenario/types.js';

/** What a triggered step is (event names, the `trigger` target) lives with the fault kinds (faults/trigger.ts); the runner waits for it. */
export * from '../faults/trigger.js';

/**
 * A history sink that hands the node events recorded while some trigger is armed to it (the
 * runner adds it to every run's sinks). Keeps nothing while no trigger is armed.
 */
export class NodeEventTap implements HistorySink {
  private readonly armed = new Set<(e: NodeEventEntry) => void>();

  write(entry: HistoryEntry): void {
    if (this.armed.size === 0 || entry.type !== 'node-event') return;
    for (const listener of this.armed) listener(entry);
  }

  async close(): Promise<void> {
    this.armed.clear();
  }

  /** Calls `listener` with each node event recorded until the returned function is called. */
  listen(listener: (e: NodeEventEntry) => void): () => void {
    this.armed.add(listener);
    return () => this.armed.delete(listener);
  }
}

/** What waiting for a trigger needs of the run. */
export interface TriggerEnv {
  tap: NodeEventTap;
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Records the nodes' events now (the simulated poller drains them; the real one reads `/events`). */
  flushEvents(): Promise<void>;
  /** How often to look for the event: 1 ms on virtual time, more on real time (each look reads `/events`). */
  stepMs: number;
}

/**
 * Waits until a node event that fires `trigger` happened at or after now, at most `withinMs`:
 * resolves to its entry (whose `t` is when the node logged it), or undefined when none came.
 * Looks every `stepMs`, recording the nodes' events each time, so on virtual time the event is
 * seen within a millisecond of its time.
 */
export async function awaitTrigger(trigger: NodeEventTrigger, withinMs: number, env: TriggerEnv): Promise<NodeEventEntry | undefined> {
  const from = env.now();
  const until = from + withinMs;
  let hit: NodeEventEntry | undefined;
  const stop = env.tap.listen((e) => {
    if (hit === undefined && e.t >= from && fires(trigger, e)) hit = e;
  });
  try {
    for (;;) {
      await env.flushEvents();
      if (hit !== undefined || env.now() >= until) return hit;
      await env.sleep(Math.min(env.stepMs, until - env.now()));
    }
  } finally {
    stop();
  }
}

/** Whether any step (inside repeats too) is fired by a node event. */
export function hasTriggers(steps: readonly Step[]): boolean {
  return steps.some((s) => ('fault' in s && s.on !== undefined) || ('repeat' in s && hasTriggers(s.steps)));
}
