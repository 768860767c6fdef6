import { isBugName, type BugName, type CoreEvent, type HardState } from '../../../../node/src/core/index.js';
import { SIM_DATA_DIR, SimCluster, type Delivery } from '../../../../node/src/sim/sim-cluster.js';
import { STATE_FILE } from '../../../../node/src/server/storage.js';
import { parseDiskMode } from '../../../../node/src/disk-mode.js';
import type { LoggedEvent } from '../../../../node/src/server/event-log.js';
import type { DeliveryEntry, NodeEventEntry } from '../../history/types.js';
import { linkProxyName } from '../../network/link-names.js';
import type { Cluster, DiskFailure, DiskFaults, NodeSettings, RuntimeProcessEvent } from '../types.js';
import { createRng } from '../../util/rng.js';
import type { SimLinks } from './sim-links.js';
import type { VirtualTimeSource } from './virtual-clock.js';

/**
 * How long process control takes, in virtual ms, as measured on local processes: a kill or
 * stop is seen exited after `killMs`/`stopMs`; a start spawns after `spawnMs`, the node boots
 * (loads its state, starts its timers) `bootMinMs`-`bootMaxMs` later and answers `/status`
 * `readyMs` after that. The cluster's nodes are spawned together at time 0, so each first
 * boots `spawnMs` plus `bootMinMs`-`bootMaxMs` in, as processes started in parallel. Writing term and vote to disk
 * (fsync, rename, fsync of the directory, synchronous in the node) blocks a node for
 * `persistMinMs`-`persistMaxMs`: a vote is answered, and a candidate asks, only after it.
 */
export interface ProcessTiming {
  killMs: number;
  stopMs: number;
  spawnMs: number;
  bootMinMs: number;
  bootMaxMs: number;
  readyMs: number;
  persistMinMs: number;
  persistMaxMs: number;
}

/**
 * Local node processes (bundled node.mjs) on a 2-core machine. The node's own write of its
 * state measured 2.3 / 7.3 / 13.4 ms (p10 / p50 / p90) on this machine's disk.
 */
export const PROCESS_TIMING: ProcessTiming = { killMs: 20, stopMs: 20, spawnMs: 60, bootMinMs: 400, bootMaxMs: 700, readyMs: 150, persistMinMs: 2, persistMaxMs: 14 };

/**
 * Nodes restarted at the same moment boot at one drawn boot time plus up to this many ms
 * each (processes spawned in parallel do the same work and come up together).
 */
export const RESTART_JITTER_MS = 10;

/** What a simulated cluster is made of. */
export interface SimNodesSpec {
  runId: string;
  nodes: readonly string[];
  /** As for the other runtimes; node i's election-timeout seed is `settings.seed + i`, at every boot. */
  settings: Omit<NodeSettings, 'logLevel'>;
  links: SimLinks;
  /** Epoch ms of virtual time 0 (node events' `atMs`). */
  epochMs: number;
  /** Nodes not started with the others: down until `start` (a staggered start). */
  deferred?: readonly string[];
  /** Default PROCESS_TIMING. */
  timing?: ProcessTiming;
  /** A timing perturbation (sim-testbed.ts `jitter`): boot and fsync times drawn anew, election timeouts kept. */
  jitter?: number;
  /**
   * A node's events are stamped, and can be read, only once the write its step did before
   * logging them is done, as on a real node (which persists, then logs). Default off: stamped
   * at the step's start (no kill of the nemesis can tell, as it waits for writes; a kill fired
   * by a node event does not).
   */
  afterWrites?: boolean;
}

/** What the node's `/events` log keeps (node/src/server/event-log.ts): the newest 10 000. */
const EVENT_LOG_CAPACITY = 10_000;

/**
 * One boot of one node: its id and its own `/events` log, kept as the history entries the
 * poller records for them (a node-event entry is the logged event plus `type`, `t`, `wall`
 * and `bootId`), built once when the event happens.
 */
export interface SimBoot {
  readonly bootId: string;
  /** The log's entries, oldest first; the first `dropped` of the boot are gone. */
  entries: NodeEventEntry[];
  dropped: number;
  /** Seq of the last event logged (the log's seq: 1, 2, ...). */
  seq: number;
  /** Seq of the last event handed out by `drainEvents`. */
  delivered: number;
}

