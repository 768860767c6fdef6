import type { Phase, UnstampedEntry } from '../history/types.js';
import type { Cluster, RuntimeProcessEvent } from '../runtime/types.js';
import type { Clock } from '../util/clock.js';
import type { Schedule } from './schedule.js';

/** A runtime's process event as a history entry. */
export function processEntry(e: RuntimeProcessEvent): UnstampedEntry {
  return {
    type: 'process',
    node: e.node,
    action: e.action,
    ...(e.pid !== undefined ? { pid: e.pid } : {}),
    ...(e.code !== undefined ? { code: e.code } : {}),
    ...(e.signal !== undefined ? { signal: e.signal } : {}),
    ...(e.detail !== undefined ? { detail: e.detail } : {}),
  };
}

/** Where a run stands when its schedule has ended, one way or another. */
export interface RunEndState {
  /** The cluster, once started (nothing to heal or stop before that). */
  cluster: Pick<Cluster, 'isRunning' | 'start' | 'close'> | undefined;
  schedule: Schedule | undefined;
  /** Heals every link of the run (the partitioner's `healAll`). */
  healNetwork: (() => Promise<unknown>) | undefined;
  /** Nodes down because of faults; those not running are started again. */
  down: ReadonlySet<string>;
  /** Watch the recovery window (false after an abort or a failure). */
  recover: boolean;
  recoveryMs: number;
  clock: Clock;
  signal: AbortSignal;
  /** The poller (real or simulated): stopped, its cost noted. */
  observer: { stop(): Promise<void> | void; stats(): object } | undefined;
  record(e: UnstampedEntry): void;
  phase(p: Phase, detail?: string): void;
  progress(line: string): void;
}

/**
 * Steps 6 and 7 of every run: heal every fault, the network and the nodes left down; watch the
 * recovery window; stop the poller and the cluster. Never throws: each failure becomes a note.
 */
export async function healAndTearDown(s: RunEndState): Promise<void> {
  const attempt = async (what: string, f: () => unknown) => {
    try {
      await f();
    } catch (err) {
      // After Ctrl-C a part may be gone already (a child process the terminal's signal reached):
      // worth a warning, not an error; the cluster is stopped all the same.
      const [level, tag, tail] = s.signal.aborted ? (['warn', 'warning', '; the run was interrupted, the cluster is stopped anyway'] as const) : (['error', 'error', ''] as const);
      s.record({ type: 'note', level, message: `${what} failed: ${(err as Error).message}${tail}` });
      s.progress(`${tag}: ${what} failed: ${(err as Error).message}${tail}`);
    }
  };
  const cluster = s.cluster;
  if (cluster) {
    s.phase('heal', s.signal.aborted ? 'interrupted' : undefined);
    if (s.schedule) await attempt('healing faults', () => s.schedule!.heal('all'));
    if (s.healNetwork) await attempt('healing the network', s.healNetwork);
    for (const n of s.down) {
      if (!cluster.isRunning(n)) await attempt(`restarting ${n}`, () => cluster.start(n));
    }
    if (s.recover) {
      s.phase('recovery', `${s.recoveryMs} ms`);
      await attempt('recovery', () => s.clock.sleep(s.recoveryMs, s.signal));
    }
  }
  s.phase('teardown');
  if (s.observer) {
    await attempt('stopping the poller', () => s.observer!.stop());
    s.record({ type: 'note', level: 'info', message: 'poller overhead', data: { ...s.observer.stats() } });
  }
  if (cluster) await attempt('stopping the cluster', () => cluster.close());
}
