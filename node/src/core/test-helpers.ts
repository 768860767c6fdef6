import { defaultCoreConfig } from './config-defaults.js';
import { seededRng } from './prng.js';
import { createCore, type RaftCore } from './raft-core.js';
import type { CoreConfig, HardState, LogEntry, NodeId, Outgoing, Ready, RpcReply, VoteRequest } from './types.js';

/** Test helper: a core n1 in a cluster n1..n{size}, at time 0, with defaults and overrides. */
export function makeCore(
  opts: Partial<Omit<CoreConfig, 'id' | 'peers'>> & { size?: number; hard?: HardState; log?: LogEntry[]; seed?: number } = {},
): RaftCore {
  const { size = 3, hard = { term: 0, votedFor: null }, log, seed = 1, ...overrides } = opts;
  const peers = Array.from({ length: size - 1 }, (_, i) => `n${i + 2}`);
  return createCore({ config: defaultCoreConfig('n1', peers, overrides), rng: seededRng(seed), hardState: hard, log, now: 0 });
}

/** Ticks the core at its own next deadline and returns the Ready. */
export function fireTimer(core: RaftCore): Ready {
  return core.step({ kind: 'tick', now: core.nextDeadline() });
}

/** A vote request body. */
export function voteReq(candidateId: NodeId, term: number, lastLogIndex = 0, lastLogTerm = 0): VoteRequest {
  return { term, candidateId, lastLogIndex, lastLogTerm };
}

/** Delivers a reply to each message of `ready` of the given type, from the peers in `from`. */
export function answer(core: RaftCore, ready: Ready, from: readonly NodeId[], reply: RpcReply, now = 0): Ready[] {
  return ready.messages
    .filter((m: Outgoing) => from.includes(m.to))
    .map((m) => core.step({ kind: 'reply', now, request: m, reply }));
}

/** A heartbeat from `leaderId`. */
export function heartbeat(leaderId: NodeId, term: number) {
  return {
    type: 'append-entries' as const,
    body: { term, leaderId, prevLogIndex: 0, prevLogTerm: 0, entries: [], leaderCommit: 0 },
  };
}
