/**
 * The night's work as a fixed list of items (every chosen scenario on the night's runtime,
 * then the random searches cut into parts of a fixed size), and the share of it one shard of
 * `npm run nightly -- --shard K/N` runs: item i goes to shard (i mod N) + 1. The list depends
 * only on the night's options, never on N, so the same seed and N always give the same split,
 * and the union of the N shares is exactly the unsharded night.
 */
import { ConfigError } from '../../../common/src/errors.js';
import type { Scenario } from '../scenario/types.js';

/** Schedules per part of the simulated search (a search of at most this many is one part). */
export const SIM_PART = 500;
/** Schedules per part of the random search on the real runtime. */
export const REAL_PART = 5;

/** A named scenario, run once. `label` is the row the night's table and manifest show. */
export interface ScenarioItem {
  kind: 'scenario';
  label: string;
  scenario: Scenario;
}

/** One part of a random search: `runs` schedules from its own seed. */
export interface SearchItem {
  kind: 'search';
  label: string;
  /** Short name for the console line: `random` or `random on sim`. */
  tag: string;
  /** `sim` for the simulated search; the night's runtime for the other. */
  on: 'runtime' | 'sim';
  seed: number;
  runs: number;
  part: number;
  parts: number;
}

/** One unit of the night's work. */
export type NightItem = ScenarioItem | SearchItem;

/** Which share of the night one process runs: shard `k` of `n` (1-based). */
export interface Shard {
  k: number;
  n: number;
}

/** What the night is made of (the nightly's options, already validated). */
export interface NightOptions {
  scenarios: readonly Scenario[];
  seed: number;
  randomRuns: number;
  simRuns: number;
}

/**
 * The seed of part `part` (0-based) of a search whose night seed is `seed`: part 0 keeps the
 * night's seed (a search of one part replays as before); later parts get a 32-bit mix, so that
 * the next night's seed (date + 1) does not repeat tonight's second part.
 */
export function partSeed(seed: number, part: number): number {
  if (part === 0) return seed;
  let h = (seed ^ Math.imul(part, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

function searchParts(total: number, size: number, seed: number, on: SearchItem['on']): SearchItem[] {
  const parts = Math.ceil(total / size);
  const tag = on === 'sim' ? 'random on sim' : 'random';
  return Array.from({ length: parts }, (_, part) => {
    const runs = Math.min(size, total - part * size);
    const s = partSeed(seed, part);
    const label = parts === 1 ? `${tag} (${runs} schedules)` : `${tag} (${runs} schedules, part ${part + 1} of ${parts}, seed ${s})`;
    return { kind: 'search', label, tag, on, seed: s, runs, part, parts };
  });
}

/** Every item of the night, in the fixed order shards count in. Labels are unique. */
export function nightItems(o: NightOptions): NightItem[] {
  return [
    ...o.scenarios.map((scenario): ScenarioItem => ({ kind: 'scenario', label: scenario.name, scenario })),
    ...searchParts(o.randomRuns, REAL_PART, o.seed, 'runtime'),
    ...searchParts(o.simRuns, SIM_PART, o.seed, 'sim'),
  ];
}

/** The items shard `k` of `n` runs (all of them without a shard). */
export function shareOf<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, i) => i % shard.n === shard.k - 1);
}

/** Parses `--shard K/N` (1 ≤ K ≤ N ≤ 256); a ConfigError naming the bad value otherwise. */
export function parseShard(raw: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(raw);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 256 || k < 1 || k > n) {
    throw new ConfigError(`--shard must be K/N with 1 <= K <= N <= 256 (e.g. --shard 2/3), got "${raw}"`);
  }
  return { k, n };
}

/**
 * Takes `--shard K/N` (or `--shard=K/N`) out of the nightly's arguments: the shard (undefined
 * when not given) and the other arguments, for the nightly's own option parsing.
 */
export function takeShard(argv: readonly string[]): { shard: Shard | undefined; rest: string[] } {
  const rest: string[] = [];
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--shard' || a.startsWith('--shard=')) {
      if (raw !== undefined) throw new ConfigError('--shard given twice');
      raw = a === '--shard' ? argv[++i] : a.slice('--shard='.length);
      if (raw === undefined || raw.startsWith('--')) throw new ConfigError('--shard needs a value K/N (e.g. --shard 2/3)');
    } else rest.push(a);
  }
  return { shard: raw === undefined ? undefined : parseShard(raw), rest };
}

/**
 * The share of the night one shard runs, refusing a shard count larger than the night (such a
 * shard would have nothing to run, which the nightly counts as a failure).
 */
export function planNight(o: NightOptions, shard: Shard | undefined): { night: NightItem[]; mine: NightItem[] } {
  const night = nightItems(o);
  if (shard && shard.n > night.length) {
    throw new ConfigError(`--shard ${shard.k}/${shard.n}: the night has only ${night.length} item(s); use at most ${night.length} shards`);
  }
  return { night, mine: shareOf(night, shard) };
}

/** The `npm run scenario random ...` arguments of a search part. */
export function searchArgv(item: SearchItem, o: { runtime: string; reportDir: string; bugs: readonly string[] }): string[] {
  const bugs = o.bugs.flatMap((b) => ['--bug', b]);
  const common = ['--seed', String(item.seed), '--runs', String(item.runs), '--report-dir', o.reportDir];
  if (item.on === 'runtime') return ['random', ...common, '--runtime', o.runtime, '--log-level', 'warn', '--time-limit', '180', ...bugs];
  // In memory on virtual time; a failure is shrunk and replayed on processes (Docker when the night runs there).
  const replayOn = o.runtime === 'docker' ? 'docker' : 'process';
  return ['random', '--runtime', 'sim', ...common, '--replay-on', replayOn, '--time-limit', '300', ...bugs];
}
