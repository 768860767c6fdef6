import type { NodeEventTap } from './triggers.js';
import { TimeoutError } from '../../../common/src/errors.js';
import type { Recorder } from '../history/index.js';
import type { Phase, UnstampedEntry } from '../history/types.js';
import type { Partitioner } from '../network/partitioner.js';
import type { Observer, StartedTestbed } from '../runtime/testbed.js';
import type { Cluster } from '../runtime/types.js';
import type { Clock } from '../util/clock.js';
import type { Rng } from '../util/rng.js';
import { concludeRun, type RunEnding, type RunResult } from './conclude.js';
import { startLateNodes, type LateStart } from './late-start.js';
import type { RunOptions } from './options.js';
import { healAndTearDown } from './run-ending.js';
import { Schedule } from './schedule.js';

/**
 * What `runScenario` gives the life of its run: the run as opened (settings, history with its
 * `run-start` written, report place), and, as callbacks, the testbed's parts, called in the
 * life's order.
 */
export interface RunParts extends Omit<RunEnding, 'error' | 'interrupted' | 'writeReport'> {
  /** The caller's abort (Ctrl-C) and whether to write the report. */
  options: Pick<RunOptions, 'signal' | 'writeReport'>;
  rng: Rng;
  clock: Clock;
  /** Shown with the setup phase: the testbed's name. */
  runtime: string;
  record(e: UnstampedEntry): void;
  phase(p: Phase, detail?: string): void;
  progress(line: string): void;
  /** Node events as recorded, when a step is fired by one (runner/triggers.ts). */
  events?: NodeEventTap;
  /** How often triggered steps look for node events (ms): 1 on a simulated testbed, which sees every event at once; 10 elsewhere. */
  eventStepMs?: number;
  /** The observer records every node's events as they happen (runtime/testbed.ts `followEvents`): a triggered step reads none itself. */
  eventsFollowed?: boolean;
  /** The nodes a staggered start brings up late; throws ConfigError where the testbed cannot. */
  lateStarts(): LateStart[];
  /** Starts the cluster on the testbed with the late nodes deferred (the testbed notes what it started). */
  start(): Promise<StartedTestbed>;
}

/**
 * The life of every run, real or simulated, once its history is open:
 *
 * 1. setup: start the cluster (late nodes deferred), its partitioner and its poller;
 * 2. the late nodes of a staggered start, each at its delay;
 * 3. warmup: wait (bounded) for a settled leader, noted either way;
 * 4. the schedule's steps;
 * 5. heal, recovery window and teardown (`healAndTearDown`), whatever happened before;
 * 6. check and report (`concludeRun`).
 *
 * Aborting `options.signal` skips to step 5 without the recovery window; a failure part-way is
 * noted and the run still concluded, with verdict at best unknown. The history is closed when
 * it returns: callers must not record into it afterwards.
 */
export async function runLife(parts: RunParts): Promise<RunResult> {
  const { settings, options, clock, record, phase, progress } = parts;
  // Abort: the caller's signal, plus our own for a run that fails part-way.
  const abort = new AbortController();
  const onAbort = () => abort.abort(options.signal?.reason ?? new Error('interrupted'));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  let cluster: Cluster | undefined;
  let partitioner: Partitioner | undefined;
  let poller: Observer | undefined;
  let schedule: Schedule | undefined;
  let error: Error | undefined;
  const down = new Set<string>();
  try {
    const late = parts.lateStarts();
    phase('setup', parts.runtime);
    const bed = await parts.start();
    const started = (cluster = bed.cluster);
    partitioner = bed.network;
    const p = (poller = bed.observe());

    await startLateNodes(late, {
      now: () => clock.now(),
      waitUntil: (t) => bed.waitUntil(t, abort.signal),
      start: (node) => started.start(node),
      record,
      progress,
    });

    phase('warmup', `up to ${settings.warmupMs} ms for a settled leader`);
    try {
      const l = await p.waitForSettledLeader(settings.warmupMs, { signal: abort.signal });
      record({ type: 'note', level: 'info', message: `settled leader ${l.node} in term ${l.term}` });
    } catch (err) {
      if (!(err instanceof TimeoutError)) throw err;
      record({ type: 'note', level: 'warn', message: `warmup: ${err.message}` });
      progress(`warning: ${err.message}`);
    }

    phase('faults');
    const s = new Schedule({
      cluster: started,
      partitioner,
      rng: parts.rng.fork('nemesis'),
      leader: () => p.leader(),
      flushEvents: (nodes) => p.flushEvents(nodes),
      record,
      down,
      clock,
      signal: abort.signal,
      // A fault aimed at the leader waits for one at least as long as a first election may take
      // (liveness-at-start's bound, `recoveryMs`), so a wait that expires with no fault in
      // force is that check's verdict (no leader), not an unknown.
      leaderWaitMs: Math.max(2000, settings.config.bounds.recoveryMs),
      progress,
      ...(parts.events ? { events: parts.events, eventStepMs: parts.eventStepMs ?? 10, eventsFollowed: parts.eventsFollowed === true, runTime: () => parts.recorder.now() } : {}),
      awaitLeader: async (ms, wait = {}) => {
        try {
          return await p.waitForSettledLeader(ms, { ...wait, signal: abort.signal });
        } catch (err) {
          if (err instanceof TimeoutError) return null;
          throw err;
        }
      },
    });
    schedule = s;
    await s.run(parts.scenario.steps);
  } catch (err) {
    if (!abort.signal.aborted) {
      error = err instanceof Error ? err : new Error(String(err));
      record({ type: 'note', level: 'error', message: `the run failed: ${error.message}` });
      progress(`error: ${error.message}`);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    const net = partitioner;
    await healAndTearDown({
      cluster,
      schedule,
      healNetwork: net ? () => net.healAll() : undefined,
      down,
      recover: !abort.signal.aborted && !error,
      recoveryMs: settings.recoveryMs,
      clock,
      signal: abort.signal,
      observer: poller,
      record,
      phase,
      progress,
    });
  }

  const interrupted = abort.signal.aborted ? String((abort.signal.reason as Error)?.message ?? abort.signal.reason) : undefined;
  return concludeRun({
    scenario: parts.scenario,
    settings,
    runId: parts.runId,
    dir: parts.dir,
    reportRoot: parts.reportRoot,
    recorder: parts.recorder,
    memory: parts.memory,
    runtimeReason: parts.runtimeReason,
    ...(error ? { error } : {}),
    ...(interrupted ? { interrupted } : {}),
    ...(options.writeReport !== undefined ? { writeReport: options.writeReport } : {}),
  });
}

/** The two ways a runner writes its history: `record` an entry, and mark a `phase` (also shown as progress). */
export function historyWriters(recorder: Recorder, progress: (line: string) => void) {
  const record = (e: UnstampedEntry) => void recorder.record(e);
  const phase = (p: Phase, detail?: string) => {
    record({ type: 'phase', phase: p, ...(detail ? { detail } : {}) });
    progress(`phase  ${p}${detail ? `: ${detail}` : ''}`);
  };
  return { record, phase };
}
