import { parseArgs } from 'node:util';
import { ConfigError } from '../../../common/src/errors.js';
import { optionalWholeNumber, parseMsRange } from '../../../common/src/cli-numbers.js';
import { BUG_NAMES, isBugName } from '../../../node/src/core/bugs.js';
import type { RunOptions } from '../runner/options.js';

/** The runtimes `--runtime` accepts. `auto` picks Docker when an engine answers, else processes. */
export const RUNTIMES = ['auto', 'process', 'docker', 'sim'] as const;
export type RuntimeChoice = (typeof RUNTIMES)[number];

/** Options only `npm run scenario random` takes; a named scenario or a file refuses them. */
export const RANDOM_OPTIONS = ['runs', 'time-limit', 'path', 'max-shrinks', 'checks', 'replay-on', 'replay-runs', 'seeds', 'explore-config'] as const;

/** What `npm run scenario` was asked to do, after parsing and validation. */
export interface ScenarioArgs {
  help: boolean;
  list: boolean;
  /** Scenario name or file; undefined with --help or --list. */
  scenario?: string;
  nodes?: number;
  runtime: RuntimeChoice;
  seed?: number;
  reportDir: string;
  bugs: string[];
  electionTimeout?: [number, number];
  heartbeatInterval?: number;
  rpcTimeout?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  pollIntervalMs?: number;
  toxiproxyUrl?: string;
  logLevel: string;
  /** Arguments left for `random` (`--runs`, `--time-limit`, ...: RANDOM_OPTIONS); unset for any other scenario. */
  rest: Record<string, string | boolean | string[] | undefined>;
}

export const SCENARIO_USAGE = `Usage: npm run scenario <name|file> [-- options]

Runs a chaos scenario against a Raft cluster and checks the history.
Exit code: 0 valid, 1 invalid (a check failed), 2 unknown or could not run.

Options:
  --list                      list the named scenarios and exit
  --nodes N                   cluster size (default: the scenario's)
  --runtime R                 auto | process | docker | sim (default auto: Docker if an engine answers)
  --seed S                    seed for every random choice (default: random, printed)
  --report-dir DIR            where run reports go (default reports/)
  --bug NAME                  turn on a deliberate node bug (repeatable): forget-vote, vote-twice,
                              majority-off-by-one, fixed-timeout, candidate-no-retry,
                              no-step-down, slow-heartbeat
  --election-timeout MIN-MAX  election timeout range in ms (default: the scenario's, else 150-300)
  --heartbeat-interval MS     leader heartbeat period (default 50)
  --rpc-timeout MS            node RPC deadline
  --pre-vote / --no-pre-vote, --check-quorum / --no-check-quorum
  --poll-interval MS          status poll period per node (default 50 = 20 polls/s)
  --toxiproxy-url URL         use this Toxiproxy instead of the embedded one
  --log-level L               harness log level: silent, info, debug (default info)
  --help                      this text

Random schedules only (npm run scenario random -- --seed S --runs N [options above];
named scenarios and files refuse these):
  --runs N                    how many random schedules to try (default 10; 1000 with --runtime sim)
  --time-limit SECONDS        bound of the whole search, shrinking and confirmation included
  --max-shrinks N             most runs spent shrinking a failure (default 20; 200 with --runtime sim)
  --seeds N                   --runtime sim: judge a failing schedule under N run seeds (default
                              10): one that fails under 80% of them or more is shrunk at once,
                              keeping that rate; else the search goes on a while and shrinks the
                              most robust failure it saw. 1: one seed decides.
  --path P                    replay fast-check's counterexample path P (printed on a failure)
  --checks LIST               checks whose invalid verdict is a failure: all (default), safety
                              (election-safety, one-vote-per-term, monotonic-terms), or names
  --replay-on R               --runtime sim: replay a minimal failing schedule on process
                              (default), docker, or none
  --replay-runs K             how many replays on that runtime (default 3)
  --explore-config            schedules also choose the configuration: 3-7 nodes, Pre-Vote and
                              CheckQuorum on/off, timeout range, heartbeat; a failure shrinks
                              toward the defaults and its scenario file carries what it kept
                              (excludes --nodes, --election-timeout, --heartbeat-interval,
                              --[no-]pre-vote, --[no-]check-quorum)
  Exit code: 0 no failure, 1 a failure found (minimal scenario written), 2 could not run.
`;


/**
 * Parses `npm run scenario` arguments. Throws ConfigError naming the bad option and value
 * (and, for unknown options, the usage text).
 */
