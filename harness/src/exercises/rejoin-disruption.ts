import type { FaultStartEntry, HistoryEntry } from '../history/types.js';
import { nodeEvents } from './election-rounds.js';

/** The rejoin exercise's figures: what each heal of an isolated follower set off. */
export interface RejoinFigures {
  exercise: 'rejoin-disruption';
  preVote: boolean | null;
  /** Per heal of a fault that isolated a follower while a leader led. */
  rejoins: Array<{
    node: string;
    healedAtMs: number;
    leaderBefore: { node: string; term: number } | null;
    /** Highest term the isolated node reached while cut off. */
    rejoinTerm: number | null;
    /** Terms someone stood in after the heal although a leader was leading: needless elections. */
    needlessElections: number;
    leaderDeposed: boolean;
    leaderAfter: { node: string; term: number } | null;
  }>;
  /** Sum over the rejoins. */
  needlessElections: number;
  text: string;
}

/**
 * After each heal of a fault that isolated a follower (not the leader) while a leader led:
 * how far the follower's term ran ahead while cut off, how many terms were tried after the
 * heal within `windowMs` (default: 10 x the maximum election timeout, at least 2 s, and never
 * past the next fault), and whether the leader was deposed. With Pre-Vote the cut-off node
 * never raises its term, so it rejoins quietly; without it, its higher term forces an election.
 */
export function rejoinFigures(history: readonly HistoryEntry[], windowMs?: number): RejoinFigures {
  const start = history.find((e) => e.type === 'run-start');
  const config = start?.type === 'run-start' ? start.config : undefined;
  const window = windowMs ?? Math.max(2000, 10 * (config?.electionTimeoutMax ?? 300));
  const events = nodeEvents(history);
  const faults = history.filter((e): e is FaultStartEntry => e.type === 'fault-start');
  const rejoins: RejoinFigures['rejoins'] = [];
  for (const end of history) {
    if (end.type !== 'fault-end') continue;
    const f = faults.find((x) => x.id === end.id);
    if (!f || f.kind !== 'partition' || f.removesLeader !== false || !f.leaderBefore || f.targets.length !== 1) continue;
    const node = f.targets[0]!;
    const nextFault = faults.find((x) => x.t > end.t);
    const until = Math.min(end.t + window, nextFault?.t ?? Infinity);
    const cutOff = events.filter((e) => e.node === node && e.t >= f.t && e.t <= end.t);
    const rejoinTerm = cutOff.length ? Math.max(...cutOff.map((e) => e.term)) : null;
    const after = events.filter((e) => e.t > end.t && e.t <= until);
    const leaderTerm = f.leaderBefore.term;
    const tried = new Set(after.filter((e) => e.kind === 'become-candidate' && e.term > leaderTerm).map((e) => e.term));
    const won = after.filter((e) => e.kind === 'become-leader').at(-1);
    const deposed = after.some((e) => e.node === f.leaderBefore!.node && (e.kind === 'become-follower' || e.kind === 'step-down'));
    rejoins.push({
      node,
      healedAtMs: end.t,
      leaderBefore: f.leaderBefore,
      rejoinTerm,
      needlessElections: tried.size,
      leaderDeposed: deposed,
      leaderAfter: won ? { node: won.node, term: won.term } : deposed ? null : f.leaderBefore,
    });
  }
  const total = rejoins.reduce((a, r) => a + r.needlessElections, 0);
  const preVote = config ? config.preVote : null;
  const mode = preVote === null ? '' : `Pre-Vote ${preVote ? 'on' : 'off'}: `;
  const each = rejoins
    .map((r) => `${r.node} rejoined in term ${r.rejoinTerm ?? '?'} (leader ${r.leaderBefore?.node} in term ${r.leaderBefore?.term}) -> ${r.needlessElections} needless election(s)${r.leaderDeposed ? `, leader deposed${r.leaderAfter ? `, ${r.leaderAfter.node} won term ${r.leaderAfter.term}` : ''}` : ', leader kept'}`)
    .join('; ');
  const other = preVote === null ? '' : ` (compare: npm run scenario rejoin-disruption -- ${preVote ? '--no-pre-vote' : '--pre-vote'})`;
  return {
    exercise: 'rejoin-disruption',
    preVote,
    rejoins,
    needlessElections: total,
    text: rejoins.length ? `${mode}${total} needless election(s) after ${rejoins.length} rejoin(s): ${each}${other}.` : `${mode}no isolated follower was healed while a leader led, nothing to count.`,
  };
}
