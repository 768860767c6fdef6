import { randomInt } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { JsonlHistoryWriter, MemorySink, Recorder } from '../history/index.js';
import { Toxiproxy } from 'toxiproxy-node-client';
import { removeRunProxies } from '../network/link-proxies.js';
import { createPartitioner } from '../network/partitioner.js';
import { createPoller } from '../poller/index.js';
import { reapStaleProcesses } from '../runtime/process/pidfile.js';
import type { Scenario } from '../scenario/types.js';
import { realClock } from '../util/clock.js';
import { createRng } from '../util/rng.js';
import { chooseRuntime } from './choose-runtime.js';
import type { RunResult } from './conclude.js';
import { lateStarts } from './late-start.js';
import { replayCommand, resolveSettings, type RunOptions } from './options.js';
import { processEntry } from './run-ending.js';
import { historyWriters, runLife } from './run-life.js';
import { runNodeSettings } from './run-node-settings.js';

export type { RunResult } from './conclude.js';

/**
 * Runs one scenario against a fresh cluster and checks it. The life of a run, in order:
 *
 * 1. settings: the scenario with the options' overrides, every default filled, a seed chosen;
 * 2. the runtime (`auto`: Docker if an engine answers, else processes) starts the cluster,
 *    every node-to-node link through its own Toxiproxy proxy;
 * 3. the poller watches every node directly (status and events) into `history.jsonl`;
 * 4. warmup: wait (bounded) for a settled leader;
 * 5. the schedule's steps, each fault recorded with what it did and whom it hit;
 * 6. heal everything (links, killed and paused nodes), then watch the recovery window;
 * 7. teardown: stop the poller, save node logs, stop every node and proxy (always, whatever
 *    happened before: structure, not memory, guarantees it);
 * 8. check the history with every checker, write the report, refresh `reports/index.html`.
 *
 * Aborting `options.signal` (Ctrl-C) skips to step 6 without the recovery window; what was
 * recorded is still checked and reported, as `interrupted`. A run that could not start (bad
 * runtime, port taken) still writes its history and a report with verdict `unknown`.
 */
