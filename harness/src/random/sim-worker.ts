import { parentPort, workerData } from 'node:worker_threads';
import { searchPhaseRuns, type PrefetchJob } from './search.js';
import { countingOnly, createSimRunOne, timingRobust } from './sim-run-one.js';
import type { SimWorkerSetup, WorkerReply } from './workers.js';

/**
 * One worker thread of the simulated search (started by `simWorkerPool` through
 * worker-boot.mjs): runs the jobs it is sent, one at a time in the order sent, each as the
 * search would run it (`searchPhaseRuns`), and posts back each job's runs with the virtual time
 * they simulated. Never writes a file: search-phase runs keep no report.
 */
const setup = (workerData as { setup: SimWorkerSetup }).setup;
const sim = createSimRunOne({ options: setup.options, minimalFile: 'minimal-scenario.json', reportConfirm: false });
const runOne = timingRobust(countingOnly(sim, setup.checks), setup.jitter ?? 0);
const never = new AbortController().signal;
let queue: Promise<void> = Promise.resolve();

parentPort!.postMessage({ ready: true } satisfies WorkerReply);
parentPort!.on('message', (job: PrefetchJob) => {
  queue = queue.then(async () => {
    let reply: WorkerReply;
    try {
      const before = sim.simulatedMs();
      const runs = await searchPhaseRuns(runOne, job, setup.robustness, never);
      reply = { call: job.call, runs, simulatedMs: sim.simulatedMs() - before };
    } catch (err) {
      reply = { call: job.call, error: (err as Error).message };
    }
    parentPort!.postMessage(reply);
  });
});
