import { defaultCoreConfig } from '../core/config-defaults.js';
import { seededRng, type Rng } from '../core/prng.js';
import { createCore, type RaftCore } from '../core/raft-core.js';
import type { CoreConfig, CoreEvent, CoreStatus, HardState, Input, NodeId, Outgoing, Rpc, RpcReply } from '../core/types.js';
import { describeInput, NodeDriver } from '../server/driver.js';
import { nodeStorage, type StateStorage } from '../server/storage.js';
import { checkRpcReply, checkRpcRequest } from '../server/validate.js';
import { EventQueue } from './event-queue.js';
import { CALM, SimNetwork, type LinkConditions, type Transmission, type Transport } from './network.js';
import { SimDisk } from './sim-disk.js';

/** The data directory of every simulated node on its own simulated disk. */
export const SIM_DATA_DIR = '/data';
/** Of a save's write time, the share spent in the file's fsync (the rest is the directory's fsync). */
const FILE_SYNC_SHARE = 0.6;

/** Options of a simulated cluster; every field has a default. */
export interface SimClusterOptions {
  /** Node ids; default n1..n3. */
  readonly ids?: readonly NodeId[];
  /** Seed of every random choice (network and each node's election timeouts). */
  readonly seed?: number;
  /** Core settings for every node (id and peers are filled in). */
  readonly core?: Partial<Omit<CoreConfig, 'id' | 'peers'>>;
  readonly conditions?: LinkConditions;
  /** A sender gives up on an RPC after this many ms and gets a failure; default 75. */
  readonly rpcTimeout?: number;
  /**
   * How long writing term and vote to disk blocks a node, uniform in [min, max] ms (default
   * [0, 0]: instant): the file's fsync takes the first 60% of it, the directory's fsync the
   * rest. The server's driver (NodeDriver) runs here on a simulated disk (SimDisk), so what it
   * does after a sync (send, reply) leaves once that sync is done, what it does before leaves
   * at once, and a crash before a sync completes loses the write.
   */
  readonly persistMs?: readonly [min: number, max: number];
  /** What decides each message's fate; default `network` (the cluster's SimNetwork). */
  readonly transport?: Transport;
  /**
   * Seed of a node's election-timeout randomness at each boot (incarnation 0 = first boot).
   * Default: derived from `seed`, index and incarnation, so every boot draws differently.
   */
  readonly nodeSeed?: (id: NodeId, index: number, incarnation: number) => number;
  /** Told of every core event as it happens (after it was appended to `events`). */
  readonly onEvent?: (e: SimEvent) => void;
  /**
   * Told of every core event as it happens, as the core emitted it (no SimEvent is built for
   * it): for drivers that copy the event anyway. Called after `onEvent`.
   */
  readonly onCoreEvent?: (e: CoreEvent, at: number, node: NodeId) => void;
  /** Keep every event in `events` (default true; long runs that use `onEvent` may turn it off). */
  readonly keepEvents?: boolean;
  /**
   * Stamp a step's core events when the writes it did before logging them are done, when the
   * real node logs them (its driver persists, then logs), instead of at the step's start
   * (default false).
   */
  readonly eventsAtWriteEnd?: boolean;
  /**
   * When each node first boots, virtual ms (default 0 for all). A node with a later time is
   * down until then, as a process that is still starting; its boot is scheduled. Infinity:
   * it stays down until `restart` starts it.
   */
  readonly bootAt?: (id: NodeId, index: number) => number;
  /**
   * Told when a crash cut a node's step short inside its write to disk: the last `events`
   * core events of that step were never logged by the real node (its driver logs them after
   * the write), so whoever copied them should forget them.
   */
  readonly onStepLost?: (id: NodeId, events: number) => void;
  /** Told of every boot (the first and each restart) with what was loaded from disk. */
  readonly onBoot?: (id: NodeId, incarnation: number, loaded: HardState) => void;
  /**
   * Told when a node fails by itself: its core (or driver) threw on an input, or asked for a
   * tick at or before the time it was just ticked (a real driver would spin), or for a tick at
   * no time at all (NaN). With this set the node goes down as a process that died of it would
   * (a crash: what it synced stays) and the run goes on; without it the error is thrown, as a
   * failure of whoever drives the simulation. `input` names what the node was handling.
   */
  readonly onNodeCrash?: (id: NodeId, input: string, error: string) => void;
  /**
   * Told when a node could not start: its storage refused to load (a state file it cannot
   * read or refuses as corrupt, a data directory it cannot create). The node stays down, as
   * the process exits 1 (node/src/main.ts). `error` is the storage's error.
   */
  readonly onBootFailed?: (id: NodeId, error: string) => void;
  /**
   * Told of every request and reply a node was handed (stepped with), once its step is done:
   * what the network delivered, as the harness observes it, independent of what the node says.
   * Reading only: it changes nothing the simulation decides.
   */
  readonly onDeliver?: (d: Delivery) => void;
}