/**
 * A cluster of whole nodes but HTTP in one process (node/src/sim SimCluster: the server's
 * driver and storage on a simulated disk) behind the same `Cluster` handle the runner uses for
 * processes and containers. Process control acts on the simulation: kill and stop lose
 * volatile state and keep what was synced to disk (`forget-vote` keeps nothing),
 * pause freezes a node. Each boot gets a `bootId` and an event log shaped like the node's
 * `/events` (node/API.md), `start` event included. Nothing here reads real time.
 */
export class SimNodes implements Cluster, VirtualTimeSource {
  readonly runtime = 'sim';
  readonly nodes: readonly string[];
  readonly toxiproxyUrl = '';
  readonly sim: SimCluster;
  /** Per node: its boots, oldest first, and where draining their events goes on. */
  private readonly perNode = new Map<string, NodeLogs>();
  private readonly listeners: Array<(e: RuntimeProcessEvent) => void> = [];
  private readonly deliveryListeners: Array<(e: DeliveryEntry) => void> = [];
  /** Per node: the term it last became leader of and until when its first CheckQuorum window runs (virtual ms). */
  private readonly firstWindow = new Map<string, { term: number; until: number }>();
  private readonly bootRng;
  private readonly timingRng;
  private readonly timing: ProcessTiming;
  private closed = false;
  /** Nodes whose restart is scheduled but who have not booted yet. */
  private readonly starting = new Set<string>();
  /** The virtual time of the last restart request, and the boot time drawn for every restart asked for then. */
  private restartBatchAt = -1;
  private restartBatchBootMs = 0;
  /** When every node of the first start answers `/status` (what the process runtime waits for). */
  private readyAt = 0;

  constructor(private readonly spec: SimNodesSpec) {
    this.nodes = [...spec.nodes];
    this.bootRng = createRng(spec.settings.seed).fork('sim-boot-ids');
    this.timingRng = createRng(spec.settings.seed).fork(spec.jitter ? `sim-process-timing#jitter${spec.jitter}` : 'sim-process-timing');
    this.timing = spec.timing ?? PROCESS_TIMING;
    for (const n of this.nodes) this.perNode.set(n, { boots: [], last: undefined, undelivered: 0 });
    const s = spec.settings;
    const bugs: BugName[] = s.bugs.filter(isBugName);
    const syncDelayMs = s.disk !== undefined ? parseDiskMode(s.disk, '--disk').syncDelayMs : 0;
    this.sim = new SimCluster({
      ids: this.nodes,
      // The cluster's own draws (each write's fsync time); node seeds come from nodeSeed below.
      seed: spec.jitter ? (Math.imul(s.seed ^ 0x6a177e5, 0x9e3779b1) + spec.jitter) >>> 0 : s.seed,
      rpcTimeout: s.rpcTimeout,
      // A simulated kill is a power loss already (--disk lossy changes nothing here); a slow
      // fsync (--disk sync-delay=MS) makes a whole write (file and directory) 2 x MS longer.
      persistMs: [this.timing.persistMinMs + 2 * syncDelayMs, this.timing.persistMaxMs + 2 * syncDelayMs],
      bootAt: (id) => {
        if (spec.deferred?.includes(id)) return Infinity;
        const at = this.timing.spawnMs + this.timing.bootMinMs + this.timingRng.next() * (this.timing.bootMaxMs - this.timing.bootMinMs);
        this.readyAt = Math.max(this.readyAt, at + this.timing.readyMs);
        return at;
      },
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
      onStepLost: (id, events) => this.forget(id, events),
      onCoreEvent: (e, at, node) => this.logEvent(e, at, node),
      // A node that fails by itself dies as its process would of an uncaught error: exit code 1.
      onNodeCrash: (id, input, error) => this.emit({ node: id, action: 'exit', pid: this.pid(id), code: 1, signal: null, detail: `crashed on ${input}: ${error}` }),
      // A node whose storage refuses to load exits 1 before it logs anything (main.ts).
      onBootFailed: (id, error) => this.emit({ node: id, action: 'exit', pid: this.pid(id) + 1, code: 1, signal: null, detail: `could not start: ${error}` }),
      onDeliver: (d) => this.delivered(d),
      keepEvents: false, // each boot's log keeps them
      ...(spec.afterWrites ? { eventsAtWriteEnd: true } : {}),
    });
  }

  get now(): number {
    return this.sim.now;
  }

