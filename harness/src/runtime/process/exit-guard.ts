/**
 * Child process groups die with the harness. execa's `cleanup` does not cover detached
 * children, so this module keeps the set of live node process groups and SIGKILLs them all when
 * the harness exits abnormally:
 * - on `exit` (normal end, `process.exit`, an uncaught exception), synchronously;
 * - on SIGINT, SIGTERM or SIGHUP when nothing else in the process handles that signal (then the
 *   signal is re-raised so the harness still dies of it). When someone else listens (the runner's
 *   graceful Ctrl-C), they own the cleanup and this guard leaves the children alone until `exit`.
 *   The guard's listener goes first, so it sees every other listener, `once` ones included
 *   (those are removed before they run).
 * Node process groups are their own sessions (spawned detached), so a terminal's Ctrl-C never
 * reaches them: the harness stops them in order.
 * A SIGKILLed harness cannot run any of this: the per-run pidfile and `reapStaleProcesses` cover it.
 */
import { guardedSet, othersListen } from '../../util/signal-guards.js';

const guard = guardedSet<number>(
  (signal) => {
    if (othersListen(signal)) return; // someone else handles it and will clean up
    killGuardedGroups();
    guard.uninstall();
    process.kill(process.pid, signal);
  },
  () => killGuardedGroups(),
);

/** Register a live process group (its leader's pid). Returns the unregister function. */
export function guardProcessGroup(pid: number): () => void {
  return guard.track(pid);
}

/** SIGKILL every registered group now (synchronous). */
export function killGuardedGroups(): void {
  for (const pid of guard.live) {
    killGroup(pid, 'SIGKILL');
  }
  guard.live.clear();
}

/** Send `signal` to the process group led by `pid`, falling back to the pid alone. Never throws. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    try {
      process.kill(pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
