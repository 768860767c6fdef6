import { ConfigError } from '../../../common/src/errors.js';
import { optionalDurationMs, optionalWholeNumber, parseMsRange } from '../../../common/src/cli-numbers.js';
import { parseTable, usageOf, type OptionSpec } from '../../../common/src/option-table.js';
import { checkWritableDir } from '../../../common/src/writable-dir.js';
import { ELECTION_DEFAULTS } from '../../../common/src/election-settings.js';
import { checkSubjectRuntime, readNodes, readRunFlags, runOptionSpecs } from '../runner/run-flags.js';
import type { Subject } from '../subject/types.js';
import { FAILOVER_BY, type FailoverBy } from '../faults/kinds/failovers.js';

/** One election timeout range of a sweep, in ms. */
export interface TimeoutRange {
  min: number;
  max: number;
}

/** The faults a sweep can remove the leader with: those of the `failovers` fault kind. */
export const SWEEP_FAULTS = FAILOVER_BY;
export type SweepFault = FailoverBy;

/** What `npm run sweep` was asked to do, every default filled. */
export interface SweepArgs {
  help: boolean;
  ranges: TimeoutRange[];
  nodes: number;
  trials: number;
  /** Heartbeat asked for; undefined: 50 ms, or less where a range's minimum needs it. */
  heartbeatMs?: number;
  runtime: 'process' | 'docker' | 'sim';
  /** One or more; each trial picks one with the seeded generator. */
  faults: SweepFault[];
  seed: number;
  /** Whole-sweep bound in ms (undefined: none). */
  timeLimitMs?: number;
  outDir: string;
  pollIntervalMs: number;
  /** Longest wait for a new leader per trial (undefined: derived from each range). */
  trialTimeoutMs?: number;
  /** What runs in each node slot (`--subject`, `--node-command`); absent: the project's own node. */
  subject?: Subject;
}

/** The shared run options by their one name (run-flags.ts), with the sweep's own defaults in the help. */
const shared = (name: string, help: string): OptionSpec => ({ ...runOptionSpecs([name])[0]!, help });

/** The sweep's options, in usage order: shared names from the run option table, the rest its own. */
const SPECS: readonly OptionSpec[] = [
  { name: 'election-timeout', type: 'string', usage: '--election-timeout LIST', help: 'comma-separated ranges in ms, e.g. 150-155,150-200,150-300 (required)' },
  shared('nodes', 'cluster size, 3 to 15 (default 5, as in the paper)'),
  { name: 'trials', type: 'string', usage: '--trials N', help: 'leader removals per range (default 100)' },
  shared('heartbeat-interval', `leader heartbeat (default ${ELECTION_DEFAULTS.heartbeatInterval}; lowered to a third of a range's\nminimum where that is not below it, since nodes refuse it;\nold name --heartbeat)`),
  shared('runtime', 'process | docker | sim (default process, not auto as elsewhere: a\nmeasurement must not change with whether a Docker engine answers)'),
  {
    name: 'fault', type: 'string', usage: '--fault F[,F...]',
    help: 'kill (kill -9, then restart) | isolate (then heal) | pause\n(SIGSTOP, then SIGCONT); several: each trial picks one (default kill)',
  },
  shared('seed', "seed of the nodes' timeouts, fault choices and gaps (default 1, not\nrandom as for a scenario: two sweeps differ only in what you change)"),
  { name: 'time-limit', type: 'string', usage: '--time-limit MS', help: 'stop after this long (ms, or with a unit: 90s, 10m); each range gets\nan equal share of what is left' },
  { name: 'trial-timeout', type: 'string', usage: '--trial-timeout MS', help: 'longest wait for a new leader per trial (default max(2000, 20 x max))' },
  shared('poll-interval', 'status poll period per node (default 25)'),
  shared('report-dir', 'where the results go (default reports/sweep-<time>; old name --out)'),
  ...runOptionSpecs(['subject', 'node-command']),
  { name: 'help', type: 'boolean', short: 'h', usage: '--help', help: 'this text' },
];

export const SWEEP_USAGE = `Usage: npm run sweep -- --election-timeout MIN-MAX[,MIN-MAX...] [options]

Repeatedly removes the leader of a cluster, once per election timeout range, and measures the
time to a new leader (the Raft paper's Figure 16). Writes a table, a chart page and raw data.

Options:
${usageOf(SPECS, 28)}
`;

