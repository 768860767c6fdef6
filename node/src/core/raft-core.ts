import type { BugName } from './bugs.js';
import { effectiveHeartbeat, pickElectionTimeout } from './election-timer.js';
import { appendEntries, lastIndex, lastTerm } from './log.js';
import type { Rng } from './prng.js';
import { buggyMajority, halfMajority, majority, voteResult, type VoteResult } from './quorum.js';
import { behaviourFor, type RoleBehaviour } from './roles.js';
import { MAX_TERM, replyAboveBound, termAboveBound } from './term-bound.js';
import type {
  AppendEntriesReply,
  AppendEntriesRequest,
  CoreConfig,
  CoreEvent,
  CoreInit,
  CoreStatus,
  HardState,
  Input,
  LogEntry,
  NodeId,
  Outgoing,
  Ready,
  Role,
  Rpc,
  RpcReply,
  VoteReply,
  VoteRequest,
} from './types.js';
import { decidePreVote, decideVote } from './vote-decision.js';

/**
 * The Raft election state machine of one node. Synchronous and deterministic given its
 * CoreInit and the sequence of inputs: no sockets, timers, files, clock or Math.random.
 * Drive it only through `step`; call `nextDeadline` to know when it next wants a tick.
 * Methods marked internal are for the role behaviours; callers must not use them.
 */
export class RaftCore {
  readonly config: CoreConfig;
  private readonly rng: Rng;
  private readonly bugs: ReadonlySet<BugName>;
  private readonly clusterSize: number;
  private readonly needed: number;
  private readonly heartbeatInterval: number;
  private readonly quorumWindow: number;

  /** @internal current term (read it through status()). */
  term: number;
  private votedFor: NodeId | null;
  private log: LogEntry[];
  private behaviour: RoleBehaviour = behaviourFor('follower');
  private leader: NodeId | null = null;
  private now: number;
  private electionDeadline = 0;
  /** This role's randomized election timeout: drawn on each role or term change, as etcd's reset does. */
  private electionTimeout = 0;
  private heartbeatDeadline = Infinity;
  private quorumDeadline = Infinity;
  private lastLeaderContact: number | null = null;
  private readonly granted = new Set<NodeId>();
  private readonly rejected = new Set<NodeId>();
  private readonly active = new Set<NodeId>();
  /** Whether `term-exhausted` was emitted (once per core: the term cannot move past MAX_TERM). */
  private exhaustedReported = false;

  // Output of the step in progress.
  private dirty = false;
  private messages: Outgoing[] = [];
  private events: CoreEvent[] = [];

  constructor(init: CoreInit) {
    this.config = init.config;
    this.rng = init.rng;
    this.bugs = new Set(init.config.bugs);
    this.clusterSize = init.config.peers.length + 1;
    this.needed = this.bugs.has('majority-off-by-one')
      ? buggyMajority(this.clusterSize)
      : this.bugs.has('majority-half')
        ? halfMajority(this.clusterSize)
        : majority(this.clusterSize);
    this.heartbeatInterval = effectiveHeartbeat(
      init.config.heartbeatInterval,
      init.config.electionTimeoutMax,
      this.bugs.has('slow-heartbeat'),
    );
    this.quorumWindow = init.config.electionTimeoutMax;
    this.term = init.hardState.term;
    this.votedFor = init.hardState.votedFor;
    this.log = (init.log ?? []).map((e) => ({ index: e.index, term: e.term }));
    this.now = init.now;
    // The `campaign-at-boot` bug draws no first timeout: its deadline is now.
    if (!this.hasBug('campaign-at-boot')) this.resetElectionTimer(true);
    else this.electionDeadline = this.now;
  }

  /** Feeds one input and returns what the driver must do, in Ready's order. */
  step(input: Input): Ready {
    this.now = Math.max(this.now, input.now);
    let reply: RpcReply | null = null;
    switch (input.kind) {
      case 'tick':
        this.behaviour.tick(this);
        break;
      case 'request':
        reply = this.handleRequest(input.from, input.rpc);
        break;
      case 'reply':
        this.handleReply(input.request, input.reply);
        break;
      case 'failure':
        // A failed RPC carries no term and no vote: nothing to learn; timers retry.
        break;
    }
    return this.flush(reply);
  }

