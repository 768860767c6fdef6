import type { Clock } from '../../util/clock.js';

/**
 * The wall clock of every simulated run starts here (2000-01-01T00:00:00Z), so `wall` fields,
 * run ids and report times are the same on every replay of a seed. Clearly not a real date.
 */
export const VIRTUAL_EPOCH_MS = Date.UTC(2000, 0, 1);

/** What a virtual clock drives: something with a time that can be run forward. */
export interface VirtualTimeSource {
  /** Virtual ms since the simulation started. */
  readonly now: number;
  /** Runs every simulated action due up to `t` (inclusive); afterwards `now` is `t`. */
  runUntil(t: number): void;
}

/**
 * The runner's Clock on virtual time: `sleep(ms)` runs the simulation `ms` forward at once
 * (synchronously) and then resolves, so a schedule written for real time runs in simulated
 * time without change. `wall()` is `epochMs + now()`.
 */
export class VirtualClock implements Clock {
  constructor(
    private readonly source: VirtualTimeSource,
    readonly epochMs: number = VIRTUAL_EPOCH_MS,
  ) {}

  now(): number {
    return this.source.now;
  }

  wall(): number {
    return this.epochMs + this.source.now;
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted();
    this.source.runUntil(this.source.now + Math.max(0, ms));
    signal?.throwIfAborted();
  }
}
