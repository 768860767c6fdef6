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

/** The signals a guard listens for. */
const GUARDED_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** A set of live things (runs, process groups) a guard cleans up after; see `guardedSet`. */
export interface GuardedSet<T> {
  /** What is tracked now. */
  readonly live: Set<T>;
  /** Tracks `item`; the guard listens while anything is tracked. Returns the untrack function. */
  track(item: T): () => void;
  /** Stops listening now (a guard that re-raises the signal calls it first). */
  uninstall(): void;
}

/**
 * A guard over a set of live things: while the set is not empty, `onSignal` (marked with
 * `asGuard`) is prepended to SIGINT, SIGTERM and SIGHUP, so it runs first and sees every other
 * listener, and `onExit`, if given, listens for `exit`; when the last thing is untracked, both
 * are removed.
 */
export function guardedSet<T>(onSignal: (signal: NodeJS.Signals) => void, onExit?: () => void): GuardedSet<T> {
  const live = new Set<T>();
  const listener = asGuard(onSignal);
  let installed = false;
  const uninstall = () => {
    if (!installed) return;
    installed = false;
    if (onExit) process.off('exit', onExit);
    for (const s of GUARDED_SIGNALS) process.off(s, listener);
  };
  return {
    live,
    track(item) {
      live.add(item);
      if (!installed) {
        installed = true;
        if (onExit) process.on('exit', onExit);
        for (const s of GUARDED_SIGNALS) process.prependListener(s, listener);
      }
      return () => {
        live.delete(item);
        if (live.size === 0) uninstall();
      };
    },
    uninstall,
  };
}