  /** The earliest time at which a tick may change something (election, heartbeat or quorum check). */
  nextDeadline(): number {
    switch (this.behaviour.role) {
      case 'leader':
        // Without CheckQuorum the quorum deadline is never acted on (nor moved): not a deadline.
        return Math.min(this.heartbeatDeadline, this.config.checkQuorum ? this.quorumDeadline : Infinity);
      case 'follower':
        return this.electionDeadline;
      default:
        return this.hasBug('candidate-no-retry') ? Infinity : this.electionDeadline;
    }
  }

  /** A snapshot of the node's state. */
  status(): CoreStatus {
    return {
      id: this.config.id,
      role: this.behaviour.role,
      term: this.term,
      votedFor: this.votedFor,
      leader: this.leader,
      lastLogIndex: lastIndex(this.log),
      lastLogTerm: lastTerm(this.log),
      lastLeaderContact: this.lastLeaderContact,
    };
  }

  /** The durable part of the state, as it must be on disk after the last Ready was persisted. */
  hardState(): HardState {
    return { term: this.term, votedFor: this.votedFor };
  }

  /** The log (copies). */
  entries(): LogEntry[] {
    return this.log.map((e) => ({ ...e }));
  }

  // ---- shared rules -------------------------------------------------------------------

  private handleRequest(from: NodeId, rpc: Rpc): RpcReply {
    // A term past MAX_TERM could never be moved past: refuse it and change nothing (the
    // driver refuses such requests before they get here; this holds the core to it too).
    const above = termAboveBound(rpc);
    if (above !== null) {
      if (rpc.type === 'append-entries') return { term: this.term, success: false };
      const reason = `term-above-bound:${above.field}`;
      this.emit({ kind: 'vote', term: this.term, candidate: rpc.body.candidateId, granted: false, preVote: rpc.type === 'pre-vote', reason, requestTerm: rpc.body.term });
      return { term: this.term, voteGranted: false };
    }
    switch (rpc.type) {
      case 'pre-vote':
        return this.answerPreVote(rpc.body);
      case 'request-vote':
        return this.answerVote(rpc.body);
      case 'append-entries':
        return this.answerAppend(from, rpc.body);
    }
  }

  private answerPreVote(req: VoteRequest): VoteReply {
    const d = decidePreVote(req, this.term, this.log, this.inLease() && !this.hasBug('pre-vote-ignores-lease'));
    // Reported so a checker can tell a grant outside the lease (late heartbeats) from one inside it.
    const leaderHeardAgoMs = this.leaderHeardAgo();
    this.emit({ kind: 'vote', term: this.term, candidate: req.candidateId, granted: d.granted, preVote: true, reason: d.reason, role: this.behaviour.role, leaderHeardAgoMs, requestTerm: req.term });
    return { term: d.granted ? req.term : this.term, voteGranted: d.granted };
  }

  private answerVote(req: VoteRequest): VoteReply {
    // Figure 2, all servers: a request with a higher term makes us a follower of that term (`yield-to-same-term`: its own term too).
    if (req.term > this.term || (req.term === this.term && this.hasBug('yield-to-same-term'))) this.becomeFollower(req.term, null, 'higher-term:request-vote');
    // Figure 2, RequestVote receiver rule 1 (the `grant-stale-term` bug skips it).
    if (req.term < this.term && !this.hasBug('grant-stale-term')) {
      this.emit({ kind: 'vote', term: this.term, candidate: req.candidateId, granted: false, preVote: false, reason: 'stale-term', requestTerm: req.term });
      // The `stale-refusal-logged-granted` bug logs that refusal as a grant (the reply still refuses).
      if (this.hasBug('stale-refusal-logged-granted')) {
        // Stryker disable next-line all: runs only under `--bug stale-refusal-logged-granted`.
        this.events[this.events.length - 1] = { ...this.events[this.events.length - 1]!, granted: true };
      }
      return { term: this.term, voteGranted: false };
    }
    // Stryker disable all: runs only under `--bug refuse-all-votes`.
    if (this.hasBug('refuse-all-votes')) {
      // The bug: every RequestVote is refused as if the vote were taken, so no candidate wins.
      this.emit({ kind: 'vote', term: this.term, candidate: req.candidateId, granted: false, preVote: false, reason: `already-voted:${this.votedFor ?? 'none'}`, requestTerm: req.term });
      return { term: this.term, voteGranted: false };
    }
    // Stryker restore all
    const d = decideVote(req, this.votedFor, this.log, this.hasBug('vote-twice'));
    if (d.granted) {
      if (this.votedFor !== req.candidateId) {
        this.votedFor = req.candidateId;
        this.dirty = true;
      }
      // Figure 2, followers: granting a vote restarts the election timer (the
      // `vote-keeps-timer` bug leaves it running).
      if (this.behaviour.role === 'follower' && !this.hasBug('vote-keeps-timer')) this.resetElectionTimer(false);
    }
    this.emit({ kind: 'vote', term: this.term, candidate: req.candidateId, granted: d.granted, preVote: false, reason: d.reason, requestTerm: req.term });
    return { term: this.term, voteGranted: d.granted };
  }

