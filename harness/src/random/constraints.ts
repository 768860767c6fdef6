import { ConfigError } from '../../../common/src/errors.js';

/**
 * What a random fault schedule may contain: one typed constraints object, every default filled
 * by `resolveConstraints`. Durations are in ms and scale with the election timeout, because
 * what is interesting for leader election is a fault a bit shorter or a bit longer than it.
 */
export interface RandomConstraints {
  /** Cluster size the schedules aim at (node ids n1..nN). Default 3; at least 3. */
  nodes: number;
  /** The nodes' largest election timeout; holds and latencies are multiples of it. Default 300. */
  electionTimeoutMax: number;
  /** Most faults in one schedule (default 6); at least one fault per schedule. */
  maxFaults: number;
  /** Longest total of holds and waits in one schedule (default 15 000 ms). */
  maxScheduleMs: number;
  /** Hold of a fault, as factors of electionTimeoutMax (default 0.3 to 4). */
  holdFactor: readonly [min: number, max: number];
  /** Longest quiet gap before a fault, as a factor of electionTimeoutMax (default 2). */
  gapFactor: number;
  /**
   * Faults may also be fired by node events (`--triggers`; default off, which keeps every
   * seed's schedules as they were): a fault can carry a second one, fired by a node event while
   * it holds (`then`, see schedule-arbitrary.ts).
   */
  triggers: boolean;
  /**
   * Faults of the nodes' disks are drawn too (`--disk-faults`: `disk-fail`, `corrupt-state`;
   * default off, which keeps every seed's schedules as they were). Only the simulation of our
   * node can take them.
   */
  diskFaults: boolean;
}

/** The defaults: 3 nodes, 300 ms timeouts, up to 6 faults in up to 15 s, holds 0.3x-4x. */
export const DEFAULT_CONSTRAINTS: RandomConstraints = {
  nodes: 3,
  electionTimeoutMax: 300,
  maxFaults: 6,
  maxScheduleMs: 15_000,
  holdFactor: [0.3, 4],
  gapFactor: 2,
  triggers: false,
  diskFaults: false,
};

/** Integer bounds derived from the constraints, as the arbitraries use them. */
export interface ScheduleBounds {
  holdMs: readonly [min: number, max: number];
  gapMs: readonly [min: number, max: number];
  maxFaults: number;
  maxScheduleMs: number;
}

/**
 * Fills defaults and checks the result; ConfigError names the option and the bad value. A
 * schedule must be able to hold at least one fault at the shortest hold within the budget.
 */
export function resolveConstraints(partial: Partial<RandomConstraints> = {}): RandomConstraints {
  const c = { ...DEFAULT_CONSTRAINTS, ...dropUndefined(partial) };
  const int = (name: string, x: number, min: number, max: number) => {
    if (!Number.isInteger(x) || x < min || x > max) throw new ConfigError(`random: ${name} must be a whole number from ${min} to ${max}, got ${x}`);
  };
  int('nodes', c.nodes, 3, 15);
  int('electionTimeoutMax', c.electionTimeoutMax, 1, 60_000);
  int('maxFaults', c.maxFaults, 1, 50);
  int('maxScheduleMs', c.maxScheduleMs, 1, 3_600_000);
  const [lo, hi] = c.holdFactor;
  if (!(lo > 0 && hi >= lo)) throw new ConfigError(`random: holdFactor must be [min, max] with 0 < min <= max, got [${lo}, ${hi}]`);
  if (!(c.gapFactor >= 0)) throw new ConfigError(`random: gapFactor must be 0 or more, got ${c.gapFactor}`);
  const b = scheduleBounds(c);
  if (b.holdMs[0] > c.maxScheduleMs) {
    throw new ConfigError(
      `random: the shortest hold (${b.holdMs[0]} ms = ${lo} x ${c.electionTimeoutMax} ms) does not fit in maxScheduleMs ${c.maxScheduleMs}`,
    );
  }
  return c;
}

/** Hold and gap ranges in whole ms (holds at least 1 ms, each range non-empty). */
export function scheduleBounds(c: RandomConstraints): ScheduleBounds {
  const e = c.electionTimeoutMax;
  const holdMin = Math.max(1, Math.round(c.holdFactor[0] * e));
  const holdMax = Math.max(holdMin, Math.round(c.holdFactor[1] * e));
  return {
    holdMs: [holdMin, holdMax],
    gapMs: [0, Math.max(0, Math.round(c.gapFactor * e))],
    maxFaults: c.maxFaults,
    maxScheduleMs: c.maxScheduleMs,
  };
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