export async function runScenario(scenario: Scenario, options: RunOptions = {}): Promise<RunResult> {
  // `--runtime sim`: the same life on virtual time, in one process (harness/src/sim).
  if (options.runtime === 'sim' && !options.runtimeImpl) {
    return (await import('../runtime/sim/run-sim-scenario.js')).runSimScenario(scenario, options);
  }
  const clock = options.clock ?? realClock;
  const settings = resolveSettings(scenario, options, () => randomInt(1, 2 ** 31));
  const rng = createRng(settings.seed);
  const progress = options.onProgress ?? (() => {});
  // Runtime warnings (a node moved to another port) become notes once the history is open.
  let warn = (message: string) => progress(`warning: ${message}`);
  // A staggered start needs the process runtime: `auto` picks it rather than refusing.
  const staggeredAuto = (options.runtime ?? 'auto') === 'auto' && scenario.startDelaysMs !== undefined;
  const chosen = options.runtimeImpl
    ? { runtime: options.runtimeImpl, reason: options.runtimeReason ?? 'given by the caller' }
    : await chooseRuntime(staggeredAuto ? 'process' : (options.runtime ?? 'auto'), (m) => warn(m));
  if (staggeredAuto && !options.runtimeImpl) chosen.reason = '--runtime auto: a staggered start runs on local processes';
  const reportRoot = resolve(options.reportDir ?? 'reports');
  const reaped = reapStaleProcesses(reportRoot);
  const runtimeName = chosen.runtime.name;
  const runId = makeRunId(scenario.name, settings.seed, clock.wall());
  const dir = join(reportRoot, runId);
  mkdirSync(dir, { recursive: true });

  const memory = new MemorySink();
  const recorder = new Recorder({
    sinks: [memory, new JsonlHistoryWriter(join(dir, 'history.jsonl'))],
    monotonic: () => clock.now(),
    wall: () => clock.wall(),
  });
  const { record, phase } = historyWriters(recorder, progress);
  warn = (message) => {
    record({ type: 'note', level: 'warn', message });
    progress(`warning: ${message}`);
  };
  const replay = options.replay ?? replayCommand(options.scenarioRef ?? scenario.name, runtimeName, settings, options);
  record({
    type: 'run-start',
    runId,
    scenario: scenario.name,
    seed: settings.seed,
    runtime: runtimeName,
    runtimeReason: chosen.reason,
    nodes: settings.nodes,
    config: settings.config,
    replay,
    meta: {
      description: scenario.description,
      steps: scenario.steps,
      recoveryMs: settings.recoveryMs,
      skipChecks: scenario.skipChecks ?? {},
      pid: process.pid,
    },
  });
  for (const p of reaped.reaped) {
    warn(`killed node ${p.node} (pid ${p.pid}) left running by run ${p.runId}, whose harness died`);
  }
  for (const stale of reaped.staleRuns) {
    if (!stale.toxiproxyUrl) continue;
    const removed = await removeRunProxies(new Toxiproxy(stale.toxiproxyUrl), stale.runId).catch(() => 0);
    if (removed > 0) warn(`removed ${removed} proxies left at ${stale.toxiproxyUrl} by run ${stale.runId}, whose harness died`);
  }
  progress(`run    ${runId}: ${scenario.name} on ${runtimeName} (${chosen.reason}), ${settings.nodes.length} nodes, seed ${settings.seed}`);

  // Progress: the settled leader whenever it changes, from the poller's start until teardown
  // begins (stopping nodes is no news; nothing is shown after `phase teardown`).
  let leaderWatch: NodeJS.Timeout | undefined;
  const stopLeaderWatch = () => clearInterval(leaderWatch);
  return runLife({
    scenario, settings, options, runId, dir, reportRoot, recorder, memory, runtimeReason: chosen.reason,
    rng, clock, runtime: runtimeName, record, progress,
    phase: (p, detail) => {
      if (p === 'teardown') stopLeaderWatch();
      phase(p, detail);
    },
    lateStarts: () => {
      // Staggered start (scenario.startDelaysMs): these nodes are started late, in order of delay.
      const late = lateStarts(scenario, settings.nodes);
      if (late.length && runtimeName !== 'process') throw new ConfigError(`${scenario.name}: startDelaysMs (staggered start) runs on --runtime process or sim only, not ${runtimeName}`);
      return late;
    },
    startCluster: async (late) => {
      const cluster = await chosen.runtime.start({
        runId,
        onProcessEvent: (e) => record(processEntry(e)),
        nodes: settings.nodes,
        ...(late.length ? { deferred: late.map((l) => l.node) } : {}),
        workDir: join(dir, 'nodes'),
        ...(options.toxiproxyUrl ? { toxiproxyUrl: options.toxiproxyUrl } : {}),
        settings: { ...runNodeSettings(settings), logLevel: options.nodeLogLevel ?? 'warn' },
      });
      record({ type: 'note', level: 'info', message: cluster.description });
      return cluster;
    },
    partitioner: (cluster) => createPartitioner(cluster),
    poller: (cluster) => {
      const p = createPoller(cluster, { record: (e) => recorder.record(e), clock: recorder, intervalMs: settings.config.pollIntervalMs });
      p.start();
      let shown = 'no settled leader';
      leaderWatch = setInterval(() => {
        const l = p.leaderView.current();
        const now = l ? `leader ${l.node}, term ${l.term}` : 'no settled leader';
        if (now !== shown) progress(`${(shown = now)}`);
      }, 100);
      leaderWatch.unref();
      return {
        leader: () => p.leaderView.current(),
        flushEvents: (nodes) => p.flushEvents(nodes),
        waitForSettledLeader: (ms, signal) => p.leaderView.waitForSettledLeader(ms, { signal }),
        stop: () => p.stop(),
        stats: () => p.stats(),
      };
    },
    waitUntil: (t, signal) => clock.sleep(t - clock.now(), signal),
    onTornDown: stopLeaderWatch,
  });
}

/** `20261128-221530-partition-leader-s42`: sortable, unique per second, usable in proxy and container names. */
export function makeRunId(scenario: string, seed: number, wallMs: number): string {
  const d = new Date(wallMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
  return `${stamp}-${scenario.slice(0, 40)}-s${seed}`;
}