  private answerAppend(from: NodeId, req: AppendEntriesRequest): AppendEntriesReply {
    if (req.term < this.term) return { term: this.term, success: false };
    if (req.term > this.term) {
      if (this.hasBug('no-step-down')) return { term: this.term, success: false };
      this.becomeFollower(req.term, req.leaderId, 'higher-term:append-entries');
    } else if (this.behaviour.role === 'leader') {
      // Two leaders in one term cannot happen in correct Raft; refuse rather than follow.
      return { term: this.term, success: false };
    } else if (this.behaviour.role !== 'follower' && !this.hasBug('candidate-ignores-leader')) {
      // §5.2: a candidate that hears from a leader of its term returns to follower.
      this.becomeFollower(req.term, req.leaderId, 'leader-heard');
    }
    this.setLeader(req.leaderId ?? from);
    this.lastLeaderContact = this.now;
    this.resetElectionTimer(false);
    const next = appendEntries(this.log, req.prevLogIndex, req.prevLogTerm, req.entries);
    if (next === null) return { term: this.term, success: false };
    this.log = next;
    return { term: this.term, success: true };
  }

  private handleReply(request: Outgoing, reply: RpcReply): void {
    if (replyAboveBound(reply)) return; // a term no node may hold: not learned from
    const grantedPreVote = request.type === 'pre-vote' && 'voteGranted' in reply && reply.voteGranted;
    // The `ignore-reply-term` bug learns no term from a vote or pre-vote reply (Figure 2 says any RPC reply).
    const ignoreTerm = request.type !== 'append-entries' && this.hasBug('ignore-reply-term');
    if (reply.term > this.term && !grantedPreVote && !ignoreTerm) {
      if (this.hasBug('no-step-down')) return;
      this.becomeFollower(reply.term, null, `higher-term:${request.type}-reply`);
      return;
    }
    if (request.type === 'append-entries') {
      if (reply.term === this.term && request.body.term === this.term) {
        this.behaviour.onAppendReply(this, request.to, reply as AppendEntriesReply);
      }
      return;
    }
    const preVote = request.type === 'pre-vote';
    const electionTerm = preVote ? this.term + 1 : this.term;
    // From an earlier election (the `count-stale-votes` bug counts it in the current one).
    if (request.body.term !== electionTerm && !this.hasBug('count-stale-votes')) return;
    if (!('voteGranted' in reply)) return;
    this.behaviour.onVoteReply(this, request.to, reply, preVote);
  }

  // ---- transitions (internal: for role behaviours) ------------------------------------

  /** @internal Starts an election: a Pre-Vote round first when enabled (always under the `pre-vote-when-off` bug). */
  campaign(reason: string): void {
    if (this.termExhausted()) return;
    if (this.config.preVote || this.hasBug('pre-vote-when-off')) this.becomePreCandidate(reason);
    else this.becomeCandidate(reason);
  }

  /** @internal */
  becomeFollower(term: number, leader: NodeId | null, reason: string): void {
    const wasLeader = this.behaviour.role === 'leader';
    this.setTerm(term, reason);
    if (wasLeader) this.emit({ kind: 'step-down', term: this.term, reason });
    this.setRole('follower');
    this.leader = null;
    this.resetElectionTimer(true);
    this.emit({ kind: 'become-follower', term: this.term, leader, reason, electionTimeoutMs: this.electionTimeout });
    if (leader !== null) this.setLeader(leader);
  }

