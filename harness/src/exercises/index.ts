import type { HistoryEntry } from '../history/types.js';
import { rejoinFigures, type RejoinFigures } from './rejoin-disruption.js';
import { splitVoteFigures, type SplitVoteFigures } from './split-vote.js';
import { staggeredStartFigures, type StaggeredStartFigures } from './staggered-start.js';

export * from './election-rounds.js';
export * from './rejoin-disruption.js';
export * from './split-vote.js';
export * from './staggered-start.js';

/** The figure an exercise scenario asks about (`summary.exercise`); `text` is one line for people. */
export type ExerciseFigures = SplitVoteFigures | StaggeredStartFigures | RejoinFigures;

/** Which figures each exercise scenario (by name) gets. */
const BY_SCENARIO: Record<string, (h: readonly HistoryEntry[]) => ExerciseFigures> = {
  'split-vote': splitVoteFigures,
  'staggered-start': staggeredStartFigures,
  'rejoin-disruption': rejoinFigures,
};

/**
 * The exercise figures of a run of one of the seed chapter's exercise scenarios (split-vote,
 * staggered-start, rejoin-disruption), by the scenario name in the history's `run-start`;
 * undefined for every other scenario. Pure: reads only the history.
 */
export function exerciseFigures(history: readonly HistoryEntry[]): ExerciseFigures | undefined {
  const start = history.find((e) => e.type === 'run-start');
  const f = start?.type === 'run-start' ? BY_SCENARIO[start.scenario] : undefined;
  return f?.(history);
}
