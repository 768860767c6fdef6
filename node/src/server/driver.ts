import { RaftChaosError, StorageError } from '../../../common/src/errors.js';
import type { CoreEvent, HardState, Input, Outgoing, RaftCore, RpcReply } from '../core/index.js';
import type { StateStorage } from './storage.js';

/**
 * What the driver needs from the world around it. The server gives it the real disk, HTTP
 * and timers (raft-node.ts); the simulation gives it a simulated disk, network and virtual
 * clock (node/src/sim/sim-cluster.ts), so the very same order of persisting, logging,
 * sending and replying runs in both.
 */
export interface DriverHost {
  /** Where term and vote are made durable; `save` returns once they are (it may throw StorageError). */
  readonly storage: StateStorage;
  /** Logs one core event. */
  record(e: CoreEvent): void;
  /** Sends one RPC; its reply or failure comes back as an input. */
  send(m: Outgoing): void;
  /**
   * The node cannot go on: its state could not be made durable (StorageError), or its core
   * failed (CoreFailure). Called before `step` throws; a process node logs it and exits 1.
   */
  fatal(err: StorageError | CoreFailure): void;
}

/**
 * The core failed on an input: it threw, or asked for a tick it cannot be given (at or before
 * the time it was just ticked, or at NaN). A node that goes on after this would spin on its
 * timer or stall, so the driver makes it fatal; the message names the node, the input and why.
 */
export class CoreFailure extends RaftChaosError {}

/** What a node was handling, in words: `tick at 812`, `request-vote request from n2`, `pre-vote reply from n3`. */
export function describeInput(input: Input): string {
  switch (input.kind) {
    case 'tick':
      return `tick at ${input.now}`;
    case 'request':
      return `${input.rpc.type} request from ${input.from}`;
    case 'reply':
      return `${input.request.type} reply from ${input.request.to}`;
    case 'failure':
      return `failure of ${input.request.type} to ${input.request.to}`;
  }
}

/**
 * The server's driver: feeds one input to the core and carries out what the core asks, in
 * this order: persist term and vote (durable when `save` returns), log the events, send the
 * RPCs, and only then answer the request, so nothing is answered before the state it depends
 * on is durable. The `reply-before-persist` bug answers first and persists after: a crash
 * in between loses a vote that was already granted. The `ignore-write-error` bug ignores a
 * failed save and goes on as if term and vote were durable.
 *
 * It fails fast: a core that throws on an input, or that asks after a tick for its next tick
 * at or before the time just ticked (or at NaN after any input), is a node that cannot go on;
 * `step` reports a CoreFailure to `host.fatal` and throws it. This is the one place both the
 * process node (raft-node.ts, which exits 1) and the simulation (which takes the node down)
 * learn of it.
 */
export class NodeDriver {
  private readonly replyFirst: boolean;
  private readonly ignoreWriteErrors: boolean;

  constructor(
    readonly core: RaftCore,
    private readonly host: DriverHost,
    bugs: readonly string[],
  ) {
    this.replyFirst = bugs.includes('reply-before-persist');
    this.ignoreWriteErrors = bugs.includes('ignore-write-error');
  }

  /**
   * Steps the core with `input` and carries out the result; a request's reply goes to
   * `respond` (called exactly once for a request). Throws StorageError (after `host.fatal`)
   * when the state could not be saved; nothing after the failed save is sent. Throws
   * CoreFailure (after `host.fatal`) when the core threw, before anything is carried out, or
   * asked for a tick it cannot be given, once the step's effects are carried out.
   */
  step(input: Input, respond?: (reply: RpcReply) => void): void {
    let ready: ReturnType<RaftCore['step']>;
    try {
      ready = this.core.step(input);
    } catch (e) {
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      this.fail(new CoreFailure(`core ${this.nodeId()} threw on ${describeInput(input)}: ${why}`, { cause: e }));
    }
    const reply = ready.reply;
    if (reply !== null && respond !== undefined && this.replyFirst) respond(reply);
    if (ready.persist) this.persist(ready.persist);
    const events = ready.events;
    for (let i = 0; i < events.length; i++) this.host.record(events[i]!);
    const messages = ready.messages;
    for (let i = 0; i < messages.length; i++) this.host.send(messages[i]!);
    if (reply !== null && respond !== undefined && !this.replyFirst) respond(reply);
    const next = this.core.nextDeadline();
    if (Number.isNaN(next) || (input.kind === 'tick' && !(next > input.now))) {
      const after = input.kind === 'tick' ? `ticking at ${input.now}` : describeInput(input);
      const would = Number.isNaN(next) ? 'never fire' : 'fire again at once, forever';
      this.fail(new CoreFailure(`core ${this.nodeId()} asks for a tick at ${next} after ${after}: its timer would ${would}`));
    }
  }

  /** The node's id, for messages (a core that throws may throw again). */
  private nodeId(): string {
    try {
      return this.core.status().id;
    } catch {
      return '(unknown node)';
    }
  }

  private fail(err: CoreFailure): never {
    this.host.fatal(err);
    throw err;
  }

  private persist(state: HardState): void {
    try {
      this.host.storage.save(state);
    } catch (e) {
      // Stryker disable next-line all: the `ignore-write-error` bug only (equivalent without it).
      if (this.ignoreWriteErrors) return;
      const err = e instanceof StorageError ? e : new StorageError(String(e), { cause: e });
      this.host.fatal(err);
      throw err;
    }
  }
}
