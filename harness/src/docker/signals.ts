/**
 * Ctrl-C and SIGTERM remove the Docker resources of every live run of this process. When
 * nothing else in the process listens for the signal, the signal is re-raised after cleanup so
 * the harness still dies of it; when someone else listens (the runner's graceful shutdown),
 * that listener decides when to exit and this one only starts the cleanup early. A second
 * signal during cleanup kills at once; the next run's `cleanupStale` removes what is left.
 * SIGKILL cannot be caught: the labels and `cleanupStale` cover it.
 */
interface Closable {
  readonly runId: string;
  close(): Promise<void>;
}

const live = new Set<Closable>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

/** Track a run until it closes; returns the untrack function. */
export function closeOnSignal(run: Closable): () => void {
  live.add(run);
  install();
  return () => {
    live.delete(run);
    if (live.size === 0) uninstall();
  };
}

function onSignal(signal: NodeJS.Signals): void {
  const alone = process.listenerCount(signal) === 1;
  const runs = [...live];
  uninstall();
  process.stderr.write(
    `\nraft-chaos: ${signal}: removing the Docker containers, networks and volumes of run(s) ${runs.map((r) => r.runId).join(', ')}\n`,
  );
  void Promise.allSettled(runs.map((r) => r.close())).then(() => {
    if (alone) process.kill(process.pid, signal);
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function uninstall(): void {
  if (!installed) return;
  installed = false;
  for (const s of SIGNALS) process.off(s, onSignal);
}
