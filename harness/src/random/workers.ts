import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { RunOne } from './run-record.js';
import { searchPhaseRuns, type JobFeed, type PrefetchJob, type PrefetchedRun, type SearchPrefetch } from './search.js';
import type { SeedRobustness } from './seed-rate.js';
import type { SimRunOneOptions } from './sim-run-one.js';

/** What every worker thread needs to run a search's schedules as the main thread would. */
export interface SimWorkerSetup {
  /** The simulated runs' options (plain data: no functions, no signal). */
  options: SimRunOneOptions['options'];
  /** `--checks`: only these make a run fail (`countingOnly`); absent, every check. */
  checks?: readonly string[];
  robustness?: SeedRobustness;
  /** `--jitter`: timing perturbations a failing run must fail again under (`timingRobust`). */
  jitter?: number;
}

/** A worker's answer for one job: its runs, or why it could not run them. */
export type WorkerReply = { call: number; runs: PrefetchedRun[]; simulatedMs: number } | { call: number; error: string } | { ready: true };

/** A pool of worker threads running a simulated search's schedules ahead of it. */
export interface SimWorkerPool extends SearchPrefetch {
  readonly size: number;
  /** Virtual time the workers' runs simulated (the main thread's own runs not included). */
  simulatedMs(): number;
  /** Terminates every worker (also done by `stop`); resolves when they are gone. */
  close(): Promise<void>;
}

/** `--workers` default: one per core the process may use. */
export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}

/** With this thread running jobs too, worker threads start this long after the search (ms). */
const SPAWN_AFTER_MS = 1000;

/** Most jobs a worker holds at once (one running, the next one queued: no idle gap between them). */
const IN_FLIGHT = 2;

/**
 * Starts `size` worker threads (worker-boot.mjs loads sim-worker.ts through tsx; with `local`,
 * `size - 1` threads, a second after `start`, while this thread runs jobs with `local` from the
 * start) when `start` is called; a thread gets jobs once it has loaded, hands each its next job in the search's order as it finishes one, and keeps each
 * job's runs by call number: the search takes them in its own order whatever order they
 * finished in. Aborting `signal` (Ctrl-C) or `stop` terminates the workers at once, and every
 * job not done yet answers no runs (the search then runs nothing more: it is interrupted or
 * over). A worker that fails loses only its jobs: the search runs those itself.
 */
