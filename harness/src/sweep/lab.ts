import { mkdtempSync, rmSync } from 'node:fs';
import type { Subject } from '../subject/types.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../../../common/src/errors.js';
import { MemorySink, Recorder } from '../history/index.js';
import type { NodeEventEntry } from '../history/types.js';
import { isolate } from '../nemesis/partitions.js';
import type { LeaderTerm, SettledLeaderWait } from '../poller/leader-view.js';
import { nodeIds } from '../runner/options.js';
import { LOOPBACK } from '../runtime/sim/sim-links.js';
import type { StartedTestbed } from '../runtime/testbed.js';
import { chooseTestbed } from '../runtime/testbeds.js';
import type { Cluster, NodeSettings } from '../runtime/types.js';
import { createRng } from '../util/rng.js';
import { percentile } from './stats.js';

/**
 * A running cluster as a sweep needs it, the same on every runtime: process control, an
 * isolating partition, a settled-leader wait and the node events, on one run clock (`now`).
 * On `sim`, time is virtual: waits and sleeps run the simulation forward at once.
 */
export interface Lab {
  readonly cluster: Cluster;
  readonly description: string;
  /** Run clock, ms. Node events' `t` are on it. */
  now(): number;
  /** The first settled leader passing `wait` within `ms`, else null. */
  waitForLeader(ms: number, wait?: Omit<SettledLeaderWait, 'signal'>): Promise<LeaderTerm | null>;
  /** Fetch the node events not fetched yet (before a kill: its last words). */
  flushEvents(nodes?: readonly string[]): Promise<void>;
  /** Every node event fetched so far. */
  events(): readonly NodeEventEntry[];
  /** Round trips of successful status polls so far (a loopback HTTP round trip, ms). */
  pollLatencies(): number[];
  /** What the observer states of its own cost so far (the poller's `PollerStats` on process and Docker). */
  observerStats(): object;
  /** What each node last answered, for messages (`n1 leader t3, n2 timeout, ...`). */
  describe(): string;
  /** An estimate of one node-to-node RPC round trip (ms), for the expectation. */
  rpcRttMs(): number;
  /** Cuts the node off from every other node; resolves to its heal. */
  isolate(node: string): Promise<() => Promise<void>>;
  sleep(ms: number): Promise<void>;
  close(): Promise<void>;
}

/** What to start. */
export interface LabSpec {
  runtime: 'process' | 'docker' | 'sim';
  runId: string;
  nodes: number;
  settings: Omit<NodeSettings, 'logLevel'>;
  pollIntervalMs: number;
  onWarning?: (message: string) => void;
  /** What runs in each node slot (`--subject`); absent: the project's own node. */
  subject?: Subject;
}

/**
 * Starts a cluster for a sweep on the testbed asked for (from the registry; the simulated one
 * on a quiet host's links, `LOOPBACK`). Close it when done.
 */
export async function startLab(spec: LabSpec): Promise<Lab> {
  const testbed = await chooseTestbed({ name: spec.runtime, sim: { links: LOOPBACK }, ...(spec.onWarning ? { onWarning: spec.onWarning } : {}) });
  const workDir = mkdtempSync(join(tmpdir(), 'rc-sweep-'));
  const nodes = nodeIds(spec.nodes);
  const run = testbed.open({
    scenario: spec.runId,
    seed: spec.settings.seed,
    nodes,
    settings: { ...spec.settings, logLevel: 'warn' },
    deferred: [],
    identity: { nodes, settings: spec.settings },
    rng: createRng(spec.settings.seed),
    pollIntervalMs: spec.pollIntervalMs,
    ...(spec.subject ? { subject: spec.subject } : {}),
  });
  const memory = new MemorySink();
  const recorder = new Recorder({ sinks: [memory], monotonic: () => run.clock.now(), wall: () => run.clock.wall() });
  let started: StartedTestbed;
  try {
    started = await run.start({ dir: workDir, recorder, write: (e) => memory.write(e), onProcessEvent: () => {} });
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  const { cluster, network } = started;
  const observer = started.observe();
  const pollLatencies = () => memory.entries.flatMap((e) => (e.type === 'poll' && e.outcome === 'ok' ? [e.latencyMs] : []));
  let closed = false;
  return {
    cluster,
    description: testbed.capabilities.simulated ? `${cluster.description} (virtual time)` : cluster.description,
    now: () => recorder.now(),
    async waitForLeader(ms, wait = {}) {
      try {
        return await observer.waitForSettledLeader(ms, wait);
      } catch (err) {
        if (err instanceof TimeoutError) return null;
        throw err;
      }
    },
    flushEvents: (which) => observer.flushEvents(which ?? cluster.nodes),
    events: () => memory.entries.filter((e): e is NodeEventEntry => e.type === 'node-event'),
    pollLatencies,
    observerStats: () => observer.stats(),
    describe: () => observer.describe(),
    // Simulated links: one quiet loopback round trip. Real: node to node goes through a proxy,
    // about two direct round trips (the polls' median).
    rpcRttMs: () =>
      testbed.capabilities.simulated
        ? LOOPBACK.minDelayMs + LOOPBACK.maxDelayMs
        : Math.min(20, Math.max(0.5, 2 * (percentile([...pollLatencies()].sort((a, b) => a - b), 0.5) || 1))),
    async isolate(node) {
      const { cuts } = isolate(cluster.nodes, node);
      await network.applyCuts(cuts);
      return () => network.healCuts(cuts);
    },
    sleep: (ms) => started.waitUntil(recorder.now() + ms, new AbortController().signal),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.resolve(observer.stop()).catch(() => undefined);
      await network.healAll().catch(() => undefined);
      await cluster.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