  /** The nodes' simulated disks: they fail and their state files are corrupted on demand, at the virtual now. */
  readonly diskFaults: DiskFaults = {
    fail: async (node: string, how: DiskFailure | null) => {
      this.open();
      this.sim.disk(node).fail(how);
    },
    corruptState: async (node: string, corrupted: (text: string | null) => string) => {
      this.open();
      const disk = this.sim.disk(node);
      const file = `${SIM_DATA_DIR}/${STATE_FILE}`;
      const before = disk.read(file);
      if (!this.originals.has(node)) this.originals.set(node, before);
      const text = corrupted(before);
      disk.replace(file, text);
      return text;
    },
    restoreState: async (node: string) => {
      this.open();
      if (!this.originals.has(node)) return;
      this.sim.disk(node).replace(`${SIM_DATA_DIR}/${STATE_FILE}`, this.originals.get(node)!);
      this.originals.delete(node);
    },
  };

  /** State files as they were before `corruptState`, until `restoreState`. */
  private readonly originals = new Map<string, string | null>();

  /** Epoch ms of virtual time 0. */
  get epochMs(): number {
    return this.spec.epochMs;
  }

  get description(): string {
    const b = this.spec.links.baseline;
    // Recorded in every simulated history: kept word for word so histories stay byte-identical
    // (the core runs with the server's driver and storage on a simulated disk since session 5).
    return `${this.nodes.length} simulated nodes (the node's Raft core) on virtual time; in-memory links ${b.minDelayMs}-${b.maxDelayMs} ms one way, faults with Toxiproxy's semantics`;
  }

  runUntil(t: number): void {
    this.sim.runUntil(t);
  }

  /** Runs until every node of the first start answers, as the process runtime's start waits for them. */
  awaitStarted(): void {
    if (this.now < this.readyAt) this.runUntil(this.readyAt);
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
    const last = this.perNode.get(node)?.last;
    if (!last) throw new Error(`unknown node ${node}`);
    return last.bootId;
  }

  /** Events logged since the last drain, per boot, oldest first. */
  drainEvents(node: string): Array<{ bootId: string; event: LoggedEvent }> {
    const out: Array<{ bootId: string; event: LoggedEvent }> = [];
    this.drainEntries(node, (entry) => out.push({ bootId: entry.bootId, event: loggedEvent(entry) }));
    return out;
  }

  /**
   * The node-event history entries of the events logged since the last drain (what
   * `drainEvents` returns, as the poller records them), per boot, oldest first. An event
   * the node's log no longer holds (more than its capacity came since the last drain) is
   * lost, as on a real node.
   */
  drainEntries(node: string, each: (entry: NodeEventEntry) => void, afterWrites = false): void {
    const logs = this.perNode.get(node);
    if (logs === undefined) return;
    const list = logs.boots;
    // Nothing new (the common case: most polls see no event).
    if (logs.undelivered === list.length - 1 && logs.last!.delivered === logs.last!.seq) return;
    // With `afterWrites`, the events of a step still in its write stay unread (the real node logs them after it).
    const held = afterWrites ? this.sim.eventsInWrite(node) : 0;
    for (let b = logs.undelivered; b < list.length; b++) {
      const boot = list[b]!;
      const last = b === list.length - 1 ? Math.max(boot.delivered, boot.seq - held) : boot.seq;
      for (let seq = Math.max(boot.delivered, boot.seq - EVENT_LOG_CAPACITY) + 1; seq <= last; seq++) {
        each(boot.entries[seq - 1 - boot.dropped]!);
      }
      boot.delivered = last;
    }
    // Earlier boots are over: only the last one can log more.
    logs.undelivered = Math.max(0, list.length - 1);
  }

  /** kill -9 now; resolves (virtual `killMs` later) once the exit is seen. */
  async kill(node: string): Promise<void> {
    await this.down(node, { code: null, signal: 'SIGKILL' }, this.timing.killMs);
  }

  /** SIGTERM: stops at once (its state is durable), resolves `stopMs` later. */
  async stop(node: string): Promise<void> {
    await this.down(node, { code: 0, signal: null }, this.timing.stopMs);
  }