/** One message a node was handed (SimClusterOptions `onDeliver`). */
export interface Delivery {
  /** This delivery's number in the cluster (1, 2, ...; every delivery counts). */
  readonly id: number;
  /** `request`: `from`'s RPC handed to `to`; `reply`: `from`'s answer handed back to `to`, the sender of `request`. */
  readonly msg: 'request' | 'reply';
  readonly from: NodeId;
  readonly to: NodeId;
  /** The request (for a reply: the request it answers, as its sender sent it). */
  readonly request: Outgoing;
  /** The reply's body as the replier sent it (a reply only). */
  readonly reply?: RpcReply;
  /** For a reply: the `id` of the delivery of the request it answers. */
  readonly requestId?: number;
  /** The receiver's term when the message was handed to it, before its step. */
  readonly termBefore: number;
  /** How many core events the receiver's step logged (the last ones of its log); 0 when it failed in the step. */
  readonly events: number;
  /** Whether the receiver still runs after its step (false: it failed in it). */
  readonly up: boolean;
  /**
   * Set when the receiver's HTTP layer refused the message before its core saw it (a request
   * answered 400, a malformed reply turned into a failure, server/validate.ts): why.
   */
  readonly refused?: string;
}

/** A core event with the virtual time and node it happened at. */
export type SimEvent = CoreEvent & { readonly at: number; readonly node: NodeId };

type Action =
  | { kind: 'request'; rpc: RpcCall; copies?: Copies }
  | { kind: 'reply'; rpc: RpcCall; reply: RpcReply; replierIncarnation: number; sentAt: number; requestId: number; copies?: Copies }
  | { kind: 'timeout'; rpc: RpcCall }
  | { kind: 'failure'; rpc: RpcCall; reason: string; copies?: Copies }
  | { kind: 'call'; fn: () => void };

/**
 * The queued fate of one message decided before it leaves (its node sends once its write to
 * disk is done): `void` once the links changed meanwhile and it was decided again as it left.
 */
interface Copies {
  void: boolean;
}

interface RpcCall {
  readonly from: NodeId;
  /** The sender's and the receiver's nodes (`from` and `out.to`). */
  readonly sender: SimNode;
  readonly receiver: SimNode;
  readonly fromIncarnation: number;
  readonly out: Outgoing;
  settled: boolean;
}

interface SimNode {
  readonly id: NodeId;
  core: RaftCore | null;
  /** The server's driver over `core` (null while crashed). */
  driver: NodeDriver | null;
  /** The node's disk: survives crashes, loses what was not synced. */
  readonly disk: SimDisk;
  /** The storage of the current boot (on `disk`, or in memory for `forget-vote`). */
  storage: StateStorage;
  /** When each incarnation ended (index: incarnation). */
  readonly crashTimes: number[];
  /**
   * When the node's next tick is due, cluster time: `core.nextDeadline()` as of the core's last
   * step, converted from the core's clock (or later, once its write is done; Infinity while crashed).
   */
  deadline: number;
  /** `core.nextDeadline()` as of the core's last step, on the core's own clock (time since boot). */
  coreDeadline: number;
  /**
   * Cluster time of the current boot. The core and its driver see time since then, as a process's
   * core sees `performance.now()` less its start (raft-node.ts): 0 at each boot.
   */
  bootedAt: number;
  incarnation: number;
  /** SIGSTOP: no ticks, and what arrives waits in `inbox` until resumed. */
  paused: boolean;
  inbox: Action[];
  /** Busy writing to disk until then: what arrives waits, ticks wait. */
  busyUntil: number;
  /** Core events logged by the node's last step, and the first of them kept in `events`. */
  stepEvents: number;
  stepFirstEvent: SimEvent | undefined;
  /** The driver reported the step in progress fatal (`DriverHost.fatal`): the process exits. */
  fatal: boolean;
}

/** Node's shortest timer, ms: `setTimeout(fn, 0)` waits 1 ms. */
const SHORTEST_TIMER_MS = 1;

/**
 * The node's status could not be built (its `status()` threw or gave no object): a process's
 * server answers GET /status with HTTP 500 then.
 */
export class NodeStatusError extends Error {}

