import type { BugName } from './bugs.js';
import type { Rng } from './prng.js';

/** A node id: `[A-Za-z0-9_.-]{1,64}`. */
export type NodeId = string;

/** What a node is doing. `pre-candidate` is a follower running a Pre-Vote (its term is unchanged). */
export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

/** One log entry; this project keeps only the (index, term) pair. */
export interface LogEntry {
  readonly index: number;
  readonly term: number;
}

/** What must be durable before a node answers a vote or asks for votes. */
export interface HardState {
  readonly term: number;
  readonly votedFor: NodeId | null;
}

/** `POST /raft/request-vote` and `POST /raft/pre-vote` body. For Pre-Vote, term is the term the candidate would start. */
export interface VoteRequest {
  readonly term: number;
  readonly candidateId: NodeId;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
}

/** `POST /raft/append-entries` body. */
export interface AppendEntriesRequest {
  readonly term: number;
  readonly leaderId: NodeId;
  readonly prevLogIndex: number;
  readonly prevLogTerm: number;
  readonly entries: readonly LogEntry[];
  readonly leaderCommit: number;
}

/** Reply to a vote or pre-vote request. */
export interface VoteReply {
  readonly term: number;
  readonly voteGranted: boolean;
}

/** Reply to an append-entries request. */
export interface AppendEntriesReply {
  readonly term: number;
  readonly success: boolean;
}

/** A request together with its kind; the kind picks the HTTP path. */
export type Rpc =
  | { readonly type: 'request-vote'; readonly body: VoteRequest }
  | { readonly type: 'pre-vote'; readonly body: VoteRequest }
  | { readonly type: 'append-entries'; readonly body: AppendEntriesRequest };

/** The reply that matches an Rpc's type. */
export type RpcReply = VoteReply | AppendEntriesReply;

/** A request the core wants sent to peer `to`. The driver hands it back with the reply or failure. */
export type Outgoing = Rpc & { readonly to: NodeId };

/**
 * What the core is told. `now` is a monotonic time in ms (virtual or real) and must never
 * go backwards between calls.
 */
export type Input =
  | { readonly kind: 'tick'; readonly now: number }
  | { readonly kind: 'request'; readonly now: number; readonly from: NodeId; readonly rpc: Rpc }
  | {
      readonly kind: 'reply';
      readonly now: number;
      /** The Outgoing this answers, exactly as the core emitted it. */
      readonly request: Outgoing;
      readonly reply: RpcReply;
    }
  | { readonly kind: 'failure'; readonly now: number; readonly request: Outgoing; readonly reason?: string };

/** An entry for the node's `/events` log, without seq, atMs and node (the driver adds those). */
export interface CoreEvent {
  readonly kind:
    | 'become-follower'
    | 'become-pre-candidate'
    | 'become-candidate'
    | 'become-leader'
    | 'term'
    | 'vote'
    | 'leader-known'
    | 'step-down'
    | 'term-exhausted';
  readonly term: number;
  readonly [detail: string]: unknown;
}

/**
 * What the driver must do after one step, in this order: write `persist` durably (if not
 * null), then answer the request with `reply` (for `request` inputs) and send `messages`.
 * `events` go to the /events log. Never send or reply before `persist` is durable.
 */
export interface Ready {
  readonly persist: HardState | null;
  readonly reply: RpcReply | null;
  readonly messages: readonly Outgoing[];
  readonly events: readonly CoreEvent[];
}

/** Settings of one core; `createCore` fills nothing in, so give every field (see `defaultCoreConfig`). */
export interface CoreConfig {
  readonly id: NodeId;
  /** The other members of the cluster (not including id). */
  readonly peers: readonly NodeId[];
  readonly electionTimeoutMin: number;
  readonly electionTimeoutMax: number;
  readonly heartbeatInterval: number;
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  readonly bugs: readonly BugName[];
}

/** Everything a core starts from. */
export interface CoreInit {
  readonly config: CoreConfig;
  /** Seeded randomness for election timeouts. */
  readonly rng: Rng;
  /** Loaded durable state (term 0, no vote for a fresh node). */
  readonly hardState: HardState;
  /** The log to start with (empty in this project's nodes; tests use it for §5.4.1). */
  readonly log?: readonly LogEntry[];
  /** The time of creation, same clock as Input.now. */
  readonly now: number;
}

/** A read-only view of a core, for /status and for tests. */
export interface CoreStatus {
  readonly id: NodeId;
  readonly role: Role;
  readonly term: number;
  readonly votedFor: NodeId | null;
  readonly leader: NodeId | null;
  readonly lastLogIndex: number;
  readonly lastLogTerm: number;
  /** Time (core clock) the node last heard from its leader, or null. */
  readonly lastLeaderContact: number | null;
}
