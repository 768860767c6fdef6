/**
 * Ctrl-C and SIGTERM remove the Docker resources of every live run of this process. When
 * nothing else in the process listens for the signal, they are removed at once and the signal
 * is re-raised after cleanup so the harness still dies of it. When someone else listens (the
 * runner's graceful shutdown: it heals, stops and removes the cluster itself), removing
 * containers under it would only make its heal fail; so this waits, and removes what is still
 * live only if the runner has not closed it within FALLBACK_MS. A second signal that kills the
 * harness at once leaves the rest to the next run's `cleanupStale`, as SIGKILL does: the labels
 * cover both.
 */
import { guardedSet, othersListen } from '../../util/signal-guards.js';

interface Closable {
  readonly runId: string;
  close(): Promise<void>;
}

/** How long a runner that handles the signal has to close its runs before they are removed under it. */
const FALLBACK_MS = 20_000;

const guard = guardedSet<Closable>((signal) => {
  // Listeners run in order and this one goes first, so it sees every other, `once` ones included.
  if (othersListen(signal)) {
    setTimeout(() => removeLive(signal), FALLBACK_MS).unref();
    return;
  }
  guard.uninstall();
  void removeLive(signal).then(() => process.kill(process.pid, signal));
});

/** Track a run until it closes; returns the untrack function. */
export function closeOnSignal(run: Closable): () => void {
  return guard.track(run);
}

async function removeLive(signal: NodeJS.Signals): Promise<void> {
  const runs = [...guard.live];
  if (runs.length === 0) return;
  process.stderr.write(
    `\nraft-chaos: ${signal}: removing the Docker containers, networks and volumes of run(s) ${runs.map((r) => r.runId).join(', ')}\n`,
  );
  await Promise.allSettled(runs.map((r) => r.close()));
}