  /** @internal Thesis §9.6: ask for pre-votes for term+1 without changing term or vote. */
  becomePreCandidate(reason: string): void {
    // The bug: the pre-candidate raises its term as a candidate would (§9.6 says it must not).
    if (this.hasBug('pre-vote-raises-term')) this.setTerm(this.term + 1, 'pre-vote');
    this.setRole('pre-candidate');
    this.leader = null;
    this.resetElectionTimer(true);
    this.emit({ kind: 'become-pre-candidate', term: this.term, reason, electionTimeoutMs: this.electionTimeout });
    this.startElection(true);
  }

  /** @internal Figure 2, candidates: increment term, vote for self, reset timer, ask for votes. */
  becomeCandidate(reason: string): void {
    if (this.termExhausted()) return;
    this.setTerm(this.term + 1, 'campaign');
    this.votedFor = this.config.id;
    this.dirty = true;
    this.setRole('candidate');
    this.leader = null;
    this.resetElectionTimer(true);
    this.emit({ kind: 'become-candidate', term: this.term, reason, electionTimeoutMs: this.electionTimeout });
    this.startElection(false);
  }

  /** @internal */
  becomeLeader(): void {
    this.setRole('leader');
    // The `silent-leader` bug forgets to log it.
    if (!this.hasBug('silent-leader')) this.emit({ kind: 'become-leader', term: this.term });
    this.setLeader(this.config.id);
    this.active.clear();
    // The `quorum-counts-votes` bug takes a granted vote for an answer in the first CheckQuorum window.
    if (this.hasBug('quorum-counts-votes')) {
      // Stryker disable next-line all: runs only under `--bug quorum-counts-votes`.
      for (const p of this.granted) if (p !== this.config.id) this.active.add(p);
    }
    this.quorumDeadline = this.now + this.quorumWindow;
    this.broadcastHeartbeat();
  }

  /** @internal Records one vote of the running election and tallies it. */
  recordVote(from: NodeId, granted: boolean): VoteResult {
    if (!this.granted.has(from) && !this.rejected.has(from)) {
      (granted ? this.granted : this.rejected).add(from);
    }
    return voteResult(this.granted.size, this.rejected.size, this.clusterSize, this.needed);
  }

  /** @internal Figure 2, leaders: empty AppendEntries to every peer. */
  broadcastHeartbeat(): void {
    for (const to of this.config.peers) {
      this.messages.push({
        type: 'append-entries',
        to,
        body: { term: this.term, leaderId: this.config.id, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 },
      });
    }
    this.heartbeatDeadline = this.now + this.heartbeatInterval;
  }

  /** @internal */
  electionTimedOut(): boolean {
    return this.now >= this.electionDeadline;
  }

  /** @internal */
  heartbeatDue(): boolean {
    return this.now >= this.heartbeatDeadline;
  }

  /** @internal */
  checkQuorumDue(): boolean {
    // The `check-quorum-ignores-flag` bug runs the check with CheckQuorum off too.
    return (this.config.checkQuorum || this.hasBug('check-quorum-ignores-flag')) && this.now >= this.quorumDeadline;
  }

  /**
   * @internal Whether a majority (self included) answered in the current quorum window. The
   * `quorum-needs-all-but-one` bug asks for one answer more than a majority.
   */
  quorumActive(): boolean {
    return this.active.size + 1 >= this.needed + (this.hasBug('quorum-needs-all-but-one') ? 1 : 0);
  }

  /** @internal */
  resetQuorumWindow(): void {
    this.active.clear();
    this.quorumDeadline = this.now + this.quorumWindow;
  }

  /** @internal */
  markActive(peer: NodeId): void {
    this.active.add(peer);
  }

  /** @internal */
  hasBug(bug: BugName): boolean {
    return this.bugs.has(bug);
  }

  // ---- helpers ------------------------------------------------------------------------

