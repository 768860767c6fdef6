import { isUpToDate } from './log.js';
import type { LogEntry, NodeId, VoteRequest } from './types.js';

/** A decision on a vote request and why, for the /events log. */
export interface VoteDecision {
  readonly granted: boolean;
  readonly reason: string;
}

/**
 * Figure 2, RequestVote receiver, for a request whose term equals ours (a higher term was
 * adopted before): grant when we have not voted or voted for this candidate (first come,
 * first served), and its log is at least as up to date as ours (§5.4.1). `voteTwice` (the
 * bug) grants any such request.
 */
export function decideVote(
  req: VoteRequest,
  votedFor: NodeId | null,
  log: readonly LogEntry[],
  voteTwice: boolean,
): VoteDecision {
  // Stryker disable next-line all: runs only under `--bug vote-twice` (voteTwice false otherwise).
  if (voteTwice) return { granted: true, reason: 'bug:vote-twice' };
  if (votedFor !== null && votedFor !== req.candidateId) {
    return { granted: false, reason: `already-voted:${votedFor}` };
  }
  if (!isUpToDate(log, req.lastLogIndex, req.lastLogTerm)) {
    return { granted: false, reason: 'log-not-up-to-date' };
  }
  return { granted: true, reason: 'granted' };
}

/**
 * Thesis §9.6, Pre-Vote receiver: grant when the proposed term is above ours, the log is at
 * least as up to date, and we have not heard from a leader within the minimum election
 * timeout (`inLease`). Changes nothing either way.
 */
export function decidePreVote(
  req: VoteRequest,
  currentTerm: number,
  log: readonly LogEntry[],
  inLease: boolean,
): VoteDecision {
  if (req.term <= currentTerm) return { granted: false, reason: 'stale-term' };
  if (inLease) return { granted: false, reason: 'leader-recently-heard' };
  if (!isUpToDate(log, req.lastLogIndex, req.lastLogTerm)) {
    return { granted: false, reason: 'log-not-up-to-date' };
  }
  return { granted: true, reason: 'granted' };
}
