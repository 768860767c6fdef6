import { optionalWholeNumber, parseMsRange, parseWholeNumber } from '../../../common/src/cli-numbers.js';
import { didYouMean } from '../../../common/src/did-you-mean.js';
import { ConfigError } from '../../../common/src/errors.js';
import { wrapList, type OptionSpec } from '../../../common/src/option-table.js';
import { checkWritableDir } from '../../../common/src/writable-dir.js';
import { BUG_NAMES, isBugName } from '../../../node/src/core/bugs.js';
import { formatDiskMode, parseDiskMode } from '../../../node/src/disk-mode.js';
import { ELECTION_DEFAULTS } from '../../../common/src/election-settings.js';
import { MAX_NODES, MIN_NODES, tooFewNodes } from '../scenario/validate.js';
import { resolveSubject, subjectArgs } from '../subject/resolve.js';
import { subjectCapabilities } from '../subject/capabilities.js';
import type { Subject } from '../subject/types.js';

/** The runtimes `--runtime` accepts. `auto` picks Docker when an engine answers, else processes. */
export const RUNTIMES = ['auto', 'process', 'docker', 'sim'] as const;
export type RuntimeChoice = (typeof RUNTIMES)[number];


/**
 * The options that shape one run, shared by `scenario`, `random`, `nightly` and `sweep`, as
 * values: what the command line said (unset: the scenario's or the default).
 */
export interface RunFlags {
  /** `auto` (default: Docker when an engine answers, else processes), `process`, `docker`, `sim`. */
  runtime?: string;
  /** Seed of every random choice of the harness and the nodes (default: random, printed). */
  seed?: number;
  nodes?: number;
  electionTimeout?: readonly [number, number];
  heartbeatInterval?: number;
  rpcTimeout?: number;
  preVote?: boolean;
  checkQuorum?: boolean;
  pollIntervalMs?: number;
  toxiproxyUrl?: string;
  /** Where `<run-id>/` goes (default `reports`); never printed in replay commands. */
  reportDir?: string;
  bugs?: readonly string[];
  /**
   * The nodes' disk test mode (`--disk`, node/API.md): `lossy` (a kill loses unsynced writes, as
   * a power cut), `sync-delay=MS` (slow fsync), comma-separated; absent or `real`: the plain disk.
   */
  disk?: string;
  /** What runs in each node slot (`--subject`, `--node-command`); absent: the project's own node. */
  subject?: Subject;
  /** `--node-command` as given (printed back in replay commands). */
  nodeCommand?: string;
}

/**
 * One row per run option: its command-line spec (name, old names, usage, help), how its raw
 * value is read into RunFlags, and how a RunFlags value is printed back. The parser, the usage
 * text, the run options and every replay command come from this table, in its order.
 */
interface RunOptionRow extends OptionSpec {
  read(raw: string | boolean | string[], flags: RunFlags): void;
  print(f: RunFlags): string[];
}

const ms = (name: string, min: number, max: number) => (raw: unknown) => optionalWholeNumber(raw as string, `--${name}`, min, max);

