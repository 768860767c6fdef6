/**
 * Cleanup guards (Docker resources, node process groups) listen for SIGINT/SIGTERM/SIGHUP only
 * to clean up when nothing else in the process handles the signal. Each marks its listener
 * here, so that guards do not count one another as "someone who handles it".
 */
const GUARD = Symbol('raft-chaos signal guard');

/** Marks `listener` as a guard's (see `othersListen`); returns it. */
export function asGuard<T extends (...args: never[]) => unknown>(listener: T): T {
  (listener as unknown as Record<symbol, boolean>)[GUARD] = true;
  return listener;
}

/** Whether a listener that is not a guard's handles `signal` (a runner's graceful shutdown). */
export function othersListen(signal: NodeJS.Signals): boolean {
  return process.listeners(signal).some((l) => !(l as unknown as Record<symbol, boolean>)[GUARD]);
}
