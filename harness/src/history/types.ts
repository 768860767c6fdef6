import type { ElectionSettings } from '../../../common/src/election-settings.js';
/**
 * The history of a run: an append-only sequence of entries, written as JSON lines
 * (`history.jsonl`) while the run happens. Everything the checkers and the report know about
 * a run comes from here, so a history can be re-checked and re-drawn later
 * (`npm run report <history.jsonl>`).
 *
 * Every entry has `type`, `t` (milliseconds since the run started, from a monotonic clock,
 * fractional allowed) and `wall` (epoch milliseconds). Entries are appended in the order the
 * harness learned of them; `t` is non-decreasing except for `node-event`, whose `t` is the
 * node's own timestamp mapped onto the run's clock and may be earlier than entries written
 * before it (consumers that need order sort node events by `t`).
 */

/** Node roles as shown by `/status` (`state`). A pre-candidate shows as `follower`. */
export type NodeState = 'follower' | 'candidate' | 'leader';

/** Node roles including the pre-vote phase (`role` in `/status`). */
export type NodeRole = NodeState | 'pre-candidate';

/** How a status poll ended. Only `ok` carries node state. */
export type PollOutcome = 'ok' | 'timeout' | 'refused' | 'error';

interface Base {
  /** Milliseconds since the run started (monotonic). */
  t: number;
  /** Epoch milliseconds when the entry was made (or, for node events, when the node made it). */
  wall: number;
}

/** First entry of every history: what ran, with which settings. */
export interface RunStartEntry extends Base {
  type: 'run-start';
  runId: string;
  scenario: string;
  seed: number;
  /** `process`, `docker` or `sim`, and why that one was chosen. */
  runtime: string;
  runtimeReason?: string;
  nodes: string[];
  config: RunConfig;
  /** The exact command that replays this run. */
  replay: string;
  /** Harness version and anything else worth knowing later (toxiproxy kind, host). */
  meta?: Record<string, unknown>;
  /**
   * What ran in the node slots when it was not the project's own node (absent: ours): its name,
   * where it came from and what it exposes, so every check knows what it can judge.
   */
  subject?: RunSubject;
}

/** The subject of a run as the history keeps it (harness/src/subject/). */
export interface RunSubject {
  name: string;
  /** `builtin` or the absolute path of its subject file. */
  source: string;
  capabilities: {
    preVote: boolean;
    checkQuorum: boolean;
    votedFor: boolean;
    events: boolean;
    durable: boolean;
    electionTimeout: boolean;
    heartbeatInterval: boolean;
    simulated: boolean;
  };
}

/** The node and check settings a run used; checkers derive their default bounds from it. */
export interface RunConfig extends ElectionSettings {
  bugs: string[];
  /** The nodes' disk test mode (`--disk`: `lossy`, `sync-delay=MS`); absent: the plain disk. */
  disk?: string;
  pollIntervalMs: number;
  /** Checker bounds, filled from the scenario or derived from the timeouts. */
  bounds: Bounds;
}

/** Time bounds the checkers hold the run to, in ms. */
export interface Bounds {
  /**
   * After a fault that removes the leader, or a heal: a settled leader within this.
   * @asType integer
   * @minimum 1
   * @maximum 3600000
   */
  electionMs: number;
  /**
   * With CheckQuorum on: a leader cut off from a majority stops claiming within this.
   * @asType integer
   * @minimum 1
   * @maximum 3600000
   */
  stepDownMs: number;
  /**
   * After the final heal: every node follows one leader within this.
   * @asType integer
   * @minimum 1
   * @maximum 3600000
   */
  recoveryMs: number;
}

/** One `GET /status` of one node, successful or not. */
export interface PollEntry extends Base {
  type: 'poll';
  node: string;
  outcome: PollOutcome;
  /** Round-trip time of the poll. */
  latencyMs: number;
  /** Present when outcome is ok. */
  state?: NodeState;
  role?: NodeRole;
  term?: number;
  leader?: string | null;
  votedFor?: string | null;
  bootId?: string;
  /** Present when outcome is not ok: why. */
  error?: string;
  /** The node answered 200 but its status body could not be read through the subject's map (`error` quotes it). */
  malformed?: true;
}

/**
 * One entry of a node's own `/events` log (see node/API.md), copied as the node wrote it,
 * plus `t` (the node's `atMs` mapped onto the run clock) and `wall` (= the node's `atMs`).
 */
export interface NodeEventEntry extends Base {
  type: 'node-event';
  node: string;
  bootId: string;
  seq: number;
  kind: string;
  term: number;
  /** Kind-specific fields: `leader`, `candidate`, `granted`, `preVote`, `reason`, `from`, `to`... */
  [detail: string]: unknown;
}

