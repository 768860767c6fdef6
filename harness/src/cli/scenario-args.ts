import { ConfigError } from '../../../common/src/errors.js';
import { parseTable, usageOf, type OptionSpec } from '../../../common/src/option-table.js';
import type { RunOptions } from '../runner/options.js';
import { readRunFlags, runOptionSpecs, RUNTIMES, type RunFlags, type RuntimeChoice } from '../runner/run-flags.js';

export { RUNTIMES, type RuntimeChoice } from '../runner/run-flags.js';

/** Options only `npm run scenario random` takes; a named scenario or a file refuses them. */
export const RANDOM_OPTIONS = ['runs', 'time-limit', 'path', 'max-shrinks', 'checks', 'replay-on', 'replay-runs', 'seeds', 'explore-config', 'workers', 'triggers', 'disk-faults', 'jitter'] as const;

/**
 * What `npm run scenario` was asked to do, after parsing and validation: the run options as
 * given (`flags`, RunFlags: the one declaration of them, run-flags.ts), the two the command
 * fills a default for, and what only this command takes.
 */
export interface ScenarioArgs {
  help: boolean;
  list: boolean;
  /** Scenario name or file; undefined with --help or --list. */
  scenario?: string;
  /** The run options exactly as given on the command line (unset: the scenario's or the default; printed back in commands). */
  flags: RunFlags;
  /** `flags.runtime`, else `auto`. */
  runtime: RuntimeChoice;
  /** `flags.reportDir`, else `reports`. */
  reportDir: string;
  /** The harness's own log level (`--log-level`, default info). */
  logLevel: string;
  /** Arguments left for `random` (`--runs`, `--time-limit`, ...: RANDOM_OPTIONS); unset for any other scenario. */
  rest: Record<string, string | boolean | string[] | undefined>;
}

/** The scenario command's own options (besides the shared run options of run-flags.ts). */
const OWN: readonly OptionSpec[] = [
  { name: 'list', type: 'boolean', usage: '--list', help: 'list the named scenarios and exit' },
];
const LOG: readonly OptionSpec[] = [
  { name: 'log-level', type: 'string', usage: '--log-level L', help: 'harness log level: silent, error, warn, info, debug (default info)' },
  { name: 'help', type: 'boolean', short: 'h', usage: '--help', help: 'this text' },
];
/** The options of random schedules (cli/random-command.ts reads their values from `rest`). */
const RANDOM: readonly OptionSpec[] = [
  { name: 'runs', type: 'string', usage: '--runs N', help: 'how many random schedules to try (default 10; 1000 with --runtime sim)' },
  { name: 'time-limit', type: 'string', usage: '--time-limit MS', help: 'bound of the whole search, shrinking and confirmation included\n(ms like every duration, or with a unit: 90s, 10m)' },
  { name: 'max-shrinks', type: 'string', usage: '--max-shrinks N', help: 'most runs spent shrinking a failure (default 20; 200 with --runtime sim)' },
  {
    name: 'seeds', type: 'string', usage: '--seeds N',
    help: '--runtime sim: judge a failing schedule under N run seeds (default\n10): one that fails under 80% of them or more is shrunk at once,\nkeeping that rate; else the search goes on a while and shrinks the\nmost robust failure it saw. 1: one seed decides.',
  },
  {
    name: 'jitter', type: 'string', usage: '--jitter K',
    help: "--runtime sim: a run seed's failure counts only when it fails again\nunder K timing perturbations of that seed (the machine's draws anew:\nlinks, fsyncs, boots; the node's timeouts kept), so the minimal\nschedule does not hinge on a few ms, as on processes (default 0: off)",
  },
  {
    name: 'workers', type: 'string', usage: '--workers N',
    help: '--runtime sim: run the schedules in N worker threads (default: one\nper core); the same seed finds the same failure whatever N',
  },
  {
    name: 'triggers', type: 'boolean', usage: '--triggers',
    help: 'faults may also be fired by node events: kill, pause or isolate the\nnode that just granted a vote, campaigned, stepped down, ... 0-5 ms\nafter (runner/triggers.ts); part of the search: replay with it too',
  },
  {
    name: 'disk-faults', type: 'boolean', usage: '--disk-faults',
    help: '--runtime sim: faults of the nodes\' disks are drawn too (disk-fail:\nwrites refused; corrupt-state: a stopped node\'s state file corrupted);\npart of the search: replay with it too (default off: schedules as before)',
  },
  { name: 'path', type: 'string', usage: '--path P', help: "replay fast-check's counterexample path P (printed on a failure)" },
  {
    name: 'checks', type: 'string', usage: '--checks LIST',
    help: 'checks whose invalid verdict is a failure: all (default), safety\n(election-safety, one-vote-per-term, monotonic-terms), or names',
  },
  {
    name: 'replay-on', type: 'string', usage: '--replay-on R',
    help: '--runtime sim: replay a minimal failing schedule on process\n(default), docker, or none',
  },
  { name: 'replay-runs', type: 'string', usage: '--replay-runs K', help: 'how many replays on that runtime (default 3)' },
  {
    name: 'explore-config', type: 'boolean', usage: '--explore-config',
    help: 'schedules also choose the configuration: 3-7 nodes, Pre-Vote and\nCheckQuorum on/off, timeout range, heartbeat; a failure shrinks\ntoward the defaults and its scenario file carries what it kept\n(excludes --nodes, --election-timeout, --heartbeat-interval,\n--[no-]pre-vote, --[no-]check-quorum)',
  },
];
const SPECS: readonly OptionSpec[] = [...OWN, ...runOptionSpecs(), ...LOG, ...RANDOM];