const ROWS: readonly RunOptionRow[] = [
  {
    name: 'seed', type: 'string', usage: '--seed S', help: 'seed for every random choice (default: random, printed)',
    read: (raw, f) => { f.seed = optionalWholeNumber(raw as string, '--seed', 0, 2 ** 32 - 1); },
    print: (f) => (f.seed !== undefined ? [`--seed ${f.seed}`] : []),
  },
  {
    name: 'runtime', type: 'string', usage: '--runtime R', help: 'auto | process | docker | sim (default auto: Docker if an engine answers)',
    read: (raw, f) => {
      if (!(RUNTIMES as readonly string[]).includes(raw as string)) throw new ConfigError(`--runtime must be one of ${RUNTIMES.join(', ')}, got "${raw}"${didYouMean(raw as string, RUNTIMES)}`);
      f.runtime = raw as string;
    },
    print: (f) => (f.runtime !== undefined ? [`--runtime ${f.runtime}`] : []),
  },
  {
    name: 'nodes', type: 'string', usage: '--nodes N', help: `cluster size, ${MIN_NODES} to ${MAX_NODES} (default: the scenario's)`,
    read: (raw, f) => { f.nodes = readNodes(raw as string, '--nodes'); },
    print: (f) => (f.nodes !== undefined ? [`--nodes ${f.nodes}`] : []),
  },
  {
    name: 'election-timeout', type: 'string', usage: '--election-timeout MIN-MAX',
    help: `election timeout range in ms (default: the scenario's, else ${ELECTION_DEFAULTS.electionTimeoutMin}-${ELECTION_DEFAULTS.electionTimeoutMax})`,
    read: (raw, f) => { f.electionTimeout = parseMsRange(raw as string, '--election-timeout'); },
    print: (f) => (f.electionTimeout ? [`--election-timeout ${f.electionTimeout[0]}-${f.electionTimeout[1]}`] : []),
  },
  {
    name: 'heartbeat-interval', type: 'string', aliases: ['heartbeat'], usage: '--heartbeat-interval MS',
    help: `leader heartbeat period (default ${ELECTION_DEFAULTS.heartbeatInterval})`,
    read: (raw, f) => { f.heartbeatInterval = ms('heartbeat-interval', 1, 60_000)(raw); },
    print: (f) => (f.heartbeatInterval !== undefined ? [`--heartbeat-interval ${f.heartbeatInterval}`] : []),
  },
  {
    name: 'rpc-timeout', type: 'string', usage: '--rpc-timeout MS', help: `node RPC deadline (default half the minimum timeout, at most\n100: ${ELECTION_DEFAULTS.rpcTimeout} for ${ELECTION_DEFAULTS.electionTimeoutMin}-${ELECTION_DEFAULTS.electionTimeoutMax}; longer is allowed: a reply held up\nby a slow link then still counts, as --triggers draws)`,
    read: (raw, f) => { f.rpcTimeout = ms('rpc-timeout', 1, 60_000)(raw); },
    print: (f) => (f.rpcTimeout !== undefined ? [`--rpc-timeout ${f.rpcTimeout}`] : []),
  },
  {
    name: 'pre-vote', type: 'boolean', usage: '--pre-vote / --no-pre-vote', help: 'Pre-Vote on or off (default on)',
    read: (raw, f) => { f.preVote = raw as boolean; },
    print: (f) => (f.preVote !== undefined ? [f.preVote ? '--pre-vote' : '--no-pre-vote'] : []),
  },
  {
    name: 'check-quorum', type: 'boolean', usage: '--check-quorum / --no-check-quorum', help: 'CheckQuorum on or off (default on)',
    read: (raw, f) => { f.checkQuorum = raw as boolean; },
    print: (f) => (f.checkQuorum !== undefined ? [f.checkQuorum ? '--check-quorum' : '--no-check-quorum'] : []),
  },
  {
    name: 'poll-interval', type: 'string', usage: '--poll-interval MS', help: 'status poll period per node (default 50 = 20 polls/s)',
    read: (raw, f) => { f.pollIntervalMs = ms('poll-interval', 5, 10_000)(raw); },
    print: (f) => (f.pollIntervalMs !== undefined ? [`--poll-interval ${f.pollIntervalMs}`] : []),
  },
  {
    name: 'toxiproxy-url', type: 'string', usage: '--toxiproxy-url URL', help: 'use this Toxiproxy instead of the embedded one',
    read: (raw, f) => {
      if (!/^https?:\/\/[^/]+/.test(raw as string)) throw new ConfigError(`--toxiproxy-url must be an http URL like http://127.0.0.1:8474, got "${raw}"`);
      f.toxiproxyUrl = raw as string;
    },
    print: (f) => (f.toxiproxyUrl ? [`--toxiproxy-url ${f.toxiproxyUrl}`] : []),
  },
  {
    name: 'report-dir', type: 'string', aliases: ['out'], usage: '--report-dir DIR', help: 'where run reports go (default reports/; must be writable)',
    read: (raw, f) => {
      checkWritableDir(raw as string, '--report-dir');
      f.reportDir = raw as string;
    },
    // Where reports go is not part of what a run does: replays never print it, so a history's
    // bytes do not depend on the directory it was written to.
    print: () => [],
  },
  {
    name: 'subject', type: 'string', usage: '--subject NAME|FILE',
    help: 'what runs in each node slot: raft-chaos (default, our node), course (the\ncourse protocol), or a subject file (docs/subjects.md)',
    // Resolved in readRunFlags, once --node-command is known too.
    read: () => {},
    print: (f) => {
      if (f.subject === undefined) return [];
      const [flag, value, ...rest] = subjectArgs(f.subject, f.nodeCommand);
      return [`${flag} ${quoteArg(value!)}`, ...(rest.length ? [`${rest[0]} ${quoteArg(rest[1]!)}`] : [])];
    },
  },
  {
    name: 'node-command', type: 'string', usage: '--node-command CMD',
    help: 'start each node with CMD (split into words, no shell; templates {id},\n{port}, {peers}, {dataDir}...; relative paths from where you run)',
    read: (raw, f) => { f.nodeCommand = raw as string; },
    print: () => [],
  },
  {
    name: 'bug', type: 'string', multiple: true, usage: '--bug NAME',
    help: `turn on a deliberate node bug (repeatable):\n${wrapList(BUG_NAMES)}`,
    read: (raw, f) => {
      const bugs = (raw as string[]).flatMap((b) => b.split(',')).filter(Boolean);
      for (const b of bugs) if (!isBugName(b)) throw new ConfigError(`--bug "${b}" is not a known bug${didYouMean(b, BUG_NAMES)}; known: ${BUG_NAMES.join(', ')}`);
      f.bugs = bugs;
    },
    print: (f) => (f.bugs ?? []).map((b) => `--bug ${b}`),
  },
  {
    name: 'disk', type: 'string', usage: '--disk MODE',
    help: 'test mode of our nodes\' disk: lossy (a kill loses what was not\nfsynced, as a power cut), sync-delay=MS (slow fsync); a,b',
    read: (raw, f) => {
      const mode = formatDiskMode(parseDiskMode(raw as string, '--disk'));
      if (mode !== 'real') f.disk = mode;
    },
    print: (f) => (f.disk !== undefined ? [`--disk ${f.disk}`] : []),
  },
];

