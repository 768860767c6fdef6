import { setTimeout as delay } from 'node:timers/promises';

/**
 * Time as the runner sees it, injected so that a simulated runtime can drive the same runner
 * with a virtual clock. `now()` is monotonic milliseconds (any origin), `wall()` epoch ms.
 */
export interface Clock {
  now(): number;
  wall(): number;
  /** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: performance.now() and Date.now(). */
export const realClock: Clock = {
  now: () => performance.now(),
  wall: () => Date.now(),
  sleep: async (ms, signal) => {
    await delay(Math.max(0, ms), undefined, signal ? { signal } : undefined);
  },
};
