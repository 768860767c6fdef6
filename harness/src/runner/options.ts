import type { RunConfig } from '../history/types.js';
import { deriveBounds } from '../checkers/bounds.js';
import type { Testbed } from '../runtime/testbed.js';
import { checkNodesFit } from '../scenario/node-refs.js';
import type { Scenario } from '../scenario/types.js';
import type { Clock } from '../util/clock.js';

/** How to run a scenario; everything is optional and defaults are filled by `resolveSettings`. */
export interface RunOptions {
  /** `auto` (default: Docker when an engine answers, else processes), `process`, `docker`, `sim`. */
  runtime?: string;
  /** A testbed to run on as is (tests, a library user's own); `runtime` is then ignored. */
  testbed?: Testbed;
  nodes?: number;
  /** Seed of every random choice of the harness and the nodes (default: random, printed). */
  seed?: number;
  /** Where `<run-id>/` goes (default `reports`). */
  reportDir?: string;
  bugs?: readonly string[];
  electionTimeout?: readonly [number, number];
  heartbeatInterval?: number;
  rpcTimeout?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  pollIntervalMs?: number;
  toxiproxyUrl?: string;
  /** Log level passed to the nodes (default `warn`). */
  nodeLogLevel?: string;
  /** Aborting stops the run early: it heals, tears down, and still writes what was recorded. */
  signal?: AbortSignal;
  /** Progress lines (phases, faults, leader changes). Default: none. */
  onProgress?: (line: string) => void;
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
 * defaults (150-300 ms, heartbeat 50 ms, rpc min(100, min/2), Pre-Vote and CheckQuorum on),
 * and checker bounds are derived from the result unless the scenario sets them. Throws
 * ConfigError when the scenario names a node the final cluster lacks (`n9` on 3 nodes), so
 * callers must call it before they start or write anything.
 */
export function resolveSettings(scenario: Scenario, options: RunOptions, randomSeed: () => number): RunSettings {
  const size = options.nodes ?? scenario.nodes ?? 3;
  const sizeFrom = options.nodes !== undefined ? `--nodes ${size}` : scenario.nodes !== undefined ? `the scenario's nodes: ${size}` : 'the default size';
  const nodes = nodeIds(size);
  checkNodesFit(scenario, nodes, sizeFrom);
  const [min, max] = options.electionTimeout ?? scenario.electionTimeout ?? [150, 300];
  const heartbeatInterval = options.heartbeatInterval ?? scenario.heartbeatInterval ?? 50;
  const rpcTimeout = options.rpcTimeout ?? scenario.rpcTimeout ?? Math.min(100, Math.floor(min / 2));
  const pollIntervalMs = options.pollIntervalMs ?? 50;
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
      preVote: options.preVote ?? scenario.preVote ?? true,
      checkQuorum: options.checkQuorum ?? scenario.checkQuorum ?? true,
      bugs: [...(options.bugs ?? [])],
      pollIntervalMs,
      bounds,
    },
  };
}

/** The `npm run scenario` command that replays a run with these settings. */
export function replayCommand(scenario: string, runtime: string, s: RunSettings, options: RunOptions): string {
  const args = [`--seed ${s.seed}`, `--runtime ${runtime}`, `--nodes ${s.nodes.length}`];
  const c = s.config;
  if (options.electionTimeout) args.push(`--election-timeout ${c.electionTimeoutMin}-${c.electionTimeoutMax}`);
  if (options.heartbeatInterval !== undefined) args.push(`--heartbeat-interval ${c.heartbeatInterval}`);
  if (options.rpcTimeout !== undefined) args.push(`--rpc-timeout ${c.rpcTimeout}`);
  if (options.preVote !== undefined) args.push(c.preVote ? '--pre-vote' : '--no-pre-vote');
  if (options.checkQuorum !== undefined) args.push(c.checkQuorum ? '--check-quorum' : '--no-check-quorum');
  if (options.pollIntervalMs !== undefined) args.push(`--poll-interval ${c.pollIntervalMs}`);
  if (options.toxiproxyUrl) args.push(`--toxiproxy-url ${options.toxiproxyUrl}`);
  for (const b of c.bugs) args.push(`--bug ${b}`);
  const name = /^[a-z0-9-]+$/.test(scenario) ? scenario : JSON.stringify(scenario);
  return `npm run scenario ${name} -- ${args.join(' ')}`;
}
