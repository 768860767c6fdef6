import type { Recorder } from '../history/recorder.js';
import type { HistoryEntry } from '../history/types.js';
import type { Partitioner } from '../network/partitioner.js';
import type { LeaderTerm, SettledLeaderWait } from '../poller/leader-view.js';
import type { Clock } from '../util/clock.js';
import type { Rng } from '../util/rng.js';
import type { Cluster, NodeSettings, RuntimeProcessEvent } from './types.js';
import type { Subject } from '../subject/types.js';

/**
 * What a testbed can do. Callers ask these rather than switch on the testbed's name: each
 * question is answered here, once, by the testbed itself.
 */
export interface TestbedCapabilities {
  /** Nodes run in this process on virtual time: a run is deterministic given its seed and takes milliseconds. */
  readonly simulated: boolean;
  /** Nodes can be set up and started later (`ClusterSpec.deferred`, a staggered start). */
  readonly lateStarts: boolean;
  /** Links can go through a Toxiproxy the caller already runs (`--toxiproxy-url`). */
  readonly externalToxiproxy: boolean;
  /** Our node's disk can be failed and its state file corrupted (`disk-fail`, `corrupt-state`). */
  readonly diskFaults: boolean;
}

/** One run as the runner has settled it, before the testbed opens it. */
export interface RunPlan {
  scenario: string;
  seed: number;
  nodes: readonly string[];
  /** Every node's settings (node i seeds with `settings.seed + i`). */
  settings: NodeSettings;
  /** Nodes set up but started later by `Cluster.start(node)` (a staggered start). */
  deferred: readonly string[];
  /** How often the observer polls every node (ms). */
  pollIntervalMs: number;
  /** What tells runs with other settings apart (a simulated run's id carries its hash). */
  identity: unknown;
  /** The run's random source; a testbed forks its own streams from it by name. */
  rng: Rng;
  /** Use this Toxiproxy (`--toxiproxy-url`), when the testbed can. */
  toxiproxyUrl?: string;
  /** Injected time for a real testbed (default the real clock); a simulation keeps its own. */
  clock?: Clock;
  /** What runs in each node slot (harness/src/subject/); absent: the project's own node. */
  subject?: Subject;
  /**
   * Some step is fired by a node event (`on:`): follow the nodes' events as they happen (a real
   * testbed holds a long poll of our node's `/events` open per node; a subject's is polled),
   * and show a node's events and state only once the write that made them is done (the
   * simulation; the real node does so by itself).
   */
  followEvents?: boolean;
}

/** What the runner gives a testbed's cluster once the run's history is open. */
export interface StartContext {
  /** Directory of this run (`<report dir>/<run id>`); node data and logs go under `nodes/`. */
  dir: string;
  /** The run's history: `record` stamps an entry with the run's clock. The testbed notes what it started. */
  recorder: Recorder;
  /** Writes an entry stamped already (a simulated poller stamps its own) straight to the history's sinks. */
  write(e: HistoryEntry): void;
  /** Every process event of the cluster, from the first start on. */
  onProcessEvent(e: RuntimeProcessEvent): void;
  /** Told the settled leader (or null) whenever the observer looks; the runner shows changes. */
  onLeader?(l: LeaderTerm | null): void;
}

/** The observer of a started cluster (Jepsen's client side): polls every node into the history. */
export interface Observer {
  /** The settled leader now, or null. */
  leader(): LeaderTerm | null;
  /** Records the last events of these nodes (about to die), so their final transitions are kept. */
  flushEvents(nodes: readonly string[]): Promise<void>;
  /** A settled leader (passing `wait`) within `ms`; rejects with TimeoutError when none came, with the reason when `wait.signal` aborts. */
  waitForSettledLeader(ms: number, wait?: SettledLeaderWait): Promise<LeaderTerm>;
  /** What each node last answered, for messages (`n1 leader t3, n2 timeout, ...`). */
  describe(): string;
  stop(): Promise<void> | void;
  stats(): object;
}

/** A started cluster with what a run needs of it: node control, the network, the observer. */
export interface StartedTestbed {
  cluster: Cluster;
  network: Partitioner;
  /** Starts observing (call once the late nodes are set up). */
  observe(): Observer;
  /** Resolves once the run's clock has reached `t` (real time sleeps, virtual time runs); rejects when `signal` aborts. */
  waitUntil(t: number, signal: AbortSignal): Promise<void>;
}

/** A run opened on a testbed: its id and clock are fixed before anything starts. */
export interface TestbedRun {
  /** The run's id in its history (a simulated run's is on virtual time: the same on every replay). */
  readonly runId: string;
  /**
   * The name of the run's directory, when it is not `runId` (a simulated run's is named by the
   * harness's wall time when it ran). The runner makes it unique in the report directory.
   */
  readonly dirName?: string;
  readonly clock: Clock;
  /** Facts of the testbed for `run-start.meta` (after the scenario's). */
  readonly meta: Readonly<Record<string, unknown>>;
  start(ctx: StartContext): Promise<StartedTestbed>;
}

/**
 * A place to run a cluster: local processes, Docker containers, or a simulation. Found in the
 * registry (`runtime/testbeds.ts`) by name; `runScenario` is written once against this.
 */
export interface Testbed {
  /** `process`, `docker` or `sim`. */
  readonly name: string;
  /** Why this testbed was chosen (`asked for with --runtime process`, ...), for the output and report. */
  readonly reason: string;
  readonly capabilities: TestbedCapabilities;
  /** Removes what runs whose harness died left behind (their processes, proxies); resolves to warnings. */
  reapStale(reportRoot: string): Promise<string[]>;
  /** Opens one run (its id, its clock); nothing starts until `start`. */
  open(plan: RunPlan): TestbedRun;
}
