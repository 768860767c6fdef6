import { isBugName, type BugName, type HardState } from '../../../node/src/core/index.js';
import { SimCluster, type SimEvent } from '../../../node/src/core/testing/sim-cluster.js';
import { EventLog, type LoggedEvent } from '../../../node/src/server/event-log.js';
import { linkProxyName } from '../network/link-names.js';
import type { Cluster, NodeSettings, RuntimeProcessEvent } from '../runtime/types.js';
import { createRng } from '../util/rng.js';
import type { SimLinks } from './sim-links.js';
import type { VirtualTimeSource } from './virtual-clock.js';

/**
 * How long process control takes, in virtual ms, as measured on local processes: a kill or
 * stop is seen exited after `killMs`/`stopMs`; a start spawns after `spawnMs`, the node boots
 * (loads its state, starts its timers) `bootMinMs`-`bootMaxMs` later and answers `/status`
 * `readyMs` after that. The cluster's first boot is at time 0.
 */
export interface ProcessTiming {
  killMs: number;
  stopMs: number;
  spawnMs: number;
  bootMinMs: number;
  bootMaxMs: number;
  readyMs: number;
}

/** Local node processes (bundled node.mjs) on a 2-core machine. */
export const PROCESS_TIMING: ProcessTiming = { killMs: 20, stopMs: 20, spawnMs: 60, bootMinMs: 400, bootMaxMs: 700, readyMs: 150 };

/** What a simulated cluster is made of. */
export interface SimNodesSpec {
  runId: string;
  nodes: readonly string[];
  /** As for the other runtimes; node i's election-timeout seed is `settings.seed + i`, at every boot. */
  settings: Omit<NodeSettings, 'logLevel'>;
  links: SimLinks;
  /** Epoch ms of virtual time 0 (node events' `atMs`). */
  epochMs: number;
  /** Default PROCESS_TIMING. */
  timing?: ProcessTiming;
}

/** One boot of one node: its id and its own `/events` log. */
export interface SimBoot {
  readonly bootId: string;
  readonly log: EventLog;
  /** Seq of the last event handed out by `drainEvents`. */
  delivered: number;
}

/**
 * A cluster of Raft cores in one process (node/src/core/testing SimCluster) behind the same
 * `Cluster` handle the runner uses for processes and containers. Process control acts on the
 * simulation: kill and stop lose volatile state and keep the disk (`forget-vote` loses it),
 * pause freezes a node. Each boot gets a `bootId` and an event log shaped like the node's
 * `/events` (node/API.md), `start` event included. Nothing here reads real time.
 */
export class SimNodes implements Cluster, VirtualTimeSource {
  readonly runtime = 'sim';
  readonly nodes: readonly string[];
  readonly toxiproxyUrl = '';
  readonly sim: SimCluster;
  private readonly boots = new Map<string, SimBoot[]>();
  private readonly listeners: Array<(e: RuntimeProcessEvent) => void> = [];
  private readonly bootRng;
  private readonly timingRng;
  private readonly timing: ProcessTiming;
  private closed = false;

  constructor(private readonly spec: SimNodesSpec) {
    this.nodes = [...spec.nodes];
    this.bootRng = createRng(spec.settings.seed).fork('sim-boot-ids');
    this.timingRng = createRng(spec.settings.seed).fork('sim-process-timing');
    this.timing = spec.timing ?? PROCESS_TIMING;
    for (const n of this.nodes) this.boots.set(n, []);
    const s = spec.settings;
    const bugs: BugName[] = s.bugs.filter(isBugName);
    this.sim = new SimCluster({
      ids: this.nodes,
      seed: s.seed,
      rpcTimeout: s.rpcTimeout,
      transport: spec.links,
      core: {
        electionTimeoutMin: s.electionTimeoutMin,
        electionTimeoutMax: s.electionTimeoutMax,
        heartbeatInterval: s.heartbeatInterval,
        preVote: s.preVote,
        checkQuorum: s.checkQuorum,
        bugs,
      },
      // As the process runtime: node i runs with --seed settings.seed + i, every time it starts.
      nodeSeed: (_id, index) => (s.seed + index) >>> 0,
      onBoot: (id, _incarnation, loaded) => this.booted(id, loaded),
      onEvent: (e) => this.logEvent(e),
      keepEvents: false, // each boot's EventLog keeps them
    });
  }

  get now(): number {
    return this.sim.now;
  }

  /** Epoch ms of virtual time 0. */
  get epochMs(): number {
    return this.spec.epochMs;
  }

  get description(): string {
    const b = this.spec.links.baseline;
    return `${this.nodes.length} simulated nodes (the node's Raft core) on virtual time; in-memory links ${b.minDelayMs}-${b.maxDelayMs} ms one way, faults with Toxiproxy's semantics`;
  }