/** Events of a node that were lost (its bounded buffer overflowed before the harness read them). */
export interface EventsGapEntry extends Base {
  type: 'events-gap';
  node: string;
  bootId: string;
  /** First and last missing sequence numbers. */
  fromSeq: number;
  toSeq: number;
}

/** A directed message cut: messages from `from` do not reach `to` (requests nor replies). */
export type Cut = readonly [from: string, to: string];

/** What a fault did, resolved to concrete nodes and links when it started. */
export interface FaultStartEntry extends Base {
  type: 'fault-start';
  /** Unique within the run; `fault-end` names it. */
  id: string;
  /** The fault kind (faults/registry.ts): `partition`, `one-way`, `latency`, `reset`, `kill`, `pause`, ... */
  kind: string;
  /** A short human label for reports: "isolate leader n2", "kill n1,n3". */
  label: string;
  /** Nodes the fault was aimed at. */
  targets: string[];
  /**
   * Nodes the fault took down (killed, stopped, paused), when any. Histories written before
   * this field existed lack it: read it with `faultDown` (checkers/support/active-faults.ts),
   * which falls back to the targets of `kill`, `stop` and `pause` faults.
   */
  down?: string[];
  /** Directed message cuts in force during the fault (partitions, one-way, black holes, resets). */
  cuts?: Cut[];
  /** Links slowed or throttled, with the toxic's attributes. */
  links?: Array<{ from: string; to: string; toxic: string; attributes: Record<string, number> }>;
  /** Leader (and its term) as the harness saw it when the fault started, or null. */
  leaderBefore: { node: string; term: number } | null;
  /**
   * True when this fault takes the leader out of the majority (isolated, killed, paused, or on
   * the minority side); false when it does not; null when there was no leader to remove.
   */
  removesLeader: boolean | null;
  /**
   * Set when the nemesis could not aim it: it waited for a leader (up to `bounds.recoveryMs`)
   * and none came, so nothing was applied (no targets, cuts or nodes taken down).
   */
  notApplied?: true;
  /** The scenario step that made it, as written. */
  spec?: unknown;
}

/** The fault with this id was healed (proxies enabled, toxics removed, node restarted/resumed). */
export interface FaultEndEntry extends Base {
  type: 'fault-end';
  id: string;
  kind: string;
  label: string;
}

/**
 * The partitioner has changed every link a fault names: written when its operation returned
 * (Toxiproxy answered every call; in simulation, the last in-memory link changed): the
 * partitioner began at the `fault-start` (or, for `end`, after the fault's time was up) and
 * finished by `t`. From `t` on the fault's cuts and toxics are certainly all in force (`phase: 'start'`) or all gone
 * (`phase: 'end'`, just before the `fault-end`). Only for faults that change links (cuts or
 * toxics), on every runtime. Histories written before this entry existed lack it: checks then
 * allow `APPLY_MS_PER_LINK` a link after the `fault-start` (checkers/support/majority-watch.ts).
 */
export interface LinksAppliedEntry extends Base {
  type: 'links-applied';
  /** The fault (`fault-start`'s id). */
  id: string;
  /** `start`: the fault's links were changed; `end`: they were restored. */
  phase: 'start' | 'end';
  /** How many directed links the fault names (cuts plus slowed links). */
  links: number;
}

/**
 * One round trip probed through one link proxy: a TCP connect plus a tiny `GET /status` of node
 * `to` through proxy `from→to`. A round trip carries `from`'s request to `to` and `to`'s reply
 * back, so it passes only when neither message direction between the two is cut.
 */
export interface LinkProbe {
  from: string;
  to: string;
  /** What the partitioner's state says: `blocked` (a cut, black hole or zero bandwidth) or `open`. */
  expect: 'open' | 'blocked';
  /** For `open` links under latency toxics: the least round-trip time they must add (ms). */
  minDelayMs?: number;
  /**
   * How it ended: `answered` (an HTTP status line came back), `refused` (connect refused: the
   * proxy is disabled), `timeout` (nothing within the deadline), `closed` (the proxy accepted and
   * closed without an answer), `error`, or `unprobed` (its address could not be found).
   */
  result: 'answered' | 'refused' | 'timeout' | 'closed' | 'error' | 'unprobed';
  /** Time to the answer, or until the probe gave up. */
  ms: number;
  /** Node `to` probed directly (not through a proxy) at the same time: is it there to answer? */
  direct: 'answered' | 'failed' | 'unprobed';
  /** Whether this proxy has answered a probe before in the run (silence proves a cut only then). */
  seenOpen: boolean;
  detail?: string;
}

/**
 * What the partitioner found when it probed the links an operation touched, right after the
 * operation (a fault's cut or toxic, its heal, or the final heal of everything). Written by the
 * effectful partitioner only; a simulated run records none (its cuts hold by construction).
 */
