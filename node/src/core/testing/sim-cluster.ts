import { defaultCoreConfig } from '../config-defaults.js';
import { seededRng, type Rng } from '../prng.js';
import { createCore, type RaftCore } from '../raft-core.js';
import type { CoreConfig, CoreEvent, CoreStatus, HardState, Input, NodeId, Outgoing, RpcReply } from '../types.js';
import { EventQueue } from './event-queue.js';
import { CALM, SimNetwork, type LinkConditions, type Transport } from './network.js';

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
  /** What decides each message's fate; default `network` (the cluster's SimNetwork). */
  readonly transport?: Transport;
  /**
   * Seed of a node's election-timeout randomness at each boot (incarnation 0 = first boot).
   * Default: derived from `seed`, index and incarnation, so every boot draws differently.
   */
  readonly nodeSeed?: (id: NodeId, index: number, incarnation: number) => number;
  /** Told of every core event as it happens (after it was appended to `events`). */
  readonly onEvent?: (e: SimEvent) => void;
  /** Keep every event in `events` (default true; long runs that use `onEvent` may turn it off). */
  readonly keepEvents?: boolean;
  /** Told of every boot (the constructor's and each restart) with what was loaded from disk. */
  readonly onBoot?: (id: NodeId, incarnation: number, loaded: HardState) => void;
}

/** A core event with the virtual time and node it happened at. */
export type SimEvent = CoreEvent & { readonly at: number; readonly node: NodeId };

type Action =
  | { kind: 'request'; rpc: RpcCall }
  | { kind: 'reply'; rpc: RpcCall; reply: RpcReply }
  | { kind: 'timeout'; rpc: RpcCall }
  | { kind: 'failure'; rpc: RpcCall; reason: string }
  | { kind: 'call'; fn: () => void };

interface RpcCall {
  readonly from: NodeId;
  readonly fromIncarnation: number;
  readonly out: Outgoing;
  settled: boolean;
}

interface SimNode {
  core: RaftCore | null;
  incarnation: number;
  stored: HardState;
  /** SIGSTOP: no ticks, and what arrives waits in `inbox` until resumed. */
  paused: boolean;
  inbox: Action[];
}

/**
 * A whole cluster of cores in one process on virtual time and an in-memory network
 * (after etcd's rafttest). Deterministic given its options and the calls made on it.
 * Nodes persist to in-memory "disks"; `crash` and `restart` model kill -9 and a restart
 * (the `forget-vote` bug loses the disk); `pause` and `resume` model SIGSTOP and SIGCONT.
 * RPCs behave like HTTP: one reply or one failure per request, failure after `rpcTimeout`
 * (or sooner when the transport says the connection failed).
 */
export class SimCluster {
  readonly ids: readonly NodeId[];
  readonly network: SimNetwork;
  /** Every core event so far, in order. */
  readonly events: SimEvent[] = [];
  private readonly nodes = new Map<NodeId, SimNode>();
  private readonly queue = new EventQueue<Action>();
  private readonly seed: number;
  private readonly coreOptions: Partial<Omit<CoreConfig, 'id' | 'peers'>>;
  private readonly rpcTimeout: number;
  private readonly transport: Transport;
  private readonly nodeSeed: (id: NodeId, index: number, incarnation: number) => number;
  private readonly onEvent: ((e: SimEvent) => void) | undefined;
  private readonly keepEvents: boolean;
  private readonly onBoot: ((id: NodeId, incarnation: number, loaded: HardState) => void) | undefined;
  private time = 0;

  constructor(options: SimClusterOptions = {}) {
    this.ids = options.ids ?? ['n1', 'n2', 'n3'];
    this.seed = options.seed ?? 1;
    this.coreOptions = options.core ?? {};
    this.rpcTimeout = options.rpcTimeout ?? 75;
    this.network = new SimNetwork(seededRng(this.seed ^ 0x5eed), options.conditions ?? CALM);
    this.transport = options.transport ?? this.network;
    this.nodeSeed =
      options.nodeSeed ?? ((_id, index, incarnation) => (this.seed * 1_000_003 + index * 7919 + incarnation * 104_729) >>> 0);
    this.onEvent = options.onEvent;
    this.keepEvents = options.keepEvents ?? true;
    this.onBoot = options.onBoot;
    for (const id of this.ids) {
      const node: SimNode = { core: null, incarnation: 0, stored: { term: 0, votedFor: null }, paused: false, inbox: [] };
      this.nodes.set(id, node);
      this.boot(id, node);
    }
  }

  /** The current virtual time, ms. */
  get now(): number {
    return this.time;
  }

  /** Runs every due action and tick up to virtual time `until` (inclusive), then sets now to it. */
  runUntil(until: number): void {
    for (;;) {
      const [tickAt, tickNode] = this.earliestTick();
      const qAt = this.queue.peekTime();
      const at = Math.min(tickAt, qAt);
      if (at > until) break;
      this.time = Math.max(this.time, at);
      if (qAt <= tickAt) this.perform(this.queue.pop()!.value);
      else this.tick(tickNode!);
    }
    this.time = Math.max(this.time, until);
  }

  /** Runs for `ms` of virtual time. */
  runFor(ms: number): void {
    this.runUntil(this.time + ms);
  }