  /**
   * Spawns the node again with its disk; resolves once it would answer `/status`. The virtual
   * clock does not move until every start asked for at the same moment is scheduled (the
   * caller's `Promise.all` over several nodes), so nodes restarted together are spawned
   * together and boot within RESTART_JITTER_MS of each other, as processes started in parallel.
   */
  async start(node: string): Promise<void> {
    this.open();
    if (this.sim.isUp(node) || this.starting.has(node)) return;
    const t = this.timing;
    const now = this.now;
    let bootMs: number;
    if (this.restartBatchAt !== now) {
      // One boot time for every start asked for now; each further node boots a little after it.
      this.restartBatchAt = now;
      this.restartBatchBootMs = t.bootMinMs + this.timingRng.next() * (t.bootMaxMs - t.bootMinMs);
      bootMs = this.restartBatchBootMs;
    } else {
      bootMs = this.restartBatchBootMs + this.timingRng.next() * RESTART_JITTER_MS;
    }
    const spawnAt = now + t.spawnMs;
    const bootAt = spawnAt + bootMs;
    this.starting.add(node);
    this.at(spawnAt, () => this.emit({ node, action: 'start', pid: this.pid(node) + 1 }));
    this.at(bootAt, () => {
      this.starting.delete(node);
      if (!this.closed) this.sim.restart(node);
    });
    // Let the other starts asked for now be scheduled before time moves.
    await Promise.resolve();
    this.runUntil(Math.max(this.now, bootAt + t.readyMs));
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
    return (this.perNode.get(node)?.boots ?? [])
      .flatMap((b) => b.entries.slice(-EVENT_LOG_CAPACITY).map((e) => JSON.stringify({ bootId: b.bootId, ...loggedEvent(e) })))
      .join('\n');
  }

