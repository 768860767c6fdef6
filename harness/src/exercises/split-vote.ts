import type { HistoryEntry } from '../history/types.js';
import { electionRounds, nodeEvents, termSets } from './election-rounds.js';

/** The split-vote exercise's figures: terms that elected nobody, and how they were resolved. */
export interface SplitVoteFigures {
  exercise: 'split-vote';
  /** Elections won (terms with a `become-leader`). */
  elections: number;
  /** Terms someone stood in (`become-candidate`). */
  termsTried: number;
  /** Terms someone stood in that elected nobody. */
  termsWithoutLeader: number[];
  /** Elections by how many terms they took: `{ "1": 4, "2": 1 }`. */
  roundsPerElection: Record<string, number>;
  /** Each election that needed more than one term: who won after how many empty terms, against whom. */
  resolved: Array<{ term: number; leader: string; emptyTerms: number[]; rivalsInWinningTerm: string[] }>;
  text: string;
}

/**
 * Counts terms that elected nobody and how each was resolved: after a term with no winner,
 * every candidate waits a fresh random timeout, and the first to fire in the next term
 * usually stands alone and wins. From node events only (`become-candidate`, `become-leader`).
 */
export function splitVoteFigures(history: readonly HistoryEntry[]): SplitVoteFigures {
  const events = nodeEvents(history);
  const { candidate } = termSets(events);
  const elections = electionRounds(events);
  const won = new Set(elections.map((e) => e.term));
  const empty = [...candidate].filter((t) => !won.has(t)).sort((a, b) => a - b);
  const rounds: Record<string, number> = {};
  for (const e of elections) {
    const k = String(Math.max(1, e.candidateTerms.length));
    rounds[k] = (rounds[k] ?? 0) + 1;
  }
  const resolved = elections
    .filter((e) => e.termsWithoutLeader.length > 0)
    .map((e) => ({ term: e.term, leader: e.leader, emptyTerms: e.termsWithoutLeader, rivalsInWinningTerm: e.rivals.filter((r) => r !== e.leader) }));
  const multi = elections.length - (rounds['1'] ?? 0);
  const how = resolved.length
    ? `; resolved by new random timeouts: ${resolved
        .slice(0, 4)
        .map((r) => `${r.leader} won term ${r.term} after ${r.emptyTerms.length} empty term(s)${r.rivalsInWinningTerm.length ? ` against ${r.rivalsInWinningTerm.join(',')}` : ' standing alone'}`)
        .join('; ')}${resolved.length > 4 ? `; ${resolved.length - 4} more` : ''}`
    : '';
  return {
    exercise: 'split-vote',
    elections: elections.length,
    termsTried: candidate.size,
    termsWithoutLeader: empty,
    roundsPerElection: rounds,
    resolved,
    text: `${empty.length} of ${candidate.size} term(s) tried elected nobody; ${multi} of ${elections.length} election(s) needed more than one term${how}.`,
  };
}