export interface FaultProbeEntry extends Base {
  type: 'fault-probe';
  /** The partitioner operation just done. */
  op: 'apply-cuts' | 'heal-cuts' | 'add-toxic' | 'remove-toxic' | 'heal-all';
  /** The directed links the operation named (heal-all: every link). */
  links: Cut[];
  /** For toxic operations: the toxic's type (`latency`, `bandwidth`, `timeout`). */
  toxic?: string;
  /** One probe per proxy carrying messages of those links (both proxies of each pair). */
  probes: LinkProbe[];
  /** Wall time the probing took (what it added to the operation). */
  tookMs: number;
}

/**
 * One message the network handed to a node, as the harness saw it deliver it (recorded by the
 * simulated runtime only, which carries every message itself; a history of processes or
 * containers has none). Recorded: every vote and pre-vote request and reply, and any other
 * message whose term is above the receiver's term when it arrives (an AppendEntries of a newer
 * leader, a reply carrying a newer term), or that lacks its term, and (with CheckQuorum on)
 * every AppendEntries reply a leader gets in its first CheckQuorum window (`firstWindow`);
 * other routine heartbeats of the receiver's own term are not. `t` is when the receiver was stepped with it.
 */
export interface DeliveryEntry extends Base {
  type: 'delivery';
  /** This delivery's number in the run (a reply's `re` names its request's). */
  id: number;
  /** The receiver. */
  node: string;
  /** The sender (of a reply: the node that answered). */
  from: string;
  /** The RPC: `request-vote`, `pre-vote` or `append-entries`. */
  rpc: string;
  msg: 'request' | 'reply';
  /** The body's `term`; null when the body has no numeric term (a malformed message). */
  term: number | null;
  /** A vote or pre-vote reply's `voteGranted`; null when the body has no boolean one. */
  granted?: boolean | null;
  /** The candidate of a vote or pre-vote request (of a reply: of the request it answers). */
  candidate?: string;
  /** For a reply: the term of the request it answers. */
  requestTerm?: number;
  /** For a reply: `id` of the delivery of the request it answers, when that was recorded. */
  re?: number;
  /**
   * Set on an AppendEntries reply of the receiver's own term (to a request of that term)
   * delivered within the receiver's first CheckQuorum window as leader of that term (an
   * election timeout maximum from its `become-leader`, ends included), with CheckQuorum on:
   * every such reply is recorded (what `quorum-window` counts).
   */
  firstWindow?: true;
  /** The receiver's term when the message arrived (before its step). */
  nodeTerm: number;
  /** The receiver's boot that was handed the message. */
  bootId: string;
  /**
   * The `seq` of the receiver's last event in `bootId` before the step that handled the
   * message (0: none yet): what that step logged, and everything the node logged after it,
   * has a higher `seq`.
   */
  afterSeq: number;
  /** How many events the step that handled the message logged (0 when it failed in it). */
  events: number;
  /**
   * Set when the receiver's HTTP layer refused the message before its core saw it (a request
   * answered 400: malformed, not from a peer, a term above the bound; a malformed reply, which
   * fails the RPC): why. Absent on every message a node accepted.
   */
  refused?: string;
}

/** A process-level action or observation on a node. */
export interface ProcessEntry extends Base {
  type: 'process';
  node: string;
  action: 'start' | 'kill' | 'stop' | 'pause' | 'resume' | 'exit' | 'ready';
  pid?: number;
  /** For `exit`: the exit code or signal. */
  code?: number | null;
  signal?: string | null;
  detail?: string;
}

/** The run moved to another phase. */
export interface PhaseEntry extends Base {
  type: 'phase';
  phase: Phase;
  detail?: string;
}

/** The phases of a run, in order. `recovery` follows the final heal. */
export type Phase = 'setup' | 'warmup' | 'faults' | 'heal' | 'recovery' | 'teardown';

/** A free-form note (a warning, the poller's overhead, an interrupted run). */
export interface NoteEntry extends Base {
  type: 'note';
  level: 'info' | 'warn' | 'error';
  message: string;
  data?: Record<string, unknown>;
}

/** Last entry of a complete history. A history without it was cut short. */
export interface RunEndEntry extends Base {
  type: 'run-end';
  durationMs: number;
  /** Set when the run was interrupted (signal) or crashed. */
  interrupted?: string;
}

export type HistoryEntry =
  | RunStartEntry
  | PollEntry
  | NodeEventEntry
  | EventsGapEntry
  | FaultStartEntry
  | FaultEndEntry
  | FaultProbeEntry
  | LinksAppliedEntry
  | ProcessEntry
  | DeliveryEntry
  | PhaseEntry
  | NoteEntry
  | RunEndEntry;

/** A history entry without its timestamps, as producers hand it to the recorder. */
export type UnstampedEntry = HistoryEntry extends infer E
  ? E extends HistoryEntry
    ? Omit<E, 't' | 'wall'> & Partial<Pick<E, 't' | 'wall'>>
    : never
  : never;