  /** Runs `fn` at virtual time `at` (inside runUntil), e.g. a partition or a crash. */
  schedule(at: number, fn: () => void): void {
    this.queue.push(at, { kind: 'call', fn });
  }

  /** kill -9: the node stops; what it persisted stays (unless it runs `forget-vote`). */
  crash(id: NodeId): void {
    const n = this.node(id);
    n.core = null;
    n.incarnation++;
    n.paused = false;
    n.inbox = [];
    if (this.bugsOf().includes('forget-vote')) n.stored = { term: 0, votedFor: null };
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
  }

  /**
   * SIGCONT: overdue timers fire first (ticks, then the RPC timeouts that came due), then
   * what arrived meanwhile, in arrival order. No-op unless paused.
   */
  resume(id: NodeId): void {
    const n = this.node(id);
    if (!n.paused) return;
    n.paused = false;
    const waiting = n.inbox;
    n.inbox = [];
    for (const a of waiting) if (a.kind === 'timeout') this.queue.push(this.time, a);
    for (const a of waiting) if (a.kind !== 'timeout') this.queue.push(this.time, a);
  }

  /** Whether the node is paused. */
  isPaused(id: NodeId): boolean {
    return this.node(id).paused;
  }

  /** Whether the node runs. */
  isUp(id: NodeId): boolean {
    return this.node(id).core !== null;
  }

  /** The node's status, or null while crashed. */
  status(id: NodeId): CoreStatus | null {
    return this.node(id).core?.status() ?? null;
  }

  /** What the node has on its disk. */
  stored(id: NodeId): HardState {
    return this.node(id).stored;
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

  private bugsOf(): readonly string[] {
    return this.coreOptions.bugs ?? [];
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
    this.onBoot?.(id, n.incarnation, n.stored);
    n.core = createCore({ config: defaultCoreConfig(id, peers, this.coreOptions), rng, hardState: n.stored, now: this.time });
  }

  private earliestTick(): [number, NodeId | undefined] {
    let best = Infinity;
    let who: NodeId | undefined;
    for (const id of this.ids) {
      const n = this.nodes.get(id)!;
      const d = n.paused ? Infinity : (n.core?.nextDeadline() ?? Infinity);
      if (d < best) {
        best = d;
        who = id;
      }
    }
    return [best, who];
  }

  private tick(id: NodeId): void {
    const core = this.node(id).core!;
    this.stepNode(id, { kind: 'tick', now: this.time });
    if (core.nextDeadline() <= this.time) {
      throw new Error(`core ${id} asks for a tick at ${core.nextDeadline()} after ticking at ${this.time}`);
    }
  }

  private stepNode(id: NodeId, input: Input): RpcReply | null {
    const n = this.node(id);
    const ready = n.core!.step(input);
    if (ready.persist) n.stored = ready.persist;
    for (const e of ready.events) {
      const se: SimEvent = { ...e, at: this.time, node: id };
      if (this.keepEvents) this.events.push(se);
      this.onEvent?.(se);
    }
    for (const out of ready.messages) this.send(id, n.incarnation, out);
    return ready.reply;
  }

  private send(from: NodeId, fromIncarnation: number, out: Outgoing): void {
    const rpc: RpcCall = { from, fromIncarnation, out, settled: false };
    const t = this.transport.request(from, out.to, this.time);
    for (const d of t.delays) this.queue.push(this.time + d, { kind: 'request', rpc });
    if (t.failAfter !== undefined && t.failAfter < this.rpcTimeout) {
      this.queue.push(this.time + t.failAfter, { kind: 'failure', rpc, reason: 'connection failed' });
    }
    this.queue.push(this.time + this.rpcTimeout, { kind: 'timeout', rpc });
  }

  private perform(a: Action): void {
    switch (a.kind) {
      case 'call':
        a.fn();
        return;
      case 'request': {
        const to = a.rpc.out.to;
        const receiver = this.node(to);
        if (receiver.core === null) {
          const refused = this.transport.refusedByDownNode?.(a.rpc.from, to, this.time);
          if (refused !== undefined) this.queue.push(this.time + refused, { kind: 'failure', rpc: a.rpc, reason: 'connection refused' });
          return;
        }
        if (receiver.paused) {
          receiver.inbox.push(a);
          return;
        }
        const reply = this.stepNode(to, { kind: 'request', now: this.time, from: a.rpc.from, rpc: a.rpc.out });
        if (reply === null) return;
        for (const d of this.transport.reply(to, a.rpc.from, this.time)) {
          this.queue.push(this.time + d, { kind: 'reply', rpc: a.rpc, reply });
        }
        return;
      }
      case 'reply':
      case 'timeout':
      case 'failure': {
        const rpc = a.rpc;
        const sender = this.node(rpc.from);
        if (rpc.settled || sender.core === null || sender.incarnation !== rpc.fromIncarnation) return;
        if (sender.paused) {
          sender.inbox.push(a);
          return;
        }
        rpc.settled = true;
        if (a.kind === 'reply') {
          this.stepNode(rpc.from, { kind: 'reply', now: this.time, request: rpc.out, reply: a.reply });
        } else {
          const reason = a.kind === 'timeout' ? 'timeout' : a.reason;
          this.stepNode(rpc.from, { kind: 'failure', now: this.time, request: rpc.out, reason });
        }
        return;
      }
    }
  }
}
