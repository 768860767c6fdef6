import type { NodeEventTrigger } from '../faults/trigger.js';
import type { Bounds } from '../history/types.js';
import type { FaultSpec } from '../faults/fault-spec.js';
import type { NodeId } from '../nemesis/types.js';

export type { FaultSpec, FaultSpecs } from '../faults/fault-spec.js';
export type { GroupsText, LinkSelector, NodeId, NodeIds, PartitionSide, PartitionSides, PartitionSpec, Target } from '../nemesis/types.js';

/**
 * A scenario is plain data: a cluster, its timeouts, and a schedule of steps run in order.
 * Scenarios live in `scenarios/<name>.ts` as a default export (see scenarios/index.ts).
 *
 * A run: start the cluster, wait up to `warmupMs` for a settled leader, run the steps, heal
 * everything, watch `recoveryMs` more, stop, check.
 */
export interface Scenario {
  /**
   * kebab-case, unique: what `npm run scenario <name>` takes.
   * @pattern ^[a-z0-9][a-z0-9-]*$
   */
  name: string;
  /**
   * One or two sentences: what it does and what it should show.
   * @minLength 1
   */
  description: string;
  /**
   * Cluster size (default 3; `--nodes` overrides).
   * @asType integer
   * @minimum 3
   * @maximum 15
   */
  nodes?: number;
  /** Node settings; omitted ones take the defaults (common/src/election-settings.ts: 150-300 ms, 50 ms, on, on). Election timeout range [min, max] in ms, min <= max. */
  electionTimeout?: readonly [min: ElectionTimeoutMs, max: ElectionTimeoutMs];
  /** Leader heartbeat interval in ms (default 50). */
  heartbeatInterval?: PositiveMs;
  /** Deadline of one RPC in ms. */
  rpcTimeout?: PositiveMs;
  /** Whether nodes run a pre-vote before an election (default on). */
  preVote?: boolean;
  /** Whether a leader steps down when it has not heard from a majority (default on). */
  checkQuorum?: boolean;
  /**
   * Staggered start: nodes started late, by id, with their delay in ms after the others start
   * (e.g. `{ n2: 1500, n3: 3000 }`). The runner asks the runtime not to start them and starts
   * them itself at those times, before the warmup. Process runtime only (others refuse).
   * @propertyNames {"pattern": "^n([1-9]|1[0-5])$"}
   */
  startDelaysMs?: Readonly<Record<NodeId, PositiveMs>>;
  /** Longest wait for the first settled leader before the steps start (default 5000). */
  warmupMs?: PositiveMs;
  /** The schedule. */
  steps: readonly Step[];
  /** Watched time after the final heal (default: max(2000, 10 x electionTimeoutMax)). */
  recoveryMs?: PositiveMs;
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
  | {
      /** Do nothing for this many ms. */
      wait: Ms;
    }
  | {
      /** The fault to start. */
      fault: FaultSpec;
      /** Heal it after this many ms; without it, it holds until a `heal` step or the final heal. */
      holdMs?: Ms;
      /**
       * A name for a later `{ heal: id }` (unique in the scenario).
       * @minLength 1
       */
      id?: string;
      /**
       * Fired by a node event instead of at its place in time: the step waits (at most
       * `withinMs`, default 5000) for the event, then `delayMs` (a fixed delay or a range the
       * run's seed picks from, default 0) after the event starts the fault, whose target
       * `trigger` names the node whose event fired it (runner/triggers.ts). No event in time:
       * the fault is not started (a note says so).
       */
      on?: NodeEventTrigger;
      /** A fixed delay after the event, or a [min, max] range the run's seed picks from (ms). */
      delayMs?: Ms | readonly [Ms, Ms];
      /** How long the step waits for its event (ms, default 5000). */
      withinMs?: PositiveMs;
    }
  | {
      /**
       * `all`, or the `id` of an earlier fault step still in force.
       * @minLength 1
       * @example "all"
       */
      heal: 'all' | string;
    }
  | {
      /**
       * How many times to run `steps`.
       * @asType integer
       * @minimum 1
       * @maximum 10000
       */
      repeat: number;
      /** The steps repeated. */
      steps: readonly Step[];
    };

/**
 * A duration in whole ms, from 0 to an hour.
 * @asType integer
 * @minimum 0
 * @maximum 3600000
 */
export type Ms = number;

/**
 * A duration in whole ms, from 1 to an hour.
 * @asType integer
 * @minimum 1
 * @maximum 3600000
 */
export type PositiveMs = number;

/**
 * One end of the election timeout range, in whole ms (1 to 60000).
 * @asType integer
 * @minimum 1
 * @maximum 60000
 */
export type ElectionTimeoutMs = number;