  onProcessEvent(listener: (e: RuntimeProcessEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Told of the messages worth a history entry as they are delivered (see DeliveryEntry: vote
   * and pre-vote requests and replies, and messages with a term above the receiver's or none).
   */
  onDelivery(listener: (e: DeliveryEntry) => void): void {
    this.deliveryListeners.push(listener);
  }

  /** Kills every running node (as the process runtime does at teardown). Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    for (const n of this.nodes) if (this.sim.isUp(n)) void this.down(n, { code: null, signal: 'SIGKILL' }, 0);
    this.closed = true;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Takes the node down now and resolves `afterMs` later, once its exit is seen. The clock
   * moves only after the other kills or stops asked for at the same moment took their nodes
   * down too (the caller's `Promise.all`), so they land together, as on processes.
   */
  private async down(node: string, how: { code: number | null; signal: string | null }, afterMs: number): Promise<void> {
    this.open();
    if (!this.sim.isUp(node)) return;
    const pid = this.pid(node);
    const exitAt = this.now + afterMs;
    this.sim.crash(node);
    if (afterMs > 0) {
      await Promise.resolve();
      this.runUntil(Math.max(this.now, exitAt));
    }
    this.emit({ node, action: 'exit', pid, ...how });
  }

  /**
   * A kill cut the node's last step short inside its write: the real node logs a step's
   * events only after the write, so its last `count` events never reached its log. Those no
   * poll drained yet are removed (one drained already was answered by a node that could not
   * have answered during the write: the sim poller waits for the write, so none is).
   */
  private forget(node: string, count: number): void {
    const boot = this.perNode.get(node)?.last;
    if (boot === undefined) return;
    for (let i = 0; i < count && boot.seq > boot.delivered && boot.entries.length > 0; i++) {
      boot.entries.pop();
      boot.seq--;
    }
  }

  /** A message the simulation handed a node: its history entry, when it is worth one (see onDelivery). */
  private delivered(d: Delivery): void {
    if (this.deliveryListeners.length === 0) return;
    const rpc = d.request.type;
    const vote = rpc !== 'append-entries';
    // A body that is not an object (a broken node's `undefined` reply, which the receiver's HTTP
    // layer refuses as malformed) is recorded as one without a term, not read.
    const raw: unknown = d.msg === 'request' ? d.request.body : d.reply;
    const body: { term?: unknown; voteGranted?: unknown } = raw !== null && typeof raw === 'object' ? (raw as { term?: unknown; voteGranted?: unknown }) : {};
    const term = typeof body.term === 'number' ? body.term : null;
    // An AppendEntries reply of the receiver's term within its first CheckQuorum window as
    // leader of that term (with CheckQuorum on): recorded, marked `firstWindow` (what
    // `quorum-window` judges). Any other routine heartbeat (or its answer) of the receiver's own
    // term or older: not recorded.
    const w = this.firstWindow.get(d.to);
    const firstWindow =
      !vote && d.msg === 'reply' && w !== undefined && d.termBefore === w.term && (d.request.body as { term?: unknown }).term === w.term && this.time() <= w.until;
    if (!vote && term !== null && term <= d.termBefore && !firstWindow) return;
    const boot = this.perNode.get(d.to)!.last!;
    const t = this.time();
    const req = (d.request.body ?? {}) as { candidateId?: string; term: number };
    const reply = d.msg === 'reply';
    const entry: DeliveryEntry = {
      type: 'delivery', t, wall: this.spec.epochMs + t, id: d.id, node: d.to, from: d.from, rpc, msg: d.msg, term,
      ...(vote && reply ? { granted: typeof body.voteGranted === 'boolean' ? body.voteGranted : null } : {}),
      ...(vote ? { candidate: req.candidateId! } : {}),
      ...(reply ? { requestTerm: req.term } : {}),
      // Every vote request is recorded; an AppendEntries request only when it carried a newer term.
      ...(vote && reply && d.requestId !== undefined ? { re: d.requestId } : {}),
      ...(firstWindow ? { firstWindow: true } : {}),
      nodeTerm: d.termBefore,
      bootId: boot.bootId,
      afterSeq: boot.seq - d.events,
      events: d.events,
      ...(d.refused !== undefined ? { refused: d.refused } : {}),
    };
    for (const l of this.deliveryListeners) l(entry);
  }

  private booted(node: string, loaded: HardState): void {
    const bootId = (this.bootRng.int(2 ** 32).toString(16).padStart(8, '0') + this.bootRng.int(2 ** 32).toString(16).padStart(8, '0'));
    const boot: SimBoot = { bootId, entries: [], dropped: 0, seq: 0, delivered: 0 };
    const logs = this.perNode.get(node)!;
    logs.boots.push(boot);
    logs.last = boot;
    const entry = this.entry(boot, node, 'start', loaded.term, this.time());
    entry['stateTerm'] = loaded.term;
    entry['stateVotedFor'] = loaded.votedFor;
    entry.bootId = bootId;
  }

  /** Virtual now; 0 while the SimCluster is still being built (its constructor boots the nodes). */
  private time(): number {
    return (this.sim as SimCluster | undefined)?.now ?? 0;
  }

  /**
   * A core event into the node's current boot's log. The entry is the one the node's EventLog
   * (`{ seq, atMs, kind, term, node, ...details }`) and then the poller (`{ type, t, wall,
   * ...logged, node, bootId }`) would make, built in one go: same keys, same order, same values.
   */
  private logEvent(e: CoreEvent, at: number, node: string): void {
    const boot = this.perNode.get(node)!.last!;
    const entry = this.entry(boot, node, e.kind, e.term, at) as Record<string, unknown>;
    if (e.kind === 'become-leader' && this.spec.settings.checkQuorum) this.firstWindow.set(node, { term: e.term, until: at + this.spec.settings.electionTimeoutMax });
    for (const k in e) {
      // What the driver and the log set themselves (the log's own fields win).
      if (k === 'kind' || k === 'term' || k === 'at' || k === 'node' || k === 'atMs') continue;
      entry[k] = e[k];
    }
    entry['bootId'] = boot.bootId;
  }

  /** Appends the entry of the boot's next event (without its details and `bootId`) and returns it. */
  private entry(boot: SimBoot, node: string, kind: string, term: number, at: number): NodeEventEntry {
    const atMs = this.spec.epochMs + at;
    const entry = { type: 'node-event', t: atMs - this.spec.epochMs, wall: atMs, seq: ++boot.seq, atMs, kind, term, node } as unknown as NodeEventEntry;
    boot.entries.push(entry);
    // Keep at most the log's capacity, trimming in batches.
    if (boot.entries.length >= 2 * EVENT_LOG_CAPACITY) {
      const drop = boot.entries.length - EVENT_LOG_CAPACITY;
      boot.entries.splice(0, drop);
      boot.dropped += drop;
    }
    return entry;
  }

  private pid(node: string): number {
    return 10_000 + this.nodes.indexOf(node) * 100 + (this.perNode.get(node)?.boots.length ?? 0);
  }

  private emit(e: RuntimeProcessEvent): void {
    for (const l of this.listeners) l(e);
  }

  private open(): void {
    if (this.closed) throw new Error(`simulated cluster of run ${this.spec.runId} is closed`);
  }
}

/** One node's boots, oldest first. */
interface NodeLogs {
  readonly boots: SimBoot[];
  /** The current (or last) boot. */
  last: SimBoot | undefined;
  /** Index in `boots` of the first boot that may have undelivered events. */
  undelivered: number;
}

/** The node's own `/events` entry of a node-event history entry (`seq`, `atMs`, `kind`, `term`, `node`, details). */
function loggedEvent(entry: NodeEventEntry): LoggedEvent {
  const { type: _type, t: _t, wall: _wall, bootId: _bootId, ...event } = entry;
  return event as unknown as LoggedEvent;
}
