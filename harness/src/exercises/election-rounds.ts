import type { HistoryEntry, NodeEventEntry } from '../history/types.js';

/** One election as the node events tell it: the terms it took and who stood in each. */
export interface ElectionRounds {
  /** The term a leader was elected in. */
  term: number;
  leader: string;
  /** When the leader said `become-leader` (run clock). */
  atMs: number;
  /** Terms after the previous leader's term, up to and including `term`, in which someone stood. */
  candidateTerms: number[];
  /** Terms after the previous leader's term, before `term`: a term that elected nobody is in here. */
  termsWithoutLeader: number[];
  /** Candidates (`become-candidate`) in the winning term. */
  rivals: string[];
  /** The term of the leader before (0 at the start). */
  previousTerm: number;
}

/** Every node event of a history, ordered by `t`. */
export function nodeEvents(history: readonly HistoryEntry[]): NodeEventEntry[] {
  return history.filter((e): e is NodeEventEntry => e.type === 'node-event').sort((a, b) => a.t - b.t);
}

/**
 * Terms in which at least one node became a candidate, and terms in which one became leader,
 * from node events (`become-candidate`, `become-leader`). Pre-vote rounds do not start terms
 * and are not counted.
 */
export function termSets(events: readonly NodeEventEntry[]): { candidate: Set<number>; leader: Map<number, NodeEventEntry> } {
  const candidate = new Set<number>();
  const leader = new Map<number, NodeEventEntry>();
  for (const e of events) {
    if (e.kind === 'become-candidate') candidate.add(e.term);
    else if (e.kind === 'become-leader' && !leader.has(e.term)) leader.set(e.term, e);
  }
  return { candidate, leader };
}

/**
 * Each election of the history in term order: the winning term, the terms tried since the
 * previous leader's term, the ones that elected nobody (split votes, or candidates cut off),
 * and the rivals in the winning term.
 */
export function electionRounds(events: readonly NodeEventEntry[]): ElectionRounds[] {
  const { candidate, leader } = termSets(events);
  const out: ElectionRounds[] = [];
  let previousTerm = 0;
  for (const term of [...leader.keys()].sort((a, b) => a - b)) {
    const won = leader.get(term)!;
    const tried = [...candidate].filter((t) => t > previousTerm && t <= term).sort((a, b) => a - b);
    const rivals = [...new Set(events.filter((e) => e.kind === 'become-candidate' && e.term === term).map((e) => e.node))].sort();
    out.push({ term, leader: won.node, atMs: won.t, candidateTerms: tried, termsWithoutLeader: tried.filter((t) => t !== term), rivals, previousTerm });
    previousTerm = term;
  }
  return out;
}

/** Terms tried between `fromTerm` (exclusive) and `toTerm` (inclusive): an election's rounds. */
export function roundsBetween(events: readonly NodeEventEntry[], fromTerm: number, toTerm: number): number {
  const terms = new Set<number>();
  for (const e of events) if (e.kind === 'become-candidate' && e.term > fromTerm && e.term <= toTerm) terms.add(e.term);
  return terms.size;
}