/**
 * A whole cluster of cores in one process on virtual time and an in-memory network
 * (after etcd's rafttest). Deterministic given its options and the calls made on it.
 * Each node is the whole node but HTTP: its core driven by the server's own NodeDriver,
 * persisting through the server's own storage code onto a simulated disk (SimDisk) where a
 * crash loses what was not synced; `crash` and `restart` model kill -9 (as a power loss of
 * the node) and a restart; `pause` and `resume` model SIGSTOP and SIGCONT.
 * RPCs behave like HTTP: one reply or one failure per request, failure after `rpcTimeout`
 * (or sooner when the transport says the connection failed); a request still in flight when
 * its sender gave up or died is never delivered (the connection is gone).
 */
export class SimCluster {
  readonly ids: readonly NodeId[];
  readonly network: SimNetwork;
  /** Every core event so far, in order. */
  readonly events: SimEvent[] = [];
  private readonly nodes = new Map<NodeId, SimNode>();
  /** The nodes in `ids` order (ties between ticks go to the earlier one). */
  private readonly list: SimNode[] = [];
  private readonly queue = new EventQueue<Action>();
  private readonly seed: number;
  private readonly coreOptions: Partial<Omit<CoreConfig, 'id' | 'peers'>>;
  private readonly rpcTimeout: number;
  private readonly persistMs: readonly [number, number];
  private readonly persistRng: Rng;
  private readonly transport: Transport;
  private readonly nodeSeed: (id: NodeId, index: number, incarnation: number) => number;
  private readonly onEvent: ((e: SimEvent) => void) | undefined;
  private readonly onCoreEvent: ((e: CoreEvent, at: number, node: NodeId) => void) | undefined;
  private readonly keepEvents: boolean;
  private readonly eventsAtWriteEnd: boolean;
  private readonly onBoot: ((id: NodeId, incarnation: number, loaded: HardState) => void) | undefined;
  private readonly onStepLost: ((id: NodeId, events: number) => void) | undefined;
  private readonly onNodeCrash: ((id: NodeId, input: string, error: string) => void) | undefined;
  private readonly onBootFailed: ((id: NodeId, error: string) => void) | undefined;
  private readonly onDeliver: ((d: Delivery) => void) | undefined;
  /** Deliveries so far (`Delivery.id`). */
  private deliveries = 0;
  private time = 0;
  /** When the messages of the step in progress leave: now, or once its write to disk is done. */
  private sendAt = 0;
  /** The random part of the save time drawn for the step in progress (-1: none yet). */
  private stepPersistMs = -1;
  /** The earliest tick (`tickAt` of node `tickNode`) must be worked out again: a deadline or a pause changed. */
  private ticksChanged = true;
  private tickAt = Infinity;
  private tickNode: SimNode | undefined;

  constructor(options: SimClusterOptions = {}) {
    this.ids = options.ids ?? ['n1', 'n2', 'n3'];
    this.seed = options.seed ?? 1;
    this.coreOptions = options.core ?? {};
    this.rpcTimeout = options.rpcTimeout ?? 75;
    this.persistMs = options.persistMs ?? [0, 0];
    this.persistRng = seededRng((this.seed ^ 0x0d15c) >>> 0);
    this.network = new SimNetwork(seededRng(this.seed ^ 0x5eed), options.conditions ?? CALM);
    this.transport = options.transport ?? this.network;
    this.nodeSeed =
      options.nodeSeed ?? ((_id, index, incarnation) => (this.seed * 1_000_003 + index * 7919 + incarnation * 104_729) >>> 0);
    this.onEvent = options.onEvent;
    this.onCoreEvent = options.onCoreEvent;
    this.keepEvents = options.keepEvents ?? true;
    this.eventsAtWriteEnd = options.eventsAtWriteEnd === true;
    this.onBoot = options.onBoot;
    this.onStepLost = options.onStepLost;
    this.onNodeCrash = options.onNodeCrash;
    this.onBootFailed = options.onBootFailed;
    this.onDeliver = options.onDeliver;
    const clock = {
      now: () => this.sendAt,
      settled: () => this.time,
      sync: (kind: 'file' | 'dir') => this.sync(kind),
    };
    for (const id of this.ids) {
      const disk = new SimDisk(clock);
      const node: SimNode = {
        id, core: null, driver: null, disk, storage: this.storageOn(disk), crashTimes: [], deadline: Infinity, coreDeadline: Infinity, bootedAt: 0, incarnation: 0, paused: false, inbox: [], busyUntil: 0, stepEvents: 0, stepFirstEvent: undefined, fatal: false,
      };
      this.nodes.set(id, node);
      this.list.push(node);
      const at = options.bootAt?.(id, this.list.length - 1) ?? 0;
      if (at === Infinity) continue;
      if (at > 0) this.schedule(at, () => this.boot(id, node));
      else this.boot(id, node);
    }
  }

