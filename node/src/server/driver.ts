import { StorageError } from '../../../common/src/errors.js';
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
  /** The state could not be made durable: the node cannot go on. Called before `step` rethrows. */
  fatal(err: StorageError): void;
}

/**
 * The server's driver: feeds one input to the core and carries out what the core asks, in
 * this order: persist term and vote (durable when `save` returns), log the events, send the
 * RPCs, and only then answer the request, so nothing is answered before the state it depends
 * on is durable. The `reply-before-persist` bug answers first and persists after: a crash
 * in between loses a vote that was already granted.
 */
export class NodeDriver {
  private readonly replyFirst: boolean;

  constructor(
    readonly core: RaftCore,
    private readonly host: DriverHost,
    bugs: readonly string[],
  ) {
    this.replyFirst = bugs.includes('reply-before-persist');
  }

  /**
   * Steps the core with `input` and carries out the result; a request's reply goes to
   * `respond` (called exactly once for a request). Throws StorageError (after `host.fatal`)
   * when the state could not be saved; nothing after the failed save is sent.
   */
  step(input: Input, respond?: (reply: RpcReply) => void): void {
    const ready = this.core.step(input);
    const reply = ready.reply;
    if (reply !== null && respond !== undefined && this.replyFirst) respond(reply);
    if (ready.persist) this.persist(ready.persist);
    const events = ready.events;
    for (let i = 0; i < events.length; i++) this.host.record(events[i]!);
    const messages = ready.messages;
    for (let i = 0; i < messages.length; i++) this.host.send(messages[i]!);
    if (reply !== null && respond !== undefined && !this.replyFirst) respond(reply);
  }

  private persist(state: HardState): void {
    try {
      this.host.storage.save(state);
    } catch (e) {
      const err = e instanceof StorageError ? e : new StorageError(String(e), { cause: e });
      this.host.fatal(err);
      throw err;
    }
  }
}
