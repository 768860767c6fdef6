/**
 * The Raft paper's own figures (Ongaro and Ousterhout, "In Search of an Understandable
 * Consensus Algorithm", §9.3, Figure 16): 5 servers, time from the leader's crash to a new
 * leader, in its worst case (servers' logs of different lengths, so some could not win; the
 * leader crashed at a uniformly random point of its heartbeat interval, which was half the
 * minimum election timeout). Only what the paper states or what can be read off the figure.
 */
export interface PaperFigure {
  medianMs?: number;
  meanMs?: number;
  p99Ms?: number;
  maxMs?: number;
  /** Where the figure comes from, for the page. */
  source: string;
}

/** By range label `min-max`. */
export const PAPER_FIGURE_16: Readonly<Record<string, PaperFigure>> = {
  '150-300': { medianMs: 171, p99Ms: 415, maxMs: 603, source: 'Figure 16 (read off the curve: median ~171, p99 ~415, worst ~603)' },
  '150-200': { maxMs: 512, source: 'Figure 16 (worst ~512)' },
  '150-155': { medianMs: 287, source: 'Figure 16 (median ~287: split votes)' },
  '12-24': { meanMs: 35, source: '§9.3 text (12-24 ms: 35 ms on average)' },
};

/** The paper's figure for a range, if it has one. */
export function paperFigure(min: number, max: number): PaperFigure | undefined {
  return PAPER_FIGURE_16[`${min}-${max}`];
}