/** The specs of the run options named (all, in table order, when none are named). */
export function runOptionSpecs(names?: readonly string[]): OptionSpec[] {
  const rows = names ? names.map((n) => row(n)) : ROWS;
  return rows.map(({ read: _r, print: _p, ...spec }) => spec);
}

/**
 * Reads the run options present in `values` (parseTable's, keyed by option name) into
 * RunFlags, each checked with a ConfigError naming the option and the bad value. `--report-dir`
 * is checked to be writable here, before anything runs.
 */
export function readRunFlags(values: Record<string, unknown>, names: readonly string[] = ROWS.map((r) => r.name)): RunFlags {
  const f: RunFlags = {};
  for (const n of names) {
    const raw = values[n];
    if (raw !== undefined) row(n).read(raw as string | boolean | string[], f);
  }
  if (names.includes('subject') && (values['subject'] !== undefined || values['node-command'] !== undefined)) {
    // Relative paths are the user's: npm runs scripts in the package root, INIT_CWD is where npm was run.
    const subject = resolveSubject(values['subject'] as string | undefined, {
      ...(f.nodeCommand !== undefined ? { nodeCommand: f.nodeCommand } : {}),
      cwd: process.env['INIT_CWD'] ?? process.cwd(),
    });
    if (subject.launch.kind === 'command') f.subject = subject;
    checkSubjectRuntime(f.subject, f.runtime);
  }
  return f;
}

/**
 * The one printer of run flags (replay commands, search commands): table order, only what is
 * set, never `--report-dir` (a replay reproduces the run, wherever its report goes).
 */
export function formatRunFlags(f: RunFlags): string[] {
  return ROWS.flatMap((r) => r.print(f));
}

/**
 * `--nodes`-style cluster size: a whole number from 3 to 15, with a message saying why fewer
 * than three is refused.
 */
export function readNodes(raw: string, name: string): number {
  if (/^\s*\d+\s*$/.test(raw) && Number(raw) < MIN_NODES) throw new ConfigError(`${name} ${Number(raw)}: ${tooFewNodes}`);
  return parseWholeNumber(raw, name, MIN_NODES, MAX_NODES);
}

/**
 * Refuses `--runtime sim` for a subject other than the project's own node (the simulation runs
 * our node's core on virtual time; it cannot run a command): ConfigError, exit 2.
 */
export function checkSubjectRuntime(subject: Subject | undefined, runtime: string | undefined): void {
  if (subject !== undefined && runtime === 'sim' && !subjectCapabilities(subject).simulated) {
    throw new ConfigError(
      `--runtime sim runs only the project's own node (raft-chaos), not subject ${subject.name}: use --runtime process (or docker with an image)`,
    );
  }
}

/** A shell word: as is when plain, else JSON-quoted. */
export function quoteArg(s: string): string {
  return /^[\w./-]+$/.test(s) ? s : JSON.stringify(s);
}

function row(name: string): RunOptionRow {
  const r = ROWS.find((x) => x.name === name);
  if (!r) throw new Error(`no run option --${name}`);
  return r;
}