export function parseScenarioArgs(argv: readonly string[]): ScenarioArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      allowNegative: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        list: { type: 'boolean' },
        nodes: { type: 'string' },
        runtime: { type: 'string' },
        seed: { type: 'string' },
        'report-dir': { type: 'string' },
        bug: { type: 'string', multiple: true },
        'election-timeout': { type: 'string' },
        'heartbeat-interval': { type: 'string' },
        'rpc-timeout': { type: 'string' },
        'pre-vote': { type: 'boolean' },
        'check-quorum': { type: 'boolean' },
        'poll-interval': { type: 'string' },
        'toxiproxy-url': { type: 'string' },
        'log-level': { type: 'string' },
        // For `random` schedules (a later sub-command); parsed here so usage errors stay in one place.
        runs: { type: 'string' },
        'time-limit': { type: 'string' },
        path: { type: 'string' },
        'max-shrinks': { type: 'string' },
        checks: { type: 'string' },
        'replay-on': { type: 'string' },
        'replay-runs': { type: 'string' },
        seeds: { type: 'string' },
        'explore-config': { type: 'boolean' },
      },
    });
  } catch (err) {
    throw new ConfigError(`${(err as Error).message}\n\n${SCENARIO_USAGE}`, { cause: err });
  }
  const { values: v, positionals } = parsed;
  if (positionals.length > 1) {
    throw new ConfigError(`one scenario at a time, got ${positionals.join(' ')}\n\n${SCENARIO_USAGE}`);
  }
  const runtime = (v.runtime ?? 'auto') as RuntimeChoice;
  if (!RUNTIMES.includes(runtime)) throw new ConfigError(`--runtime must be one of ${RUNTIMES.join(', ')}, got "${v.runtime}"`);
  const bugs = (v.bug ?? []).flatMap((b) => b.split(',')).filter(Boolean);
  for (const b of bugs) {
    if (!isBugName(b)) throw new ConfigError(`--bug "${b}" is not a known bug; known: ${BUG_NAMES.join(', ')}`);
  }
  const logLevel = v['log-level'] ?? 'info';
  if (!['silent', 'error', 'warn', 'info', 'debug'].includes(logLevel)) {
    throw new ConfigError(`--log-level must be silent, error, warn, info or debug, got "${logLevel}"`);
  }
  if (v['toxiproxy-url'] !== undefined && !/^https?:\/\/[^/]+/.test(v['toxiproxy-url'])) {
    throw new ConfigError(`--toxiproxy-url must be an http URL like http://127.0.0.1:8474, got "${v['toxiproxy-url']}"`);
  }
  const help = v.help ?? false;
  const list = v.list ?? false;
  if (!help && !list && positionals.length === 0) {
    throw new ConfigError(`name a scenario (npm run scenario -- --list shows them)\n\n${SCENARIO_USAGE}`);
  }
  const scenario = positionals[0];
  const randomOnly = RANDOM_OPTIONS.filter((o) => v[o] !== undefined);
  if (scenario !== undefined && scenario !== 'random' && randomOnly.length > 0) {
    const [what, it] = randomOnly.length > 1 ? ['are options', 'them'] : ['is an option', 'it'];
    throw new ConfigError(
      `${randomOnly.map((o) => `--${o}`).join(', ')} ${what} of random schedules only (npm run scenario random -- ...), ` +
        `not of the scenario "${scenario}"; drop ${it}, or run random`,
    );
  }
  return {
    help,
    list,
    scenario,
    nodes: optionalWholeNumber(v.nodes, '--nodes', 1, 15),
    runtime,
    seed: optionalWholeNumber(v.seed, '--seed', 0, 2 ** 32 - 1),
    reportDir: v['report-dir'] ?? 'reports',
    bugs,
    electionTimeout: v['election-timeout'] === undefined ? undefined : parseMsRange(v['election-timeout'], '--election-timeout'),
    heartbeatInterval: optionalWholeNumber(v['heartbeat-interval'], '--heartbeat-interval', 1, 60_000),
    rpcTimeout: optionalWholeNumber(v['rpc-timeout'], '--rpc-timeout', 1, 60_000),
    preVote: v['pre-vote'],
    checkQuorum: v['check-quorum'],
    pollIntervalMs: optionalWholeNumber(v['poll-interval'], '--poll-interval', 5, 10_000),
    toxiproxyUrl: v['toxiproxy-url'],
    logLevel,
    rest: Object.fromEntries(RANDOM_OPTIONS.map((o) => [o, v[o]])),
  };
}

/**
 * The run options a parsed command line sets (cluster size, node settings, bugs, where reports
 * go), leaving out what each command decides itself: runtime, seed, signal, progress.
 */
export function runOptionsFrom(args: ScenarioArgs): Omit<RunOptions, 'runtime' | 'seed'> {
  return {
    ...(args.nodes !== undefined ? { nodes: args.nodes } : {}),
    reportDir: args.reportDir,
    bugs: args.bugs,
    ...(args.electionTimeout ? { electionTimeout: args.electionTimeout } : {}),
    ...(args.heartbeatInterval !== undefined ? { heartbeatInterval: args.heartbeatInterval } : {}),
    ...(args.rpcTimeout !== undefined ? { rpcTimeout: args.rpcTimeout } : {}),
    ...(args.preVote !== undefined ? { preVote: args.preVote } : {}),
    ...(args.checkQuorum !== undefined ? { checkQuorum: args.checkQuorum } : {}),
    ...(args.pollIntervalMs !== undefined ? { pollIntervalMs: args.pollIntervalMs } : {}),
    ...(args.toxiproxyUrl ? { toxiproxyUrl: args.toxiproxyUrl } : {}),
    ...(args.logLevel === 'debug' ? { nodeLogLevel: 'debug' } : {}),
  };
}
