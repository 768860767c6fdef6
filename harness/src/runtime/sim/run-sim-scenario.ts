import { randomInt } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TimeoutError } from '../../../../common/src/errors.js';
import { JsonlHistoryWriter, MemorySink, Recorder, type HistorySink } from '../../history/index.js';
import { replayCommand, resolveSettings, type RunOptions } from '../../runner/options.js';
import { makeRunId } from '../../runner/run-scenario.js';
import type { RunResult } from '../../runner/conclude.js';
import { lateStarts } from '../../runner/late-start.js';
import { processEntry } from '../../runner/run-ending.js';
import { historyWriters, runLife } from '../../runner/run-life.js';
import { runNodeSettings } from '../../runner/run-node-settings.js';
import type { Scenario } from '../../scenario/types.js';
import { createRng } from '../../util/rng.js';
import { hostBaseline, SimLinks, type LinkBaseline } from './sim-links.js';
import { SimNodes } from './sim-nodes.js';
import { asPartitioner, SimPartitioner } from './sim-partitioner.js';
import { SimPoller } from './sim-poller.js';
import { VIRTUAL_EPOCH_MS, VirtualClock } from './virtual-clock.js';

/** RunOptions plus what only a simulated run has. `clock`, `runtimeImpl` and `toxiproxyUrl` are ignored. */
export interface SimRunOptions extends RunOptions {
  /** Write `history.jsonl` into the run directory (default true; exploration turns it off). */
  writeHistory?: boolean;
  /** Epoch ms of virtual time 0: every `wall` is `epochMs + t` (default 2000-01-01T00:00:00Z). */
  epochMs?: number;
  /** Healthy-link behaviour (default: what the seed picks between a quiet and a busy host, `hostBaseline`). */
  links?: Partial<LinkBaseline>;
}

/**
 * Runs one scenario on a simulated cluster on virtual time and checks it: the same life as
 * `runScenario` (settings, setup, polling, warmup, schedule, heal, recovery, teardown, check,
 * report), the same history entry kinds, checkers and report, but the nodes are the node's Raft
 * core in one process, the network is in memory and time is virtual. Every choice comes from
 * the seed: the same seed and options give the same history, byte for byte, `wall` included
 * (virtual time starts at `epochMs`). The run id is `<virtual time>-<scenario>-s<seed>-sim<hash
 * of the settings>`, so replaying a run rewrites its own directory.
 *
 * Callers must not run two simulations of the same scenario, seed and settings at once into
 * the same report directory (they would write the same files).
 */
export async function runSimScenario(scenario: Scenario, options: SimRunOptions = {}): Promise<RunResult> {
  const settings = resolveSettings(scenario, options, () => randomInt(1, 2 ** 31));
  const rng = createRng(settings.seed);
  const epochMs = options.epochMs ?? VIRTUAL_EPOCH_MS;
  const progress = options.onProgress ?? (() => {});
  const reason = options.runtimeReason ?? 'asked for with --runtime sim';
  const c = settings.config;
  const runId = `${makeRunId(scenario.name, settings.seed, epochMs)}-sim${hashOf({ steps: scenario.steps, nodes: settings.nodes, c, links: options.links ?? null })}`;
  const dir = resolve(options.reportDir ?? 'reports', runId);
  const writeHistory = options.writeHistory !== false;
  const sinks: HistorySink[] = [];
  const memory = new MemorySink();
  sinks.push(memory);
  if (writeHistory || options.writeReport !== false) mkdirSync(dir, { recursive: true });
  if (writeHistory) {
    const file = join(dir, 'history.jsonl');
    rmSync(file, { force: true }); // the writer appends; a replay of this run replaces it
    sinks.push(new JsonlHistoryWriter(file));
  }

  // Without explicit links, the seed picks how busy the host is (see hostBaseline).
  // Staggered start (scenario.startDelaysMs): these nodes are started late, in order of delay.
  const late = lateStarts(scenario, settings.nodes);
  const links = new SimLinks(rng.fork('sim-links'), { ...hostBaseline(rng.fork('sim-host').next()), ...options.links });
  const nodes = new SimNodes({
    runId,
    nodes: settings.nodes,
    settings: runNodeSettings(settings),
    links,
    epochMs,
    ...(late.length ? { deferred: late.map((l) => l.node) } : {}),
  });
  const clock = new VirtualClock(nodes, epochMs);
  const recorder = new Recorder({ sinks, monotonic: () => clock.now(), wall: () => clock.wall() });
  const { record, phase } = historyWriters(recorder, progress);
  const replay = options.replay ?? replayCommand(options.scenarioRef ?? scenario.name, 'sim', settings, options);
  record({
    type: 'run-start',
    runId,
    scenario: scenario.name,
    seed: settings.seed,
    runtime: 'sim',
    runtimeReason: reason,
    nodes: settings.nodes,
    config: c,
    replay,
    meta: { description: scenario.description, steps: scenario.steps, recoveryMs: settings.recoveryMs, links: links.baseline, virtualEpoch: new Date(epochMs).toISOString() },
  });
  progress(`run    ${runId}: ${scenario.name} on sim (${reason}), ${settings.nodes.length} nodes, seed ${settings.seed}`);

  const partitioner = new SimPartitioner(links, settings.nodes, { rng: rng.fork('sim-partitioner'), advance: (ms) => nodes.runUntil(nodes.now + ms) });
  let shown = '';
  const poller = new SimPoller(nodes, {
    intervalMs: c.pollIntervalMs,
    rng: rng.fork('sim-poller'),
    record: (e) => {
      // Stamped already: straight to the sinks (the Recorder's copy costs more than the simulation).
      for (const sink of sinks) sink.write(e);
      if (options.onProgress && e.type === 'poll') {
        const l = poller.current();
        const now = l ? `leader ${l.node}, term ${l.term}` : 'no settled leader';
        if (now !== shown) progress((shown = now));
      }
    },
  });
  return runLife({
    scenario, settings, options, runId, dir, reportRoot: resolve(options.reportDir ?? 'reports'), recorder, memory, runtimeReason: reason,
    rng, clock, runtime: 'sim', record, phase, progress,
    lateStarts: () => late,
    startCluster: async () => {
      record({ type: 'note', level: 'info', message: nodes.description });
      nodes.onProcessEvent((e) => record(processEntry(e)));
      nodes.awaitStarted();
      return nodes;
    },
    partitioner: () => asPartitioner(partitioner),
    poller: () => {
      poller.start();
      return {
        leader: () => poller.current(),
        flushEvents: async (which) => poller.flushEvents(which),
        // Runs virtual time forward poll by poll until a settled leader or the deadline.
        waitForSettledLeader: async (ms, signal) => {
          const deadline = nodes.now + ms;
          for (;;) {
            const l = poller.current();
            if (l !== null) return l;
            if (nodes.now >= deadline) throw new TimeoutError(`no settled leader within ${ms} ms; last polls: ${poller.leaderView.describe()}`);
            signal.throwIfAborted();
            nodes.runUntil(Math.min(deadline, poller.nextTickAt));
          }
        },
        stop: () => poller.stop(),
        stats: () => poller.stats(),
      };
    },
    waitUntil: async (t, signal) => {
      nodes.runUntil(Math.max(nodes.now, t));
      signal.throwIfAborted();
    },
  });
}

/** Six hex digits of FNV-1a over the JSON of `value`: tells runs with other settings apart. */
function hashOf(value: unknown): string {
  const text = JSON.stringify(value);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h >>> 8).toString(16).padStart(6, '0');
}
