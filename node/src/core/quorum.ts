/**
 * Quorum arithmetic, free of effects (after etcd's `quorum/`). The cluster is the node
 * itself plus its peers; a majority is of the whole cluster.
 */

/** Votes needed to win in a cluster of `clusterSize` voters: floor(n/2)+1. */
export function majority(clusterSize: number): number {
  return Math.floor(clusterSize / 2) + 1;
}

// Stryker disable all: the two wrong formulas run only under their `--bug` (majority-off-by-one,
// majority-half); without it no cluster runs them, so their mutants are equivalent.
/**
 * The course sketch's wrong formula, kept for the `majority-off-by-one` bug:
 * floor(peers/2)+1 with peers excluding self. Too small for even cluster sizes.
 */
export function buggyMajority(clusterSize: number): number {
  return Math.floor((clusterSize - 1) / 2) + 1;
}

/**
 * The `majority-half` bug's formula: floor(n/2), the +1 forgotten. A lone node of 3 wins
 * with its own vote; 2 of 5 win.
 */
export function halfMajority(clusterSize: number): number {
  return Math.floor(clusterSize / 2);
}
// Stryker restore all

/** Outcome of an election so far. */
export type VoteResult = 'won' | 'lost' | 'pending';

/**
 * Tallies `granted` and `rejected` voter sets (disjoint, each a subset of the cluster) against
 * `needed` votes: won once granted reaches it, lost once it can no longer be reached.
 */
export function voteResult(
  granted: number,
  rejected: number,
  clusterSize: number,
  needed: number,
): VoteResult {
  if (granted >= needed) return 'won';
  if (clusterSize - rejected < needed) return 'lost';
  return 'pending';
}