  runUntil(t: number): void {
    this.sim.runUntil(t);
  }

  /** Runs `fn` at virtual time `at` inside the simulation loop. */
  at(at: number, fn: () => void): void {
    this.sim.schedule(at, fn);
  }

  statusUrl(node: string): string {
    return `sim://${node}`;
  }

  proxyName(from: string, to: string): string {
    return linkProxyName(this.spec.runId, from, to);
  }

  /** The boot id of the node's current (or last) boot. */
  bootId(node: string): string {
    const list = this.boots.get(node);
    const last = list?.[list.length - 1];
    if (!last) throw new Error(`unknown node ${node}`);
    return last.bootId;
  }

  /** Events logged since the last drain, per boot, oldest first. */
  drainEvents(node: string): Array<{ bootId: string; event: LoggedEvent }> {
    const out: Array<{ bootId: string; event: LoggedEvent }> = [];
    for (const boot of this.boots.get(node) ?? []) {
      const page = boot.log.since(boot.delivered, Infinity);
      for (const event of page.events) out.push({ bootId: boot.bootId, event });
      boot.delivered = page.next;
    }
    return out;
  }

  /** kill -9 now; resolves (virtual `killMs` later) once the exit is seen. */
  async kill(node: string): Promise<void> {
    this.down(node, { code: null, signal: 'SIGKILL' }, this.timing.killMs);
  }

  /** SIGTERM: stops at once (its state is durable), resolves `stopMs` later. */
  async stop(node: string): Promise<void> {
    this.down(node, { code: 0, signal: null }, this.timing.stopMs);
  }

  /** Spawns the node again with its disk; resolves once it would answer `/status`. */
  async start(node: string): Promise<void> {
    this.open();
    if (this.sim.isUp(node)) return;
    const t = this.timing;
    this.runUntil(this.now + t.spawnMs);
    this.emit({ node, action: 'start', pid: this.pid(node) + 1 });
    this.runUntil(this.now + t.bootMinMs + this.timingRng.next() * (t.bootMaxMs - t.bootMinMs));
    this.sim.restart(node);
    this.runUntil(this.now + t.readyMs);
  }

  async pause(node: string): Promise<void> {
    this.open();
    this.sim.pause(node);
  }

  async resume(node: string): Promise<void> {
    this.open();
    this.sim.resume(node);
  }

  isRunning(node: string): boolean {
    return this.sim.isUp(node);
  }

  async logs(node: string): Promise<string> {
    return (this.boots.get(node) ?? [])
      .flatMap((b) => b.log.since(0, Infinity).events.map((e) => JSON.stringify({ bootId: b.bootId, ...e })))
      .join('\n');
  }

  onProcessEvent(listener: (e: RuntimeProcessEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Kills every running node (as the process runtime does at teardown). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const n of this.nodes) if (this.sim.isUp(n)) this.down(n, { code: null, signal: 'SIGKILL' }, 0);
    this.closed = true;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private down(node: string, how: { code: number | null; signal: string | null }, afterMs: number): void {
    this.open();
    if (!this.sim.isUp(node)) return;
    const pid = this.pid(node);
    this.sim.crash(node);
    if (afterMs > 0) this.runUntil(this.now + afterMs);
    this.emit({ node, action: 'exit', pid, ...how });
  }

  private booted(node: string, loaded: HardState): void {
    const bootId = (this.bootRng.int(2 ** 32).toString(16).padStart(8, '0') + this.bootRng.int(2 ** 32).toString(16).padStart(8, '0'));
    const log = new EventLog();
    this.boots.get(node)!.push({ bootId, log, delivered: 0 });
    log.append({ kind: 'start', term: loaded.term, node, atMs: this.spec.epochMs + this.time(), stateTerm: loaded.term, stateVotedFor: loaded.votedFor });
  }

  /** Virtual now; 0 while the SimCluster is still being built (its constructor boots the nodes). */
  private time(): number {
    return (this.sim as SimCluster | undefined)?.now ?? 0;
  }

  private logEvent(e: SimEvent): void {
    const { at, node, kind, term, ...details } = e;
    const list = this.boots.get(node)!;
    list[list.length - 1]!.log.append({ ...details, kind, term, node, atMs: this.spec.epochMs + at });
  }

  private pid(node: string): number {
    return 10_000 + this.nodes.indexOf(node) * 100 + (this.boots.get(node)?.length ?? 0);
  }

  private emit(e: RuntimeProcessEvent): void {
    for (const l of this.listeners) l(e);
  }

  private open(): void {
    if (this.closed) throw new Error(`simulated cluster of run ${this.spec.runId} is closed`);
  }
}
