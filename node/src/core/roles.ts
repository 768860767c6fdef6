import type { RaftCore } from './raft-core.js';
import type { AppendEntriesReply, NodeId, Role, VoteReply } from './types.js';

/**
 * Behaviour that changes with the role (etcd swaps `tick` and `step` the same way): what a
 * tick does and what replies mean. Everything shared (term rules, answering requests) stays
 * in RaftCore.
 */
export interface RoleBehaviour {
  readonly role: Role;
  /** Called on every tick after `core.now` was advanced. */
  tick(core: RaftCore): void;
  /** A vote (or pre-vote) reply of the current election; stale ones are filtered out before. */
  onVoteReply(core: RaftCore, from: NodeId, reply: VoteReply, preVote: boolean): void;
  /** An append-entries reply in the current term. */
  onAppendReply(core: RaftCore, from: NodeId, reply: AppendEntriesReply): void;
}

const ignore = (): void => {};

/** Figure 2, followers: convert to candidate when the election timeout elapses. */
export const followerBehaviour: RoleBehaviour = {
  role: 'follower',
  tick(core) {
    if (core.electionTimedOut()) core.campaign('election-timeout');
  },
  onVoteReply: ignore,
  onAppendReply: ignore,
};

/**
 * Campaigning roles retry with a fresh random timeout, unless `candidate-no-retry` is on. The
 * `stuck-election-timer` bug neither retries nor restarts the timer, yet still asks for a tick
 * at the passed deadline: the driver (NodeDriver) makes that fatal, so the process exits 1 and
 * the simulator takes the node down.
 */
function campaignTick(core: RaftCore): void {
  if (core.hasBug('candidate-no-retry') || core.hasBug('stuck-election-timer')) return;
  if (core.electionTimedOut()) core.campaign('election-timeout');
}

/** Thesis §9.6: candidate once a majority would vote for it, follower once a majority refused (not under `pre-vote-stays-lost`). */
export const preCandidateBehaviour: RoleBehaviour = {
  role: 'pre-candidate',
  tick: campaignTick,
  onVoteReply(core, from, reply, preVote) {
    if (!preVote) return;
    const result = core.recordVote(from, reply.voteGranted);
    if (result === 'won') core.becomeCandidate('pre-vote-won');
    else if (result === 'lost' && !core.hasBug('pre-vote-stays-lost')) core.becomeFollower(core.term, null, 'pre-vote-lost');
  },
  onAppendReply: ignore,
};

/** Figure 2, candidates: become leader on votes from a majority of the whole cluster. */
export const candidateBehaviour: RoleBehaviour = {
  role: 'candidate',
  tick: campaignTick,
  onVoteReply(core, from, reply, preVote) {
    if (preVote) return;
    // A lost election is not given up early: the candidate waits for its timeout (§5.2).
    // The `count-any-reply` bug counts a reply as a vote without reading voteGranted.
    if (core.recordVote(from, reply.voteGranted || core.hasBug('count-any-reply')) === 'won') core.becomeLeader();
  },
  onAppendReply: ignore,
};

/** Figure 2, leaders: heartbeats during idle periods; CheckQuorum steps down without a majority. */
export const leaderBehaviour: RoleBehaviour = {
  role: 'leader',
  tick(core) {
    if (core.checkQuorumDue()) {
      if (!core.quorumActive()) {
        core.becomeFollower(core.term, null, 'check-quorum');
        return;
      }
      core.resetQuorumWindow();
    }
    if (core.heartbeatDue()) core.broadcastHeartbeat();
  },
  onVoteReply: ignore,
  onAppendReply(core, from) {
    core.markActive(from);
  },
};

/** The behaviour for a role. */
export function behaviourFor(role: Role): RoleBehaviour {
  switch (role) {
    case 'follower':
      return followerBehaviour;
    case 'pre-candidate':
      return preCandidateBehaviour;
    case 'candidate':
      return candidateBehaviour;
    case 'leader':
      return leaderBehaviour;
  }
}