  /** The current virtual time, ms. */
  get now(): number {
    return this.time;
  }

  /** Runs every due action and tick up to virtual time `until` (inclusive), then sets now to it. */
  runUntil(until: number): void {
    const list = this.list;
    const queue = this.queue;
    for (;;) {
      if (this.ticksChanged) {
        // The earliest tick: the first node (in id order) with the smallest deadline.
        this.ticksChanged = false;
        let best = Infinity;
        let who: SimNode | undefined;
        for (let i = 0; i < list.length; i++) {
          const n = list[i]!;
          if (n.deadline < best && !n.paused) {
            best = n.deadline;
            who = n;
          }
        }
        this.tickAt = best;
        this.tickNode = who;
      }
      const tickAt = this.tickAt;
      const tickNode = this.tickNode;
      const qAt = queue.peekTime();
      const at = qAt <= tickAt ? qAt : tickAt;
      if (at > until) break;
      if (at > this.time) this.time = at;
      if (qAt <= tickAt) this.perform(queue.popValue());
      else this.tick(tickNode!);
    }
    if (until > this.time) this.time = until;
  }

  /** Runs for `ms` of virtual time. */
  runFor(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /** Runs `fn` at virtual time `at` (inside runUntil), e.g. a partition or a crash. */
  schedule(at: number, fn: () => void): void {
    this.queue.push(at, { kind: 'call', fn });
  }

  /**
   * kill -9, as a power loss of the node: it stops; what it synced to disk stays, a write not
   * yet synced is lost (and everything with `forget-vote`).
   */
  crash(id: NodeId): void {
    const n = this.node(id);
    n.core = null;
    n.driver = null;
    n.crashTimes[n.incarnation] = this.time;
    n.disk.crash(this.time);
    // Killed inside a write: what the step logged after it never happened.
    if (n.busyUntil > this.time && n.stepEvents > 0) {
      const first = n.stepFirstEvent === undefined ? -1 : this.events.lastIndexOf(n.stepFirstEvent);
      if (first >= 0) this.events.splice(first, n.stepEvents);
      this.onStepLost?.(id, n.stepEvents);
    }
    n.deadline = Infinity;
    n.coreDeadline = Infinity;
    this.ticksChanged = true;
    n.incarnation++;
    n.paused = false;
    n.inbox = [];
    n.busyUntil = 0;
  }

  /** Starts a crashed node again from its disk. No-op when it runs. */
  restart(id: NodeId): void {
    const n = this.node(id);
    if (n.core !== null) return;
    this.boot(id, n);
  }

  /**
   * SIGSTOP: the node handles nothing and its timers do not fire; requests, replies and its
   * own RPC timeouts wait until `resume`. No-op when crashed or already paused.
   */
  pause(id: NodeId): void {
    const n = this.node(id);
    if (n.core !== null) n.paused = true;
    this.ticksChanged = true;
  }

  /**
   * SIGCONT: overdue timers fire first (ticks, then the RPC timeouts that came due), then
   * what arrived meanwhile, in arrival order. No-op unless paused.
   */
  resume(id: NodeId): void {
    const n = this.node(id);
    if (!n.paused) return;
    n.paused = false;
    this.ticksChanged = true;
    const waiting = n.inbox;
    n.inbox = [];
    for (const a of waiting) if (a.kind === 'timeout') this.queue.push(this.time, a);
    for (const a of waiting) if (a.kind !== 'timeout') this.queue.push(this.time, a);
  }

  /** Until when the node is busy writing to disk (a status request is answered only then). */
  /**
   * How many events the node's step now in its write logged (0 when it is not writing): the
   * real node logs them only once the write is done, so nobody can have read them yet.
   */
  eventsInWrite(id: NodeId): number {
    const n = this.node(id);
    return n.core !== null && n.busyUntil > this.time ? n.stepEvents : 0;
  }

  busyUntil(id: NodeId): number {
    return this.node(id).busyUntil;
  }

  /** Whether the node is paused. */
  isPaused(id: NodeId): boolean {
    return this.node(id).paused;
  }

  /** Whether the node runs. */
  isUp(id: NodeId): boolean {
    return this.node(id).core !== null;
  }

  /** The node's status, or null while crashed; its times (`lastLeaderContact`) are cluster time. */
  status(id: NodeId): CoreStatus | null {
    const n = this.node(id);
    return n.core === null ? null : this.clusterStatus(n, n.core);
  }

  /**
   * The node's status, or null while crashed or paused (what a status request gets answered);
   * its times are cluster time.
   */
  liveStatus(id: NodeId): CoreStatus | null {
    const n = this.node(id);
    return n.paused || n.core === null ? null : this.clusterStatus(n, n.core);
  }

  /**
   * When the node's current boot started, cluster time (its core's clock reads 0 then), or
   * null while it is down.
   */
  bootTime(id: NodeId): number | null {
    const n = this.node(id);
    return n.core === null ? null : n.bootedAt;
  }

  /** `down` while crashed, `paused` while paused, else `up`. */
  runState(id: NodeId): 'down' | 'paused' | 'up' {
    const n = this.node(id);
    return n.core === null ? 'down' : n.paused ? 'paused' : 'up';
  }

  /** The node's simulated disk (it survives crashes): where disk faults are made. */
  disk(id: NodeId): SimDisk {
    return this.node(id).disk;
  }

  /** What the node would load from its storage now (unsynced writes included while it runs). */
  stored(id: NodeId): HardState {
    return this.node(id).storage.load();
  }

  /** Nodes that became leader, by term, from the event history. */
  leadersByTerm(): Map<number, Set<NodeId>> {
    const m = new Map<number, Set<NodeId>>();
    for (const e of this.events) {
      if (e.kind !== 'become-leader') continue;
      const s = m.get(e.term) ?? new Set<NodeId>();
      s.add(e.node);
      m.set(e.term, s);
    }
    return m;
  }

  /** Terms in which more than one node became leader (election safety violations). */
  safetyViolations(): { term: number; leaders: NodeId[] }[] {
    return [...this.leadersByTerm()]
      .filter(([, s]) => s.size > 1)
      .map(([term, s]) => ({ term, leaders: [...s].sort() }));
  }

  /**
   * A leader that `quorum` running nodes (itself included) follow in its term right now,
   * or null.
   */
  leaderKnownBy(quorum: number): { id: NodeId; term: number } | null {
    for (const id of this.ids) {
      const s = this.status(id);
      if (s?.role !== 'leader') continue;
      const followers = this.ids.filter((o) => {
        const so = this.status(o);
        return so !== null && so.term === s.term && so.leader === id;
      });
      if (followers.length >= quorum) return { id, term: s.term };
    }
    return null;
  }

  /** The core's status with its core-clock times moved to cluster time. */
  private clusterStatus(n: SimNode, core: RaftCore): CoreStatus {
    let s: CoreStatus;
    try {
      s = core.status();
    } catch (e) {
      throw new NodeStatusError(`status of ${n.id} threw: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    if (s === null || typeof s !== 'object') throw new NodeStatusError(`status of ${n.id} is not an object`);
    return s.lastLeaderContact === null ? s : { ...s, lastLeaderContact: s.lastLeaderContact + n.bootedAt };
  }

  /** What the node's core reads on its clock now: time since its boot. */
  private coreNow(n: SimNode): number {
    return this.time - n.bootedAt;
  }

  private bugsOf(): readonly string[] {
    return this.coreOptions.bugs ?? [];
  }

  private storageOn(disk: SimDisk): StateStorage {
    return nodeStorage(SIM_DATA_DIR, this.bugsOf(), disk);
  }

  /** An fsync during the step in progress: the step's save time is drawn once, at its first sync. */
  private sync(kind: 'file' | 'dir'): number {
    const [lo, hi] = this.persistMs;
    if (hi <= 0) return this.time;
    if (this.stepPersistMs < 0) this.stepPersistMs = this.persistRng.next() * (hi - lo);
    const done = kind === 'file' ? this.time + (lo + this.stepPersistMs) * FILE_SYNC_SHARE : this.time + lo + this.stepPersistMs;
    if (done > this.sendAt) this.sendAt = done;
    return done;
  }

  private node(id: NodeId): SimNode {
    const n = this.nodes.get(id);
    if (!n) throw new Error(`unknown node ${id}`);
    return n;
  }

  private boot(id: NodeId, n: SimNode): void {
    const index = this.ids.indexOf(id);
    const rng: Rng = seededRng(this.nodeSeed(id, index, n.incarnation));
    const peers = this.ids.filter((p) => p !== id);
    // A new process: memory storage (forget-vote) starts empty, the file is read from the disk.
    n.storage = this.storageOn(n.disk);
    this.sendAt = this.time;
    // A state file the node refuses (a crash left it empty, a fault corrupted it) or a disk it
    // cannot read keeps it down, as the process exits 1.
    let loaded: HardState;
    try {
      loaded = n.storage.load();
      // raft-node.ts's start() reads the state's term first (for its start event): a load that
      // gave no state throws there, and the process exits 1 as it does on a refused file.
      void loaded.term;
    } catch (e) {
      this.onBootFailed?.(id, e instanceof Error ? `${e.name}: ${e.message}` : String(e));
      return;
    }
    this.onBoot?.(id, n.incarnation, loaded);
    try {
      // A new process: its core's clock starts at 0 (raft-node.ts: performance.now() less its start).
      n.bootedAt = this.time;
      n.core = createCore({ config: defaultCoreConfig(id, peers, this.coreOptions), rng, hardState: loaded, now: 0 });
      n.driver = new NodeDriver(n.core, {
        storage: n.storage,
        record: (e) => this.record(n, e),
        send: (m) => this.send(n, m),
        // The process exits here (main.ts); the step's throw that follows takes the node down.
        fatal: () => {
          n.fatal = true;
        },
      }, this.bugsOf());
      n.coreDeadline = n.core.nextDeadline();
      if (Number.isNaN(n.coreDeadline)) throw new Error(`core ${id} asks for a tick at NaN at boot`);
      n.deadline = n.coreDeadline + n.bootedAt;
    } catch (e) {
      this.failed(n, 'boot', e);
      return;
    }
    this.ticksChanged = true;
  }

  /**
   * A timer tick; a core that asks for its next tick at or before now fails in the driver. As
   * raft-node.ts does, the tick tells the core at least the time it asked for (the conversion
   * from its clock to the cluster's and back may round a hair below it).
   */
  private tick(n: SimNode): void {
    const now = this.coreNow(n);
    this.stepNode(n, { kind: 'tick', now: now > n.coreDeadline ? now : n.coreDeadline });
  }

  /**
   * The node failed by itself (its core threw, or asked for a tick it cannot be given): with
   * `onNodeCrash` it goes down and the run goes on, else the error is thrown.
   */
  private failed(n: SimNode, input: string, e: unknown): void {
    if (this.onNodeCrash === undefined) throw e;
    // The driver's texts give times on the node's clock, as a process prints them.
    const clock = n.bootedAt === 0 ? '' : ` (times on the node's clock: ms since its boot at ${n.bootedAt} ms)`;
    const message = (e instanceof Error ? `${e.name}: ${e.message}` : String(e)) + clock;
    if (n.core !== null) this.crash(n.id);
    this.onNodeCrash(n.id, input, message);
  }

  /**
   * Steps the node through its driver. Its messages leave at `this.sendAt`: now, or once the
   * syncs the driver did before sending are done; the reply (to `respond`) likewise.
   */
  private stepNode(n: SimNode, input: Input, respond?: (reply: RpcReply) => void): Error | undefined {
    const core = n.core!;
    this.sendAt = this.time;
    this.stepPersistMs = -1;
    n.stepEvents = 0;
    n.stepFirstEvent = undefined;
    n.fatal = false;
    let next: number;
    try {
      // The driver throws CoreFailure when the core threw or asked for a tick it cannot be given.
      n.driver!.step(input, respond);
      next = core.nextDeadline();
    } catch (e) {
      if (n.fatal || input.kind === 'reply' || input.kind === 'failure') {
        // Reported fatal: the process exits. Not reported, on a reply or a failure: the throw
        // escapes the RPC's promise callback, and Node ends the process (unhandled rejection).
        this.failed(n, describeInput(input), e);
        return;
      }
      // Thrown but not reported fatal: the process goes on, as raft-node.ts does (a request
      // is answered HTTP 500: the caller queues that failure; a tick's throw is swallowed and
      // its timer is not armed again until another input is handled).
      if (input.kind === 'tick' && n.deadline !== Infinity) {
        n.deadline = Infinity;
        n.coreDeadline = Infinity;
        this.ticksChanged = true;
      }
      return e instanceof Error ? e : new Error(String(e));
    }
    if (this.sendAt > this.time) n.busyUntil = this.sendAt;
    n.coreDeadline = next;
    const due = next + n.bootedAt;
    let deadline = due > n.busyUntil ? due : n.busyUntil;
    // A tick after which the core asks for a tick at or before it (only a driver without its
    // guard lets that pass) fires again no sooner than Node's shortest timer, as raft-node.ts's
    // setTimeout would: such a node spins on its timer, it does not stop the cluster's clock.
    if (input.kind === 'tick' && !(next > input.now)) deadline = (this.time > n.busyUntil ? this.time : n.busyUntil) + SHORTEST_TIMER_MS;
    if (deadline !== n.deadline) {
      n.deadline = deadline;
      this.ticksChanged = true;
    }
  }

  /** A core event the node's driver logs, at the step's time (or once its writes are done: `eventsAtWriteEnd`). */
  private record(n: SimNode, e: CoreEvent): void {
    n.stepEvents++;
    const at = this.eventsAtWriteEnd ? this.sendAt : this.time;
    const id = n.id;
    if (this.keepEvents || this.onEvent !== undefined) {
      const se: SimEvent = { ...e, at, node: id };
      if (this.keepEvents) {
        if (n.stepEvents === 1) n.stepFirstEvent = se;
        this.events.push(se);
      }
      this.onEvent?.(se);
    }
    this.onCoreEvent?.(e, at, id);
  }

  /**
   * The server's HTTP layer's verdict on a request before the core sees it (http-routes.ts): a
   * malformed body, a sender that is not a peer and a term above the bound are refused with
   * HTTP 400; a check that throws (broken node code) is answered HTTP 500.
   */
  private checkRequest(out: Outgoing, to: NodeId): { ok: true; from: NodeId; rpc: Rpc } | { ok: false; error: string } {
    try {
      const c = checkRpcRequest(out.type, out.body, this.ids.filter((p) => p !== to));
      return c.ok ? c : { ok: false, error: `HTTP 400: ${c.error}` };
    } catch (e) {
      return { ok: false, error: `HTTP 500: ${e instanceof Error ? e.message : String(e)}` };
    }
  }

  /** `to` answers `rpc` with an error at `at`: the sender's RPC fails when that answer is back. */
  private answerFailure(rpc: RpcCall, to: NodeId, at: number, reason: string): void {
    const delays = this.transport.reply(to, rpc.from, at);
    for (let i = 0; i < delays.length; i++) this.queue.push(at + delays[i]!, { kind: 'failure', rpc, reason });
  }

  private send(sender: SimNode, out: Outgoing): void {
    const from = sender.id;
    const rpc: RpcCall = { from, sender, receiver: this.node(out.to), fromIncarnation: sender.incarnation, out, settled: false };
    const now = this.sendAt;
    const copies = this.decideAgainAt(now, from, out.to, (fresh) => {
      // The sender died in its write: nothing left (its copies are dropped as they arrive).
      if (sender.incarnation === rpc.fromIncarnation) this.queueRequest(rpc, now, this.transport.request(from, out.to, now), fresh);
    });
    this.queueRequest(rpc, now, this.transport.request(from, out.to, now), copies);
    this.queue.push(now + this.rpcTimeout, { kind: 'timeout', rpc });
  }

  /** Queues what `t` says becomes of request `rpc` sent at `now`: its copies, its fast failure. */
  private queueRequest(rpc: RpcCall, now: number, t: Transmission, copies: Copies | undefined): void {
    const delays = t.delays;
    if (delays.length > 0) {
      // One action object serves every copy: actions are never changed once queued.
      const request: Action = copies ? { kind: 'request', rpc, copies } : { kind: 'request', rpc };
      for (let i = 0; i < delays.length; i++) this.queue.push(now + delays[i]!, request);
    }
    if (t.failAfter !== undefined && t.failAfter < this.rpcTimeout) {
      this.queue.push(now + t.failAfter, copies ? { kind: 'failure', rpc, reason: 'connection failed', copies } : { kind: 'failure', rpc, reason: 'connection failed' });
    }
  }

  /**
   * A message decided now that leaves at `leaves` (after its node's write to disk): when its
   * link (`from` → `to`) changes before it leaves, `again` decides its fate anew as it leaves, as the real
   * proxies would (a link cut during the write refuses it) and the copies decided now are
   * dropped. Returns the token of the copies decided now, or undefined when it leaves at once
   * (or the transport does not count its changes). Nothing is drawn again unless the links
   * changed, so runs where no link changed under a message in a write replay as before.
   */
  private decideAgainAt(leaves: number, from: NodeId, to: NodeId, again: (fresh: Copies) => void): Copies | undefined {
    const transport = this.transport;
    if (leaves <= this.time || transport.changes === undefined) return undefined;
    const copies: Copies = { void: false };
    const seen = transport.changes(from, to);
    this.queue.push(leaves, {
      kind: 'call',
      fn: () => {
        if (transport.changes!(from, to) === seen) return;
        copies.void = true;
        again({ void: false });
      },
    });
    return copies;
  }

  private perform(a: Action): void {
    switch (a.kind) {
      case 'call':
        a.fn();
        return;
      case 'request': {
        const to = a.rpc.out.to;
        const receiver = a.rpc.receiver;
        const now = this.time;
        // The sender gave up (its RPC timed out or failed) or died: the real client destroyed
        // the connection, and Toxiproxy drops what its toxics still held for it.
        if (a.rpc.settled || a.rpc.sender.incarnation !== a.rpc.fromIncarnation || a.copies?.void) return;
        if (receiver.core === null) {
          const refused = this.transport.refusedByDownNode?.(a.rpc.from, to, now);
          if (refused !== undefined) this.queue.push(now + refused, { kind: 'failure', rpc: a.rpc, reason: 'connection refused' });
          return;
        }
        if (receiver.paused) {
          receiver.inbox.push(a);
          return;
        }
        if (receiver.busyUntil > now) {
          this.queue.push(receiver.busyUntil, a);
          return;
        }
        const out = a.rpc.out;
        const checked = this.checkRequest(out, to);
        if (!checked.ok) {
          this.answerFailure(a.rpc, to, now, checked.error);
          if (this.onDeliver !== undefined) this.onDeliver({ id: ++this.deliveries, msg: 'request', from: a.rpc.from, to, request: out, termBefore: receiver.core.term, events: 0, up: true, refused: checked.error });
          return;
        }
        const requestId = ++this.deliveries;
        const termBefore = receiver.core.term;
        let answered = false;
        const thrown = this.stepNode(receiver, { kind: 'request', now: now - receiver.bootedAt, from: checked.from, rpc: checked.rpc }, (reply) => {
          answered = true;
          // Sent when the driver answers: after its syncs, or before them (reply-before-persist).
          const sent = this.sendAt;
          const incarnation = receiver.incarnation;
          const queueReply = (delays: readonly number[], copies: Copies | undefined) => {
            for (let i = 0; i < delays.length; i++) {
              this.queue.push(sent + delays[i]!, copies ? { kind: 'reply', rpc: a.rpc, reply, replierIncarnation: incarnation, sentAt: sent, requestId, copies } : { kind: 'reply', rpc: a.rpc, reply, replierIncarnation: incarnation, sentAt: sent, requestId });
            }
          };
          const copies = this.decideAgainAt(sent, to, a.rpc.from, (fresh) => {
            // The replier died in its write: the reply was never sent.
            if (receiver.incarnation === incarnation) queueReply(this.transport.reply(to, a.rpc.from, sent), fresh);
          });
          queueReply(this.transport.reply(to, a.rpc.from, sent), copies);
        });
        // The server answers a request whose handling threw HTTP 500 at once (http-routes.ts).
        if (thrown !== undefined && !answered) this.answerFailure(a.rpc, to, this.sendAt, `HTTP 500: ${thrown.message}`);
        if (this.onDeliver !== undefined) {
          const up = receiver.core !== null;
          this.onDeliver({ id: requestId, msg: 'request', from: a.rpc.from, to, request: a.rpc.out, termBefore, events: up ? receiver.stepEvents : 0, up });
        }
        return;
      }
      case 'reply':
      case 'timeout':
      case 'failure': {
        const rpc = a.rpc;
        const sender = rpc.sender;
        if (rpc.settled || sender.core === null || sender.incarnation !== rpc.fromIncarnation) return;
        if (a.kind !== 'timeout' && a.copies?.void) return;
        if (sender.paused) {
          sender.inbox.push(a);
          return;
        }
        if (sender.busyUntil > this.time) {
          this.queue.push(sender.busyUntil, a);
          return;
        }
        // A reply its node never sent: the node crashed while syncing, before answering.
        if (a.kind === 'reply' && a.rpc.receiver.incarnation !== a.replierIncarnation && a.rpc.receiver.crashTimes[a.replierIncarnation]! < a.sentAt) return;
        rpc.settled = true;
        if (a.kind === 'reply') {
          const id = ++this.deliveries;
          const termBefore = sender.core.term;
          const checked = checkRpcReply(rpc.out.type, a.reply);
          if (!checked.ok) {
            // raft-node.ts turns a malformed reply into a failure of the RPC.
            this.stepNode(sender, { kind: 'failure', now: this.coreNow(sender), request: rpc.out, reason: checked.error });
            if (this.onDeliver !== undefined) {
              const up = sender.core !== null;
              this.onDeliver({ id, msg: 'reply', from: rpc.out.to, to: rpc.from, request: rpc.out, reply: a.reply, requestId: a.requestId, termBefore, events: up ? sender.stepEvents : 0, up, refused: checked.error });
            }
            return;
          }
          this.stepNode(sender, { kind: 'reply', now: this.coreNow(sender), request: rpc.out, reply: checked.value });
          if (this.onDeliver !== undefined) {
            const up = sender.core !== null;
            this.onDeliver({ id, msg: 'reply', from: rpc.out.to, to: rpc.from, request: rpc.out, reply: a.reply, requestId: a.requestId, termBefore, events: up ? sender.stepEvents : 0, up });
          }
        } else {
          const reason = a.kind === 'timeout' ? 'timeout' : a.reason;
          this.stepNode(sender, { kind: 'failure', now: this.coreNow(sender), request: rpc.out, reason });
        }
        return;
      }
    }
  }
}

