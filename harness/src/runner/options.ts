import { defaultRpcTimeout, ELECTION_DEFAULTS } from '../../../common/src/election-settings.js';
import type { RunConfig } from '../history/types.js';
import { deriveBounds } from '../checkers/bounds.js';
import type { Testbed } from '../runtime/testbed.js';
import type { SimSettings } from '../runtime/sim/sim-testbed.js';
import { ConfigError } from '../../../common/src/errors.js';
import { checkNodesFit } from '../scenario/node-refs.js';
import { MAX_NODES, MIN_NODES, tooFewNodes } from '../scenario/validate.js';
import { formatRunFlags, type RunFlags } from './run-flags.js';
import type { Scenario } from '../scenario/types.js';
import type { Clock } from '../util/clock.js';

/**
 * How to run a scenario; everything is optional and defaults are filled by `resolveSettings`.
 * The run options of the command line (runtime, seed, nodes, report dir, bugs, node settings:
 * RunFlags, run-flags.ts) plus what only a caller sets.
 */
export interface RunOptions extends RunFlags {
  /** A testbed to run on as is (tests, a library user's own); `runtime` is then ignored. */
  testbed?: Testbed;
  /** How the simulated testbed's world behaves when it is the one chosen (the sweep: a quiet host's links). */
  sim?: SimSettings;
  /** Log level passed to the nodes (default `warn`). */
  nodeLogLevel?: string;
  /** Aborting stops the run early: it heals, tears down, and still writes what was recorded. */
  signal?: AbortSignal;
  /**
   * Progress lines (phases, faults, leader changes, violations as they are recorded), each with
   * its run time `atMs` (history `t`: ms since the recorded run start, virtual for sim;
   * undefined before the history is open). Default: none.
   */
  onProgress?: (line: string, atMs?: number) => void;
  /** Injected time (default: the real clock). */
  clock?: Clock;
  /** Write the HTML/JUnit report and refresh `reports/index.html` (default true). */
  writeReport?: boolean;
  /** Write `history.jsonl` into the run directory (default true; a simulated search turns it off). */
  writeHistory?: boolean;
  /** The command that replays this run (default: built from the options). */
  replay?: string;
  /** How the user named the scenario (a file path, for a scenario file); used in the replay command. */
  scenarioRef?: string;
}

/** Settings of one run, all defaults filled in one place. */
export interface RunSettings {
  nodes: string[];
  seed: number;
  config: RunConfig;
  warmupMs: number;
  recoveryMs: number;
}

/** Node ids of a cluster of n: n1..nN. */
export function nodeIds(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/**
 * Fills every default: options override the scenario, the scenario overrides the node's
 * defaults (common's ELECTION_DEFAULTS; rpc defaultRpcTimeout(min)),
 * and checker bounds are derived from the result unless the scenario sets them. Throws
 * ConfigError when the scenario names a node the final cluster lacks (`n9` on 3 nodes), so
 * callers must call it before they start or write anything.
 */
export function resolveSettings(scenario: Scenario, options: RunOptions, randomSeed: () => number): RunSettings {
  const size = options.nodes ?? scenario.nodes ?? 3;
  const sizeFrom = options.nodes !== undefined ? `--nodes ${size}` : scenario.nodes !== undefined ? `the scenario's nodes: ${size}` : 'the default size';
  if (!Number.isInteger(size) || size < MIN_NODES || size > MAX_NODES) {
    throw new ConfigError(`${scenario.name}: ${sizeFrom} is not a cluster size: ${size < MIN_NODES ? tooFewNodes : `give ${MIN_NODES} to ${MAX_NODES}`}`);
  }
  const nodes = nodeIds(size);
  checkNodesFit(scenario, nodes, sizeFrom);
  const D = ELECTION_DEFAULTS;
  const [min, max] = options.electionTimeout ?? scenario.electionTimeout ?? [D.electionTimeoutMin, D.electionTimeoutMax];
  const heartbeatInterval = options.heartbeatInterval ?? scenario.heartbeatInterval ?? D.heartbeatInterval;
  const rpcTimeout = options.rpcTimeout ?? scenario.rpcTimeout ?? defaultRpcTimeout(min);
  const pollIntervalMs = options.pollIntervalMs ?? 50;
  // A subject runs Pre-Vote / CheckQuorum only if it implements them.
  const implemented = options.subject?.implements ?? { preVote: true, checkQuorum: true };
  const bounds = deriveBounds(
    { electionTimeoutMin: min, electionTimeoutMax: max, heartbeatInterval, pollIntervalMs, rpcTimeout },
    scenario.bounds,
  );
  return {
    nodes,
    seed: options.seed ?? randomSeed(),
    warmupMs: scenario.warmupMs ?? 5000,
    recoveryMs: scenario.recoveryMs ?? Math.max(2000, 10 * max, bounds.recoveryMs),
    config: {
      electionTimeoutMin: min,
      electionTimeoutMax: max,
      heartbeatInterval,
      rpcTimeout,
      preVote: (options.preVote ?? scenario.preVote ?? D.preVote) && implemented.preVote,
      checkQuorum: (options.checkQuorum ?? scenario.checkQuorum ?? D.checkQuorum) && implemented.checkQuorum,
      bugs: [...(options.bugs ?? [])],
      ...(options.disk !== undefined ? { disk: options.disk } : {}),
      pollIntervalMs,
      bounds,
    },
  };
}

/**
 * The `npm run scenario` command that replays a run with these settings: the seed, runtime and
 * size it ran with, and every other run option the caller set (the one printer, run-flags.ts).
 */
export function replayCommand(scenario: string, runtime: string, s: RunSettings, options: RunOptions): string {
  const c = s.config;
  const args = formatRunFlags({
    seed: s.seed,
    runtime,
    nodes: s.nodes.length,
    ...(options.electionTimeout ? { electionTimeout: [c.electionTimeoutMin, c.electionTimeoutMax] as const } : {}),
    ...(options.heartbeatInterval !== undefined ? { heartbeatInterval: c.heartbeatInterval } : {}),
    ...(options.rpcTimeout !== undefined ? { rpcTimeout: c.rpcTimeout } : {}),
    ...(options.preVote !== undefined ? { preVote: c.preVote } : {}),
    ...(options.checkQuorum !== undefined ? { checkQuorum: c.checkQuorum } : {}),
    ...(options.pollIntervalMs !== undefined ? { pollIntervalMs: c.pollIntervalMs } : {}),
    ...(options.toxiproxyUrl ? { toxiproxyUrl: options.toxiproxyUrl } : {}),
    bugs: c.bugs,
    ...(c.disk !== undefined ? { disk: c.disk } : {}),
    ...(options.subject ? { subject: options.subject } : {}),
    ...(options.nodeCommand !== undefined ? { nodeCommand: options.nodeCommand } : {}),
  });
  const name = /^[a-z0-9-]+$/.test(scenario) ? scenario : JSON.stringify(scenario);
  return `npm run scenario ${name} -- ${args.join(' ')}`;
}
