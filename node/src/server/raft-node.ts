import { randomBytes } from 'node:crypto';
import type { ElectionSettings } from '../../../common/src/election-settings.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { NodeConfig } from '../config.js';
import { createCore, MAX_TERM, seededRng, type CoreEvent, type CoreStatus, type Input, type Outgoing, type RaftCore, type Rpc, type RpcReply } from '../core/index.js';
import { NodeDriver, type CoreFailure } from './driver.js';
import type { StorageError } from '../../../common/src/errors.js';
import { EventLog, type EventPage } from './event-log.js';
import { routeRequest } from './http-routes.js';
import { RpcClient } from './rpc-client.js';
import { nodeStorage, type StateStorage } from './storage.js';
import { diskFor, formatDiskMode, TestDisk } from './test-disk.js';
import { diskFaultFile } from '../disk-mode.js';
import type { DiskOps } from './disk.js';
import { checkRpcReply } from './validate.js';

/** The `/status` document (node/API.md). */
export interface NodeStatus {
  id: string;
  state: 'follower' | 'candidate' | 'leader';
  role: CoreStatus['role'];
  term: number;
  leader: string | null;
  votedFor: string | null;
  lastLogIndex: number;
  lastLogTerm: number;
  bootId: string;
  pid: number;
  startedAt: number;
  uptimeMs: number;
  lastHeartbeatAgeMs: number | null;
  peers: string[];
  bugs: string[];
  port: number;
  seed: number;
  config: ElectionSettings;
}

/**
 * Called when the node cannot go on: its state could not be made durable, or its core threw or
 * asked for a tick it cannot be given (the error names the input). main.ts logs it and exits 1.
 */
export type FatalHandler = (err: Error) => void;

/**
 * The node's process: owns the real clock and timers, the HTTP server, outgoing RPCs and the
 * disk, and feeds a RaftCore through the NodeDriver (driver.ts), the same driver the
 * simulation runs. Every input is handled synchronously: step, persist (fsync), log, send,
 * then reply, so nothing is answered before the state it depends on is durable.
 */
export class RaftNode {
  readonly bootId = randomBytes(8).toString('hex');
  readonly events = new EventLog();
  private readonly startedAt = Date.now();
  private readonly t0 = performance.now();
  private readonly storage: StateStorage;
  private readonly disk: DiskOps;
  private readonly rpc: RpcClient;
  private readonly server: Server;
  private core: RaftCore | null = null;
  private driver: NodeDriver | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private boundPort = 0;

  constructor(
    readonly config: NodeConfig,
    private readonly log: Logger,
    private readonly onFatal: FatalHandler,
  ) {
    this.disk = diskFor(config.disk, config.dataDir);
    this.storage = nodeStorage(config.dataDir, config.bugs, this.disk);
    this.rpc = new RpcClient(config.peers, config.rpcTimeout);
    this.server = createServer({ keepAliveTimeout: 5000 }, (req, res) => routeRequest(this, req, res));
  }

