import { defaultCoreConfig } from '../config-defaults.js';
import { seededRng, type Rng } from '../prng.js';
import { createCore, type RaftCore } from '../raft-core.js';
import type { CoreConfig, CoreEvent, CoreStatus, HardState, Input, NodeId, Outgoing, RpcReply } from '../types.js';
import { EventQueue } from './event-queue.js';
import { CALM, SimNetwork, type LinkConditions } from './network.js';

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
}

/** A core event with the virtual time and node it happened at. */
export type SimEvent = CoreEvent & { readonly at: number; readonly node: NodeId };

type Action =
  | { kind: 'request'; rpc: RpcCall }
  | { kind: 'reply'; rpc: RpcCall; reply: RpcReply }
  | { kind: 'timeout'; rpc: RpcCall }
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
}

/**
 * A whole cluster of cores in one process on virtual time and an in-memory network
 * (after etcd's rafttest). Deterministic given its options and the calls made on it.
 * Nodes persist to in-memory "disks"; `crash` and `restart` model kill -9 and a restart
 * (the `forget-vote` bug loses the disk). RPCs behave like HTTP: one reply or one failure
 * per request, failure after `rpcTimeout`.
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
  private time = 0;

  constructor(options: SimClusterOptions = {}) {
    this.ids = options.ids ?? ['n1', 'n2', 'n3'];
    this.seed = options.seed ?? 1;
    this.coreOptions = options.core ?? {};
    this.rpcTimeout = options.rpcTimeout ?? 75;
    this.network = new SimNetwork(seededRng(this.seed ^ 0x5eed), options.conditions ?? CALM);
    for (const id of this.ids) {
      const node: SimNode = { core: null, incarnation: 0, stored: { term: 0, votedFor: null } };
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
    if (this.bugsOf().includes('forget-vote')) n.stored = { term: 0, votedFor: null };
  }

  /** Starts a crashed node again from its disk. No-op when it runs. */
  restart(id: NodeId): void {
    const n = this.node(id);
    if (n.core !== null) return;
    this.boot(id, n);
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
    const rng: Rng = seededRng((this.seed * 1_000_003 + index * 7919 + n.incarnation * 104_729) >>> 0);
    const peers = this.ids.filter((p) => p !== id);
    n.core = createCore({ config: defaultCoreConfig(id, peers, this.coreOptions), rng, hardState: n.stored, now: this.time });
  }

  private earliestTick(): [number, NodeId | undefined] {
    let best = Infinity;
    let who: NodeId | undefined;
    for (const id of this.ids) {
      const d = this.nodes.get(id)!.core?.nextDeadline() ?? Infinity;
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
    for (const e of ready.events) this.events.push({ ...e, at: this.time, node: id });
    for (const out of ready.messages) this.send(id, n.incarnation, out);
    return ready.reply;
  }

  private send(from: NodeId, fromIncarnation: number, out: Outgoing): void {
    const rpc: RpcCall = { from, fromIncarnation, out, settled: false };
    for (const d of this.network.transmit(from, out.to)) this.queue.push(this.time + d, { kind: 'request', rpc });
    this.queue.push(this.time + this.rpcTimeout, { kind: 'timeout', rpc });
  }

  private perform(a: Action): void {
    switch (a.kind) {
      case 'call':
        a.fn();
        return;
      case 'request': {
        const to = a.rpc.out.to;
        if (!this.isUp(to)) return;
        const reply = this.stepNode(to, { kind: 'request', now: this.time, from: a.rpc.from, rpc: a.rpc.out });
        if (reply === null) return;
        for (const d of this.network.transmit(to, a.rpc.from).slice(0, 1)) {
          this.queue.push(this.time + d, { kind: 'reply', rpc: a.rpc, reply });
        }
        return;
      }
      case 'reply':
      case 'timeout': {
        const rpc = a.rpc;
        const sender = this.node(rpc.from);
        if (rpc.settled || sender.core === null || sender.incarnation !== rpc.fromIncarnation) return;
        rpc.settled = true;
        if (a.kind === 'reply') {
          this.stepNode(rpc.from, { kind: 'reply', now: this.time, request: rpc.out, reply: a.reply });
        } else {
          this.stepNode(rpc.from, { kind: 'failure', now: this.time, request: rpc.out, reason: 'timeout' });
        }
        return;
      }
    }
  }
}
