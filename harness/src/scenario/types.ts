import type { NodeEventTrigger } from '../runner/triggers.js';
import type { Bounds } from '../history/types.js';

/**
 * A scenario is plain data: a cluster, its timeouts, and a schedule of steps run in order.
 * Scenarios live in `scenarios/<name>.ts` as a default export (see scenarios/index.ts).
 *
 * A run: start the cluster, wait up to `warmupMs` for a settled leader, run the steps, heal
 * everything, watch `recoveryMs` more, stop, check.
 */
export interface Scenario {
  /** kebab-case, unique: what `npm run scenario <name>` takes. */
  name: string;
  /** One or two sentences: what it does and what it should show. */
  description: string;
  /** Cluster size (default 3; `--nodes` overrides). */
  nodes?: number;
  /** Node settings; omitted ones take the defaults (common/src/election-settings.ts: 150-300 ms, 50 ms, on, on). */
  electionTimeout?: readonly [min: number, max: number];
  heartbeatInterval?: number;
  rpcTimeout?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  /**
   * Staggered start: nodes started late, by id, with their delay in ms after the others start
   * (e.g. `{ n2: 1500, n3: 3000 }`). The runner asks the runtime not to start them and starts
   * them itself at those times, before the warmup. Process runtime only (others refuse).
   */
  startDelaysMs?: Readonly<Record<string, number>>;
  /** Longest wait for the first settled leader before the steps start (default 5000). */
  warmupMs?: number;
  /** The schedule. */
  steps: readonly Step[];
  /** Watched time after the final heal (default: max(2000, 10 x electionTimeoutMax)). */
  recoveryMs?: number;
  /** Overrides of the checkers' bounds; unset ones are derived from the timeouts. */
  bounds?: Partial<Bounds>;
  /** Checkers to leave out, by name, with the reason (e.g. stable-leadership under `flapping`). */
  skipChecks?: Readonly<Record<string, string>>;
}

/**
 * One step of a schedule.
 * - `{ wait: ms }` does nothing for a while (faults in force stay in force).
 * - `{ fault, holdMs }` starts a fault, keeps it `holdMs`, then heals it.
 * - `{ fault }` without `holdMs` starts a fault that stays until a later `{ heal: ... }` step
 *   or the final heal.
 * - `{ heal: 'all' }` heals every fault in force; `{ heal: id }` heals the fault whose step had
 *   that `id`.
 * - `{ repeat: n, steps }` runs the inner steps n times.
 */
export type Step =
  | { wait: number }
  | {
      fault: FaultSpec;
      holdMs?: number;
      id?: string;
      /**
       * Fired by a node event instead of at its place in time: the step waits (at most
       * `withinMs`, default 5000) for the event, then `delayMs` (a fixed delay or a range the
       * run's seed picks from, default 0) after the event starts the fault, whose target
       * `trigger` names the node whose event fired it (runner/triggers.ts). No event in time:
       * the fault is not started (a note says so).
       */
      on?: NodeEventTrigger;
      delayMs?: number | readonly [number, number];
      withinMs?: number;
    }
  | { heal: 'all' | string }
  | { repeat: number; steps: readonly Step[] };

/**
 * Which nodes a fault aims at, resolved when the fault starts:
 * a node id, several ids, `leader`, `follower` (a random follower), `random`, `all`,
 * `minority` (a random minority, without the leader unless it says `minority-with-leader`),
 * `majority` (a random majority, with the leader).
 */
export type Target =
  | string
  | readonly string[]
  | 'leader'
  | 'follower'
  | 'random'
  | 'all'
  | 'minority'
  | 'minority-with-leader'
  | 'majority';

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
  | { groups: string | readonly (readonly string[])[] };

/**
 * The spec of each fault kind, by kind name. Each kind's own file under `faults/kinds/` adds
 * its entry (TypeScript declaration merging), so a new kind never edits this file.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface FaultSpecs {}

/**
 * A fault of the nemesis (one of the kinds in faults/registry.ts: partition, one-way, latency,
 * bandwidth, timeout, reset, kill, stop, pause, rolling-restart). Every fault has a heal (see
 * `Step`).
 */
export type FaultSpec = FaultSpecs[keyof FaultSpecs];
