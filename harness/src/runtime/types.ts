import type { ElectionSettings } from '../../../common/src/election-settings.js';
import type { Subject } from '../subject/types.js';
/**
 * A runtime runs a cluster of nodes somewhere (local processes, Docker containers, or a
 * simulation) and gives the harness the same handles for each. The harness never talks to a
 * node through the runtime's own means except for process control; it observes nodes over
 * HTTP at `statusUrl` and cuts links through Toxiproxy.
 */

/** Node settings passed to every node of a cluster (see node/API.md for their meaning). */
export interface NodeSettings extends ElectionSettings {
  bugs: readonly string[];
  logLevel: string;
  /** Base seed; node i gets `seed + i` so each node's timeouts differ but replay the same. */
  seed: number;
  /** The disk test mode (`--disk`, node/API.md) of our node; absent: the plain disk. */
  disk?: string;
}

/** What to start. */
export interface ClusterSpec {
  runId: string;
  /** Node ids, e.g. `["n1","n2","n3"]`. */
  nodes: readonly string[];
  settings: NodeSettings;
  /** A directory the runtime may use for data directories and logs of this run. */
  workDir: string;
  /**
   * Nodes to set up (address, proxies, data directory) but not start; the caller starts each
   * with `Cluster.start(node)` (a staggered start). Honoured by the process runtime; others
   * start every node.
   */
  deferred?: readonly string[];
  /** Use this Toxiproxy instead of starting one (its API URL, reachable from the harness). */
  toxiproxyUrl?: string;
  /** What runs in each node slot (harness/src/subject/); absent: the project's own node. */
  subject?: Subject;
  /**
   * Told of every process event from the very first start on (so the history has every pid);
   * the same events `Cluster.onProcessEvent` listeners get later.
   */
  onProcessEvent?: (e: RuntimeProcessEvent) => void;
}

/** A started cluster. `stop()` is idempotent and always safe to call; so is disposal. */
export interface Cluster extends AsyncDisposable {
  /** `process`, `docker` or `sim`. */
  readonly runtime: string;
  /** For reports: where nodes run and which Toxiproxy carries the links. */
  readonly description: string;
  readonly nodes: readonly string[];
  /** Base URL of the node's HTTP API, reachable from the harness directly (not proxied). */
  statusUrl(node: string): string;
  /** Toxiproxy API URL reachable from the harness. */
  readonly toxiproxyUrl: string;
  /** Name of the Toxiproxy proxy that carries node `from`'s RPCs to node `to`. */
  proxyName(from: string, to: string): string;
  /** kill -9 (SIGKILL). Resolves once the node is dead. */
  kill(node: string): Promise<void>;
  /** Graceful stop (SIGTERM, escalating to SIGKILL after a grace period). */
  stop(node: string): Promise<void>;
  /** Start a stopped or killed node again with the same id, address and data directory. */
  start(node: string): Promise<void>;
  /** SIGSTOP / SIGCONT (or the engine's pause/unpause). */
  pause(node: string): Promise<void>;
  resume(node: string): Promise<void>;
  /** Whether the node's process is currently running (not killed or stopped; paused counts). */
  isRunning(node: string): boolean;
  /** Everything the node has logged so far (stdout and stderr). */
  logs(node: string): Promise<string>;
  /** Subscribe to process events (start, exit...) the runtime sees on its own. */
  onProcessEvent(listener: (e: RuntimeProcessEvent) => void): void;
  /** Stop every node and proxy and free every resource. Idempotent. */
  close(): Promise<void>;
  /**
   * Faults of a node's disk (the `disk-fail` and `corrupt-state` fault kinds), when this
   * cluster can make them (the simulation of our node); absent: it cannot, and a scenario
   * that asks for them is refused before anything starts.
   */
  readonly diskFaults?: DiskFaults;
}

/** How a node's disk refuses (`disk-fail`): `eio` every call fails; `full` writes fail (ENOSPC), reads work. */
export type DiskFailure = 'eio' | 'full';

/** Faults of the nodes' disks (Cluster.diskFaults). */
export interface DiskFaults {
  /** Makes the node's disk refuse as `how` says from now on, or work again (null). */
  fail(node: string, how: DiskFailure | null): Promise<void>;
  /**
   * Replaces the state file of a node that is down with `corrupted(its text, or null when it
   * has none)`, keeping the original for `restoreState`; gives the text written.
   */
  corruptState(node: string, corrupted: (text: string | null) => string): Promise<string>;
  /** Puts back the state file as it was before the node's last `corruptState` (no-op without one). */
  restoreState(node: string): Promise<void>;
}

/** A process-level event the runtime observed. */
export interface RuntimeProcessEvent {
  node: string;
  action: 'start' | 'exit';
  pid?: number;
  code?: number | null;
  signal?: string | null;
  /** For an `exit` the harness did not ask for, what is known of why (the simulator names the input and the error). */
  detail?: string;
}

/** Something that can start clusters. */
export interface Runtime {
  readonly name: string;
  start(spec: ClusterSpec): Promise<Cluster>;
}