  /** Asks for votes (or pre-votes); the caller drew the election's fresh timeout. */
  private startElection(preVote: boolean): void {
    this.granted.clear();
    this.rejected.clear();
    const body: VoteRequest = {
      term: preVote ? this.term + 1 : this.term,
      candidateId: this.config.id,
      lastLogIndex: lastIndex(this.log),
      lastLogTerm: lastTerm(this.log),
    };
    // Our own vote counts toward the majority of the whole cluster.
    if (this.recordVote(this.config.id, true) === 'won') {
      if (preVote) this.becomeCandidate('pre-vote-won');
      else this.becomeLeader();
      return;
    }
    for (const to of this.config.peers) {
      this.messages.push({ type: preVote ? 'pre-vote' : 'request-vote', to, body });
    }
  }

  private setTerm(term: number, reason: string): void {
    if (term === this.term) return;
    this.emit({ kind: 'term', term, from: this.term, to: term, reason });
    this.term = term;
    this.votedFor = null;
    this.leader = null;
    this.dirty = true;
  }

  /**
   * Whether the term can no longer grow (it is MAX_TERM or above): then the node does not
   * campaign, returns to follower (it may still follow a leader of its term), reports
   * `term-exhausted` once and waits for a new election timeout.
   */
  private termExhausted(): boolean {
    if (this.term < MAX_TERM) return false;
    if (!this.exhaustedReported) {
      this.exhaustedReported = true;
      this.emit({ kind: 'term-exhausted', term: this.term, bound: MAX_TERM });
    }
    if (this.behaviour.role !== 'follower') this.becomeFollower(this.term, null, 'term-exhausted');
    else this.resetElectionTimer(true);
    return true;
  }

  private setRole(role: Role): void {
    this.behaviour = behaviourFor(role);
    if (role !== 'leader') {
      this.heartbeatDeadline = Infinity;
      this.quorumDeadline = Infinity;
    }
  }

  private setLeader(leader: NodeId): void {
    if (this.leader === leader) return;
    this.leader = leader;
    this.emit({ kind: 'leader-known', term: this.term, leader });
  }

  /**
   * How long ago (ms, on this node's clock) it last heard the leader it knows in its current
   * term, or null: it is the leader, or knows no leader of its term (a new term or role forgets
   * the leader, though not when it was last heard). The one answer to "a leader known and
   * heard" that both the Pre-Vote lease and the pre-vote event's `leaderHeardAgoMs` read.
   */
  private leaderHeardAgo(): number | null {
    if (this.behaviour.role === 'leader' || this.leader === null || this.lastLeaderContact === null) return null;
    return this.now - this.lastLeaderContact;
  }

  /**
   * Thesis §9.6: a leader, or a node that heard the leader of its term less than a minimum
   * election timeout ago, refuses pre-votes (and the leader's CheckQuorum keeps it honest).
   */
  private inLease(): boolean {
    if (this.behaviour.role === 'leader') return true;
    const ago = this.leaderHeardAgo();
    // The `lease-never-expires` bug: the lease lasts as long as a leader is known.
    return ago !== null && (ago < this.config.electionTimeoutMin || this.hasBug('lease-never-expires'));
  }

  /**
   * Restarts the election countdown. `redraw` picks a new randomized timeout: on every role or
   * term change (a new election attempt gets a fresh value, which breaks split votes, §5.2); a
   * heartbeat or a granted vote only restarts the countdown with the same value, as etcd's raft
   * does. So the PRNG advances with the node's logical history, not with how many heartbeats
   * happened to arrive: the same seed draws the same timeouts for the same elections, in
   * simulation and on real processes alike.
   */
  private resetElectionTimer(redraw: boolean): void {
    const { electionTimeoutMin: min, electionTimeoutMax: max } = this.config;
    if (redraw) this.electionTimeout = pickElectionTimeout(this.rng, min, max, this.hasBug('fixed-timeout'), this.hasBug('timeout-past-max'));
    this.electionDeadline = this.now + this.electionTimeout;
  }

  private emit(e: CoreEvent): void {
    this.events.push(e);
  }

  private flush(reply: RpcReply | null): Ready {
    const ready: Ready = {
      persist: this.dirty ? this.hardState() : null,
      reply,
      messages: this.messages,
      events: this.events,
    };
    this.dirty = false;
    this.messages = [];
    this.events = [];
    return ready;
  }
}

/** Creates a core. Same init and same inputs give the same outputs. */
export function createCore(init: CoreInit): RaftCore {
  return new RaftCore(init);
}
