/**
 * The night's work as a fixed list of items (every chosen scenario on the night's runtime,
 * then the random searches cut into parts of a fixed size), and the share of it one shard of
 * `npm run nightly -- --shard K/N` runs: item i goes to shard (i mod N) + 1. The list depends
 * only on the night's options, never on N, so the same seed and N always give the same split,
 * and the union of the N shares is exactly the unsharded night.
 */
import { ConfigError } from '../../../common/src/errors.js';
import { checkNodesFit } from '../scenario/node-refs.js';
import type { Scenario } from '../scenario/types.js';

/** Schedules per part of the simulated search (a search of at most this many is one part). */
export const SIM_PART = 500;
/** Schedules per part of the random search on the real runtime. */
export const REAL_PART = 5;

/**
 * A named scenario, run once (on `nodes` nodes when the night lists sizes, else on its own
 * size). `label` is the row the night's table and manifest show.
 */
export interface ScenarioItem {
  kind: 'scenario';
  label: string;
  scenario: Scenario;
  nodes?: number;
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
  /** Cluster sizes to run every scenario on (`--sizes 3,5,7`); none: each scenario's own. */
  sizes?: readonly number[];
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

/** Why `scenario` cannot run on `size` nodes (it names a node beyond them), or null. */
export function sizeMisfit(scenario: Scenario, size: number): string | null {
  try {
    checkNodesFit(scenario, Array.from({ length: size }, (_, i) => `n${i + 1}`), `--sizes ${size}`);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The scenario items: each scenario, or each scenario on each size it fits. */
function scenarioItems(o: NightOptions): ScenarioItem[] {
  if (!o.sizes?.length) return o.scenarios.map((scenario) => ({ kind: 'scenario', label: scenario.name, scenario }));
  return o.scenarios.flatMap((scenario) =>
    o.sizes!.filter((nodes) => !sizeMisfit(scenario, nodes)).map((nodes): ScenarioItem => ({ kind: 'scenario', label: `${scenario.name} (${nodes} nodes)`, scenario, nodes })),
  );
}

/** The scenario-and-size pairs of the night left out because the scenario does not fit the size. */
export function misfits(o: NightOptions): string[] {
  return o.scenarios.flatMap((s) => (o.sizes ?? []).filter((n) => sizeMisfit(s, n)).map((n) => `${s.name} (${n} nodes)`));
}

/**
 * Every item of the night, in the fixed order shards count in: scenarios (by scenario, then
 * size), then the search parts. Labels are unique.
 */
export function nightItems(o: NightOptions): NightItem[] {
  return [
    ...scenarioItems(o),
    ...searchParts(o.randomRuns, REAL_PART, o.seed, 'runtime'),
    ...searchParts(o.simRuns, SIM_PART, o.seed, 'sim'),
  ];
}

/** The items shard `k` of `n` runs (all of them without a shard). */
export function shareOf<T>(items: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, i) => i % shard.n === shard.k - 1);
}

/**
 * The share of the night one shard runs (and the scenario-size pairs left out), refusing a shard count larger than the night (such a
 * shard would have nothing to run, which the nightly counts as a failure).
 */
export function planNight(o: NightOptions, shard: Shard | undefined): { night: NightItem[]; mine: NightItem[]; misfits: string[] } {
  const night = nightItems(o);
  if (shard && shard.n > night.length) {
    throw new ConfigError(`--shard ${shard.k}/${shard.n}: the night has only ${night.length} item(s); use at most ${night.length} shards`);
  }
  return { night, mine: shareOf(night, shard), misfits: misfits(o) };
}

/** The `npm run scenario random ...` arguments of a search part. */
export function searchArgv(item: SearchItem, o: { runtime: string; reportDir: string; bugs: readonly string[]; subject?: readonly string[] }): string[] {
  // A subject's words (`--subject X --node-command Y`) go with the bugs to every search.
  const bugs = [...o.bugs.flatMap((b) => ['--bug', b]), ...(o.subject ?? [])];
  const common = ['--seed', String(item.seed), '--runs', String(item.runs), '--report-dir', o.reportDir];
  if (item.on === 'runtime') return ['random', ...common, '--runtime', o.runtime, '--log-level', 'warn', '--time-limit', '180s', ...bugs];
  // In memory on virtual time; a failure is shrunk and replayed on processes (Docker when the night runs there).
  const replayOn = o.runtime === 'docker' ? 'docker' : 'process';
  return ['random', '--runtime', 'sim', ...common, '--replay-on', replayOn, '--time-limit', '300s', ...bugs];
}
