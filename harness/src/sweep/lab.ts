import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../../../common/src/errors.js';
import { MemorySink, Recorder } from '../history/index.js';
import type { NodeEventEntry, PollEntry } from '../history/types.js';
import { isolate } from '../nemesis/partitions.js';
import { createPartitioner } from '../network/partitioner.js';
import { createPoller } from '../poller/index.js';
import type { LeaderTerm, SettledLeaderWait } from '../poller/leader-view.js';
import { chooseRuntime } from '../runner/choose-runtime.js';
import { nodeIds } from '../runner/options.js';
import type { Cluster, NodeSettings } from '../runtime/types.js';
import { LOOPBACK, SimLinks } from '../runtime/sim/sim-links.js';
import { SimNodes } from '../runtime/sim/sim-nodes.js';
import { SimPartitioner } from '../runtime/sim/sim-partitioner.js';
import { SimPoller } from '../runtime/sim/sim-poller.js';
import { VIRTUAL_EPOCH_MS } from '../runtime/sim/virtual-clock.js';
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
}

/** Starts a cluster for a sweep on the runtime asked for. Close it when done. */
export async function startLab(spec: LabSpec): Promise<Lab> {
  return spec.runtime === 'sim' ? startSimLab(spec) : startRealLab(spec);
}

async function startRealLab(spec: LabSpec): Promise<Lab> {
  const { runtime } = await chooseRuntime(spec.runtime, spec.onWarning ?? (() => {}));
  const workDir = mkdtempSync(join(tmpdir(), 'rc-sweep-'));
  const memory = new MemorySink();
  const recorder = new Recorder({ sinks: [memory], monotonic: () => performance.now(), wall: () => Date.now() });
  let cluster: Cluster;
  try {
    cluster = await runtime.start({ runId: spec.runId, nodes: nodeIds(spec.nodes), workDir, settings: { ...spec.settings, logLevel: 'warn' } });
  } catch (err) {
    rmSync(workDir, { recursive: true, force: true });
    throw err;
  }
  const poller = createPoller(cluster, { record: (e) => recorder.record(e), clock: recorder, intervalMs: spec.pollIntervalMs });
  const partitioner = createPartitioner(cluster);
  poller.start();
  const pollLatencies = () => memory.entries.flatMap((e) => (e.type === 'poll' && e.outcome === 'ok' ? [e.latencyMs] : []));
  let closed = false;
  return {
    cluster,
    description: cluster.description,
    now: () => recorder.now(),
    async waitForLeader(ms, wait = {}) {
      try {
        return await poller.leaderView.waitForSettledLeader(ms, wait);
      } catch (err) {
        if (err instanceof TimeoutError) return null;
        throw err;
      }
    },
    flushEvents: (nodes) => poller.flushEvents(nodes),
    events: () => memory.entries.filter((e): e is NodeEventEntry => e.type === 'node-event'),
    pollLatencies,
    describe: () => poller.leaderView.describe(),
    // Node to node goes through a proxy: about two direct round trips (the polls' median).
    rpcRttMs: () => Math.min(20, Math.max(0.5, 2 * (percentile([...pollLatencies()].sort((a, b) => a - b), 0.5) || 1))),
    async isolate(node) {
      const { cuts } = isolate(cluster.nodes, node);
      await partitioner.applyCuts(cuts);
      return () => partitioner.healCuts(cuts);
    },
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    async close() {
      if (closed) return;
      closed = true;
      await poller.stop().catch(() => undefined);
      await partitioner.healAll().catch(() => undefined);
      await cluster.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

async function startSimLab(spec: LabSpec): Promise<Lab> {
  const rng = createRng(spec.settings.seed);
  const links = new SimLinks(rng.fork('sim-links'), LOOPBACK);
  const nodes = new SimNodes({ runId: spec.runId, nodes: nodeIds(spec.nodes), settings: spec.settings, links, epochMs: VIRTUAL_EPOCH_MS });
  const events: NodeEventEntry[] = [];
  const latencies: number[] = [];
  const poller = new SimPoller(nodes, {
    intervalMs: spec.pollIntervalMs,
    rng: rng.fork('sim-poller'),
    record: (e: PollEntry | NodeEventEntry) => {
      if (e.type === 'node-event') events.push(e);
      else if (e.outcome === 'ok') latencies.push(e.latencyMs);
    },
  });
  const partitioner = new SimPartitioner(links, nodes.nodes, { rng: rng.fork('sim-partitioner'), advance: (ms) => nodes.runUntil(nodes.now + ms) });
  poller.start();
  return {
    cluster: nodes,
    description: `${nodes.description} (virtual time)`,
    now: () => nodes.now,
    async waitForLeader(ms, wait = {}) {
      const exclude = new Set(typeof wait.exclude === 'string' ? [wait.exclude] : (wait.exclude ?? []));
      const deadline = nodes.now + ms;
      for (;;) {
        const l = poller.current();
        if (l !== null && !exclude.has(l.node) && (wait.afterTerm === undefined || l.term > wait.afterTerm)) return l;
        if (nodes.now >= deadline) return null;
        nodes.runUntil(Math.min(deadline, poller.nextTickAt));
      }
    },
    flushEvents: async (which) => poller.flushEvents(which),
    events: () => events,
    pollLatencies: () => latencies,
    describe: () => poller.leaderView.describe(),
    rpcRttMs: () => LOOPBACK.minDelayMs + LOOPBACK.maxDelayMs,
    async isolate(node) {
      const { cuts } = isolate(nodes.nodes, node);
      await partitioner.applyCuts(cuts);
      return () => partitioner.healCuts(cuts);
    },
    sleep: async (ms) => nodes.runUntil(nodes.now + ms),
    async close() {
      poller.stop();
      await nodes.close();
    },
  };
}