export const SCENARIO_USAGE = `Usage: npm run scenario <name|file> [-- options]

Runs a chaos scenario against a Raft cluster and checks the history.
Exit code: 0 valid, 1 invalid (a check failed), 2 unknown (the history could not tell;
also usage errors, refused before anything runs or is written), 3 could not run (setup
failed or the environment lacks something: no engine, a port taken).

Options:
${usageOf([...OWN, ...runOptionSpecs(), ...LOG])}

Random schedules only (npm run scenario random -- --seed S --runs N [options above];
named scenarios and files refuse these):
${usageOf(RANDOM)}
  Exit code: 0 no failure, 1 a failure found (minimal scenario written), 2 interrupted
  before any failure (or a usage error), 3 could not run (no run started).
`;

/**
 * Parses `npm run scenario` arguments (the option table: run-flags.ts and the rows above).
 * Throws ConfigError naming the bad option and value (and, for unknown options, the usage
 * text). `--report-dir` is checked writable here, before anything runs.
 */
export function parseScenarioArgs(argv: readonly string[]): ScenarioArgs {
  const { values: v, positionals } = parseTable(argv, SPECS, SCENARIO_USAGE, { positionals: true });
  if (positionals.length > 1) {
    throw new ConfigError(`one scenario at a time, got ${positionals.join(' ')}\n\n${SCENARIO_USAGE}`);
  }
  const logLevel = (v['log-level'] as string | undefined) ?? 'info';
  if (!['silent', 'error', 'warn', 'info', 'debug'].includes(logLevel)) {
    throw new ConfigError(`--log-level must be silent, error, warn, info or debug, got "${logLevel}"`);
  }
  const help = (v.help as boolean | undefined) ?? false;
  const list = (v.list as boolean | undefined) ?? false;
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
  const flags = readRunFlags(v);
  return {
    help,
    list,
    scenario,
    flags,
    runtime: (flags.runtime ?? 'auto') as RuntimeChoice,
    reportDir: flags.reportDir ?? 'reports',
    logLevel,
    rest: Object.fromEntries(RANDOM_OPTIONS.map((o) => [o, v[o]])),
  };
}

/**
 * The run options a parsed command line sets (cluster size, node settings, bugs, subject, where
 * reports go), leaving out what each command decides itself: runtime, seed, signal, progress.
 */
export function runOptionsFrom(args: ScenarioArgs): Omit<RunOptions, 'runtime' | 'seed'> {
  const { runtime: _runtime, seed: _seed, ...flags } = args.flags;
  return {
    ...flags,
    reportDir: args.reportDir,
    bugs: [...(flags.bugs ?? [])],
    ...(args.logLevel === 'debug' ? { nodeLogLevel: 'debug' } : {}),
  };
}