  /** Loads durable state (throws StorageError), creates the core, listens, starts the timer. */
  async start(): Promise<void> {
    const hard = this.storage.load();
    const c = this.config;
    // Stamped before the core arms its election timer, so no campaign of this boot can read as
    // coming sooner after the start than the timeout it drew.
    this.record({ kind: 'start', term: hard.term, stateTerm: hard.term, stateVotedFor: hard.votedFor });
    this.core = createCore({
      config: {
        id: c.id,
        peers: c.peers.map((p) => p.id),
        electionTimeoutMin: c.electionTimeoutMin,
        electionTimeoutMax: c.electionTimeoutMax,
        heartbeatInterval: c.heartbeatInterval,
        preVote: c.preVote,
        checkQuorum: c.checkQuorum,
        bugs: c.bugs,
      },
      rng: seededRng(c.seed),
      hardState: hard,
      now: this.now(),
    });
    this.driver = new NodeDriver(this.core, {
      storage: this.storage,
      record: (e) => this.record(e),
      send: (m) => this.send(m),
      fatal: (err) => this.fail(err),
    }, c.bugs);
    if (this.disk instanceof TestDisk) {
      this.log.warn({ disk: c.disk }, `TEST DISK MODE ${formatDiskMode(c.disk)}: ${[...(c.disk.lossy ? ['writes not synced are lost if this process is killed, as in a power cut'] : []), ...(c.disk.syncDelayMs > 0 ? [`every fsync takes ${c.disk.syncDelayMs} ms more`] : []), ...(c.disk.faults ? [`the disk refuses while ${diskFaultFile(c.dataDir)} exists`] : [])].join('; ')}.`);
    }
    if (c.bugs.length > 0) {
      this.log.warn({ bugs: c.bugs }, `DELIBERATE BUGS ON: ${c.bugs.join(', ')}. This node is broken on purpose.`);
    }
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(c.port, c.host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.boundPort = (this.server.address() as AddressInfo).port;
    this.log.info(
      { port: this.boundPort, host: c.host, peers: c.peers, seed: c.seed, state: hard, storage: this.storage.location, bootId: this.bootId },
      `node ${c.id} listening on ${c.host}:${this.boundPort}`,
    );
    this.schedule();
  }

  /** Stops timers, the server and outgoing connections. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.events.wakeAll();
    // A clean stop is no power cut: what a lossy test disk still holds reaches the disk.
    if (this.disk instanceof TestDisk) this.disk.writeBack();
    this.rpc.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The port the server is bound to. */
  get port(): number {
    return this.boundPort;
  }

  /** Whether `id` is one of this node's peers (the only nodes whose RPCs it answers). */
  isPeer(id: string): boolean {
    return this.config.peers.some((p) => p.id === id);
  }

  /**
   * Logs a warning that a request from `from` was refused for a term above MAX_TERM (the
   * HTTP layer answers 400 and the core never sees it).
   */
  warnTermAboveBound(from: string, path: string, field: string, value: number, remote: string | undefined): void {
    this.log.warn(
      { from, path, field, value, bound: MAX_TERM, remote },
      `refused ${path} from ${from} (${remote ?? 'unknown address'}): ${field} ${value} is above the term bound ${MAX_TERM}`,
    );
  }

  /** The ids of this node's peers. */
  peerIds(): string[] {
    return this.config.peers.map((p) => p.id);
  }

  /**
   * Handles an incoming Raft RPC; its reply goes to `respond` (once the state it depends on
   * is durable, unless the `reply-before-persist` bug is on). Throws when the node is stopped
   * or its state could not be saved.
   */
  handleRpc(from: string, rpc: Rpc, respond: (reply: RpcReply) => void): void {
    let answered = false;
    this.feed({ kind: 'request', now: this.now(), from, rpc }, (reply) => {
      answered = true;
      respond(reply);
    });
    if (!answered) throw new Error('core gave no reply to a request');
  }

  /** The /status document. */
  status(): NodeStatus {
    const s = this.core!.status();
    const c = this.config;
    return {
      id: c.id,
      state: s.role === 'pre-candidate' ? 'follower' : s.role,
      role: s.role,
      term: s.term,
      leader: s.leader,
      votedFor: s.votedFor,
      lastLogIndex: s.lastLogIndex,
      lastLogTerm: s.lastLogTerm,
      bootId: this.bootId,
      pid: process.pid,
      startedAt: this.startedAt,
      uptimeMs: Date.now() - this.startedAt,
      lastHeartbeatAgeMs:
        s.role === 'leader' ? 0 : s.lastLeaderContact === null ? null : Math.round(this.now() - s.lastLeaderContact),
      peers: c.peers.map((p) => p.id),
      bugs: [...c.bugs],
      port: this.boundPort,
      seed: c.seed,
      config: {
        electionTimeoutMin: c.electionTimeoutMin,
        electionTimeoutMax: c.electionTimeoutMax,
        heartbeatInterval: c.heartbeatInterval,
        rpcTimeout: c.rpcTimeout,
        preVote: c.preVote,
        checkQuorum: c.checkQuorum,
      },
    };
  }

  /** A page of the /events log. */
  eventsSince(since: number): EventPage & { bootId: string } {
    return { bootId: this.bootId, ...this.events.since(since) };
  }

  private now(): number {
    return performance.now() - this.t0;
  }

  private feed(input: Input, respond?: (reply: RpcReply) => void): void {
    if (this.stopped || !this.driver) return;
    this.driver.step(input, respond);
    this.schedule();
  }

  private fail(err: StorageError | CoreFailure): void {
    this.stopped = true;
    this.onFatal(err);
  }

  private record(e: CoreEvent | { kind: string; term: number; [k: string]: unknown }): void {
    const logged = this.events.append({ ...e, node: this.config.id, atMs: Date.now() });
    if (e.kind === 'term-exhausted') {
      this.log.error(
        { event: logged },
        `term ${e.term} is at the bound ${MAX_TERM} (node/API.md): this node can no longer start an election; it only follows a leader of its term`,
      );
      return;
    }
    const level = e.kind === 'vote' || e.kind === 'leader-known' ? 'debug' : 'info';
    this.log[level]({ event: logged }, `${e.kind} term=${e.term}`);
  }

  private send(m: Outgoing): void {
    this.rpc.call(m.to, `/raft/${m.type}`, m.body).then(
      (raw) => {
        const checked = checkRpcReply(m.type, raw);
        if (!checked.ok) {
          this.log.warn({ to: m.to, error: checked.error }, 'invalid reply from peer');
          this.feed({ kind: 'failure', now: this.now(), request: m, reason: checked.error });
          return;
        }
        if (checked.value.term > MAX_TERM) {
          this.log.warn({ to: m.to, type: m.type, term: checked.value.term, bound: MAX_TERM }, `reply from ${m.to} carries term ${checked.value.term} above the bound ${MAX_TERM}; ignored`);
        }
        this.feed({ kind: 'reply', now: this.now(), request: m, reply: checked.value });
      },
      (err: Error) => {
        this.log.debug({ to: m.to, type: m.type, err: err.message }, 'rpc failed');
        this.feed({ kind: 'failure', now: this.now(), request: m, reason: err.message });
      },
    );
  }

  private schedule(): void {
    if (this.stopped || !this.core) return;
    if (this.timer) clearTimeout(this.timer);
    const at = this.core.nextDeadline();
    if (!Number.isFinite(at)) return;
    const delay = Math.max(0, Math.ceil(at - this.now()));
    this.timer = setTimeout(() => {
      this.timer = null;
      try {
        this.feed({ kind: 'tick', now: Math.max(at, this.now()) });
      } catch {
        // The driver reported it to onFatal first (fail: the process exits 1), so nothing
        // is lost here; a node that went on would spin on this timer.
      }
    }, delay);
  }
}
