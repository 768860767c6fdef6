import { timersTaken } from './launch.js';
import type { Subject } from './types.js';

/** What a subject lets the harness do and judge; callers ask this, never switch on a name. */
export interface SubjectCapabilities {
  /** The node can run Pre-Vote / CheckQuorum (a run may still turn them off). */
  readonly preVote: boolean;
  readonly checkQuorum: boolean;
  /** Its status says whom it voted for (one-vote-per-term can be judged). */
  readonly votedFor: boolean;
  /** It has an events endpoint in the project's format (else: status polls only). */
  readonly events: boolean;
  /** It keeps term and vote across restarts (monotonic-terms across boots applies). */
  readonly durable: boolean;
  /** The run's election timeout / heartbeat interval reach the node. */
  readonly electionTimeout: boolean;
  readonly heartbeatInterval: boolean;
  /** `--runtime sim` can run it (only the project's own node). */
  readonly simulated: boolean;
}

/** The capabilities of `subject`, derived from its description once. */
export function subjectCapabilities(subject: Subject): SubjectCapabilities {
  const own = subject.launch.kind === 'raft-chaos';
  const timers = subject.launch.kind === 'command' ? timersTaken(subject.launch) : { electionTimeout: true, heartbeatInterval: true };
  return {
    preVote: subject.implements.preVote,
    checkQuorum: subject.implements.checkQuorum,
    votedFor: subject.status.fields.votedFor !== undefined,
    events: subject.events !== undefined,
    durable: subject.durable,
    ...timers,
    simulated: own,
  };
}