export function simWorkerPool(size: number, setup: SimWorkerSetup, signal?: AbortSignal, local?: RunOne): SimWorkerPool {
  /** With `local`, this thread is one of the `size` workers (one thread fewer to start and compile). */
  const threads = local ? size - 1 : size;
  const data = { setup: plain(setup), entry: new URL('./sim-worker.ts', import.meta.url).href };
  let jobs: JobFeed | undefined;
  /** Jobs taken from the feed so far (calls 0..taken-1); `exhausted` once it had no more. */
  let taken = 0;
  let exhausted = false;
  let stopped = false;
  let simulated = 0;
  let alive = 0;
  const done = new Map<number, PrefetchedRun[]>();
  const waiting = new Map<number, (runs: PrefetchedRun[]) => void>();
  type Slot = { worker: Worker; held: Set<number>; asking: number; ready: boolean };
  const workers: Slot[] = [];

  const settle = (call: number, runs: PrefetchedRun[]) => {
    const wake = waiting.get(call);
    if (wake) {
      waiting.delete(call);
      wake(runs);
    } else done.set(call, runs);
  };
  /**
   * Notes a job taken from the feed; false when there is none left (calls never taken will never
   * run here: their waiters get none) or the pool has stopped: the taker then stops taking;
   * true narrows `job` to a job to run.
   */
  const took = (job: PrefetchJob | undefined): job is PrefetchJob => {
    if (!job) {
      exhausted = true;
      for (const [call, wake] of waiting) if (call >= taken) (waiting.delete(call), wake([]));
      return false;
    }
    taken = Math.max(taken, job.call + 1);
    return !stopped;
  };
  const feed = async (w: Slot) => {
    while (!stopped && !exhausted && w.ready && w.held.size + w.asking < IN_FLIGHT) {
      w.asking += 1;
      const job = await jobs!.next();
      w.asking -= 1;
      if (!took(job)) return;
      w.held.add(job.call);
      w.worker.postMessage(job);
    }
  };
  const lose = (w: Slot) => {
    for (const call of w.held) settle(call, []);
    w.held.clear();
  };
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(spawnTimer);
    signal?.removeEventListener('abort', stop);
    for (const w of workers) {
      lose(w);
      void w.worker.terminate();
    }
    for (const [call, wake] of waiting) {
      waiting.delete(call);
      wake([]);
    }
  };
  const closed: Array<Promise<unknown>> = [];
  /** This thread's share: takes jobs like a worker and runs them between the search's own steps. */
  const runHere = async (runOne: RunOne) => {
    const never = new AbortController().signal;
    let finished!: () => void;
    closed.push(new Promise<void>((resolve) => (finished = resolve)));
    try {
      while (!stopped && !exhausted) {
        const job = await jobs!.next();
        if (!took(job)) return;
        here.add(job.call);
        let runs: PrefetchedRun[] = [];
        try {
          runs = await searchPhaseRuns(runOne, job, setup.robustness, never);
        } catch {
          runs = []; // the search runs it again itself and sees what failed
        }
        here.delete(job.call);
        if (!stopped) settle(job.call, runs);
      }
    } finally {
      finished();
    }
  };
  const here = new Set<number>();
  let spawnTimer: NodeJS.Timeout | undefined;
  const spawn = () => {
    spawnTimer = undefined;
    if (stopped || exhausted) return;
    for (let i = 0; i < threads; i++) {
      const w: Slot = { worker: new Worker(new URL('./worker-boot.mjs', import.meta.url), { workerData: data }), held: new Set<number>(), asking: 0, ready: false };
      workers.push(w);
      closed.push(new Promise((resolve) => w.worker.once('exit', resolve)));
      w.worker.on('message', (reply: WorkerReply) => {
        if ('ready' in reply) {
          // Jobs go to a thread once it has loaded: none waits on a thread still starting.
          w.ready = true;
          return void feed(w);
        }
        if (!w.held.delete(reply.call) || stopped) return;
        if ('error' in reply) settle(reply.call, []);
        else {
          simulated += reply.simulatedMs;
          settle(reply.call, reply.runs);
        }
        void feed(w);
      });
      w.worker.on('error', () => lose(w));
      w.worker.on('exit', () => {
        lose(w);
        alive -= 1;
        if (alive === 0 && !local) stop(); // every worker gone: the search runs the rest itself
      });
    }
  };

  return {
    size,
    start(list) {
      if (stopped || jobs !== undefined) return;
      jobs = list;
      if (signal?.aborted) return stop();
      signal?.addEventListener('abort', stop, { once: true });
      alive = threads;
      if (local) void runHere(local);
      // With this thread running jobs, threads start only once the search has run a while: a
      // short search (a failure at once) never pays their start-up (seconds on a busy host).
      if (local && threads > 0) spawnTimer = setTimeout(spawn, SPAWN_AFTER_MS);
      else spawn();
    },
    runs(call) {
      const have = done.get(call);
      if (have) {
        done.delete(call);
        return Promise.resolve(have);
      }
      // Not handed to a worker (stopped, or beyond the jobs), or its worker is gone: none.
      // Done and taken already, or never to be run here (stopped, past the feed's end): none.
      const coming = here.has(call) || workers.some((w) => w.held.has(call)) || (call >= taken && !exhausted);
      if (stopped || !coming) return Promise.resolve([]);
      return new Promise((resolve) => waiting.set(call, resolve));
    },
    stop,
    simulatedMs: () => simulated,
    async close() {
      stop();
      await Promise.all(closed);
    },
  };
}

/** The setup without what cannot cross to a thread (functions, a signal, a testbed). */
function plain(setup: SimWorkerSetup): SimWorkerSetup {
  const options = Object.fromEntries(
    Object.entries(setup.options).filter(([k, v]) => typeof v !== 'function' && k !== 'signal' && k !== 'testbed' && k !== 'clock'),
  ) as SimWorkerSetup['options'];
  return { ...setup, options };
}