/** Parses `150-155,150-300`; ConfigError naming the bad part. */
export function parseRanges(text: string): TimeoutRange[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new ConfigError(`--election-timeout: "${text}" has an empty range; give MIN-MAX[,MIN-MAX...], e.g. 150-155,150-300`);
  }
  const ranges = parts.map((p) => {
    const [min, max] = parseMsRange(p, '--election-timeout', { least: 2, most: 60_000 });
    return { min, max };
  });
  const seen = new Set<string>();
  for (const r of ranges) {
    const k = rangeLabel(r);
    if (seen.has(k)) throw new ConfigError(`--election-timeout: ${k} is given twice`);
    seen.add(k);
  }
  return ranges;
}

/** `150-300`. */
export function rangeLabel(r: TimeoutRange): string {
  return `${r.min}-${r.max}`;
}

/** The heartbeat a range runs with: the one asked for, else the default (50 ms), kept below the minimum. */
export function heartbeatFor(r: TimeoutRange, asked: number | undefined): { ms: number; note?: string } {
  if (asked !== undefined) return { ms: asked };
  const hb = ELECTION_DEFAULTS.heartbeatInterval;
  if (hb < r.min) return { ms: hb };
  const ms = Math.max(1, Math.floor(r.min / 3));
  return { ms, note: `heartbeat lowered to ${ms} ms (a third of the ${r.min} ms minimum; nodes refuse a heartbeat at or above it)` };
}

/** Parses and checks the command line; ConfigError with a message naming the option. */
export function parseSweepArgs(argv: readonly string[], now: () => Date = () => new Date()): SweepArgs {
  const values = parseTable(argv, SPECS, 'Run with --help for the options.').values as Record<string, string | undefined> & { help?: boolean };
  const stamp = now().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const defaults = { ranges: [], nodes: 5, trials: 100, runtime: 'process' as const, faults: ['kill' as const], seed: 1, outDir: `reports/sweep-${stamp}`, pollIntervalMs: 25 };
  if (values.help) return { help: true, ...defaults };
  if (values['election-timeout'] === undefined) throw new ConfigError('--election-timeout is required, e.g. --election-timeout 150-155,150-200,150-300');
  const ranges = parseRanges(values['election-timeout']);
  const heartbeatMs = optionalWholeNumber(values['heartbeat-interval'], '--heartbeat-interval', 1, 60_000);
  if (heartbeatMs !== undefined) {
    for (const r of ranges) {
      if (heartbeatMs >= r.min) throw new ConfigError(`--heartbeat-interval: ${heartbeatMs} ms is not below the minimum of ${rangeLabel(r)}; nodes refuse that (leave --heartbeat-interval out to adjust it per range)`);
    }
  }
  const runtime = values.runtime ?? 'process';
  if (runtime !== 'process' && runtime !== 'docker' && runtime !== 'sim') throw new ConfigError(`--runtime: "${runtime}" is not one of process, docker, sim`);
  const faults = (values.fault ?? 'kill').split(',').map((f) => f.trim());
  for (const f of faults) {
    if (!(SWEEP_FAULTS as readonly string[]).includes(f)) throw new ConfigError(`--fault: "${f}" is not one of ${SWEEP_FAULTS.join(', ')}`);
  }
  const timeLimitMs = optionalDurationMs(values['time-limit'], '--time-limit', 1000, 7 * 24 * 3_600_000);
  const reportDir = values['report-dir'];
  if (reportDir !== undefined) checkWritableDir(reportDir, '--report-dir');
  const trialTimeoutMs = optionalWholeNumber(values['trial-timeout'], '--trial-timeout', 10, 600_000);
  const { subject } = readRunFlags(values, ['subject', 'node-command']);
  checkSubjectRuntime(subject, runtime);
  return {
    ...(subject ? { subject } : {}),
    help: false,
    ranges,
    nodes: values.nodes !== undefined ? readNodes(values.nodes, '--nodes') : defaults.nodes,
    trials: optionalWholeNumber(values.trials, '--trials', 1, 100_000) ?? defaults.trials,
    ...(heartbeatMs !== undefined ? { heartbeatMs } : {}),
    runtime,
    faults: [...new Set(faults)] as SweepFault[],
    seed: optionalWholeNumber(values.seed, '--seed', 0, 2 ** 31) ?? defaults.seed,
    ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    ...(trialTimeoutMs !== undefined ? { trialTimeoutMs } : {}),
    pollIntervalMs: optionalWholeNumber(values['poll-interval'], '--poll-interval', 5, 1000) ?? defaults.pollIntervalMs,
    outDir: reportDir ?? defaults.outDir,
  };
}
