/**
 * The nemesis' vocabulary of aims: which nodes a fault aims at, which links, which sides a
 * partition makes. Plain types, below the scenario (which re-exports them) and the fault kinds.
 */

/**
 * A node id, `n1` to `n15` (whether the cluster has it depends on its size).
 * @pattern ^n([1-9]|1[0-5])$
 */
export type NodeId = string;

/**
 * Which nodes a fault aims at, resolved when the fault starts:
 * a node id, several ids, `leader`, `follower` (a random follower), `random`, `all`,
 * `minority` (a random minority, without the leader unless it says `minority-with-leader`),
 * `majority` (a random majority, with the leader), and, only in a step fired by a node event
 * (`on`), `trigger`: the node whose event fired it (faults/trigger.ts).
 */
export type Target =
  | NodeId
  | NodeIds
  | 'leader'
  | 'follower'
  | 'random'
  | 'all'
  | 'minority'
  | 'minority-with-leader'
  | 'majority'
  | 'trigger';

/**
 * Several node ids.
 * @minItems 1
 */
export type NodeIds = readonly NodeId[];

/** Which directed node-to-node links a link fault applies to. */
export type LinkSelector =
  | 'all'
  /** Every link into and out of the target. */
  | { around: Target }
  /** Links from `from` to `to` (one direction). */
  | { from: Target; to: Target };

/** Ways to split the cluster into sides that cannot talk to each other. */
export type PartitionSpec =
  /** The target alone on one side, the rest on the other. */
  | { isolate: Target }
  /** Two halves: the leader on the minority side, on the majority side, or at random. */
  | { halves: 'leader-minority' | 'leader-majority' | 'random' }
  /** Each node sees a majority, but no two nodes see the same majority (Jepsen majorities-ring). */
  | { ring: 'majorities' }
  /** Two halves joined by one bridge node that sees both (Jepsen bridge). */
  | { bridge: Target }
  /** Explicit sides: `"n1,n2|n3,n4,n5"` or `[["n1","n2"],["n3","n4","n5"]]`. */
  | { groups: GroupsText | PartitionSides };

/**
 * Sides written as text: ids separated by commas, sides by `|` (`"n1,n2|n3,n4,n5"`).
 * @pattern ^\s*n([1-9]|1[0-5])\s*(,\s*n([1-9]|1[0-5])\s*)*(\|\s*n([1-9]|1[0-5])\s*(,\s*n([1-9]|1[0-5])\s*)*)+$
 */
export type GroupsText = string;

/**
 * Sides as lists of ids (`[["n1","n2"],["n3","n4","n5"]]`).
 * @minItems 1
 */
export type PartitionSides = readonly PartitionSide[];

/**
 * One side of a partition: the ids on it.
 * @minItems 1
 */
export type PartitionSide = readonly NodeId[];
