/**
 * `nightly.json`: what one nightly process (a shard, or the whole night as shard 1/1) was asked
 * to do and what it did. `npm run nightly -- --merge` reads it to know which items every shard
 * owed, which it ran, with what verdict, and which run directories are tonight's.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import type { Verdict } from '../checkers/types.js';
import type { Shard } from './plan.js';

/** The manifest's file name inside a report directory. */
export const MANIFEST = 'nightly.json';
const KIND = 'raft-chaos-nightly-shard';

/** One row of a night's table. */
export interface ManifestRow {
  /** The item's label (a scenario's name, or a search part's). */
  scenario: string;
  verdict: Verdict;
  seconds: number;
  /** Why not valid ('' when valid). */
  failed: string;
}

/** The content of `nightly.json`. */
export interface NightManifest {
  kind: typeof KIND;
  shard: Shard;
  seed: number;
  runtime: string;
  bugs: string[];
  /** Every item of the night, in order (the same list in every shard of one night). */
  night: string[];
  /** The items this shard owed. */
  items: string[];
  rows: ManifestRow[];
  /** Owed items that were not run (cut by Ctrl-C). */
  notRun: string[];
  /** Owed items that do not run on this runtime (no row, as in the unsharded table). */
  skipped: string[];
  interrupted?: string;
  /** The shard's own exit code. */
  exitCode: number;
  /** Run directories (children of the report directory) written by this night. */
  runs: string[];
  replay: string;
  startedAt: string;
  finishedAt: string;
}

/**
 * The children of `reportDir` written since `since` (epoch ms): the runs of tonight, whatever
 * older nights the directory also keeps.
 */
export function runsSince(reportDir: string, since: number): string[] {
  return readdirSync(reportDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && statSync(join(reportDir, d.name)).mtimeMs >= since)
    .map((d) => d.name)
    .sort();
}

/** Writes `<reportDir>/nightly.json`; returns its path. */
export function writeManifest(reportDir: string, m: Omit<NightManifest, 'kind'>): string {
  const file = join(reportDir, MANIFEST);
  writeFileSync(file, `${JSON.stringify({ kind: KIND, ...m }, null, 2)}\n`);
  return file;
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

/**
 * Reads the manifest of a shard's report directory. A directory that does not exist, or holds
 * no readable manifest, is a ConfigError naming it: it is not a shard's report directory.
 */
export function readManifest(dir: string): NightManifest {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new ConfigError(`--merge: "${dir}" is not a directory`);
  const file = join(dir, MANIFEST);
  if (!existsSync(file)) throw new ConfigError(`--merge: "${dir}" is not a nightly shard's report directory (it has no ${MANIFEST})`);
  let m: Record<string, unknown>;
  try {
    m = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (err) {
    throw new ConfigError(`--merge: ${file} is not valid JSON (${(err as Error).message})`);
  }
  const shard = m?.['shard'] as Record<string, unknown> | undefined;
  const ok =
    m?.['kind'] === KIND &&
    typeof shard?.['k'] === 'number' &&
    typeof shard?.['n'] === 'number' &&
    typeof m['seed'] === 'number' &&
    typeof m['runtime'] === 'string' &&
    isStrings(m['night']) &&
    isStrings(m['items']) &&
    isStrings(m['notRun']) &&
    isStrings(m['skipped']) &&
    isStrings(m['runs']) &&
    Array.isArray(m['rows']) &&
    typeof m['exitCode'] === 'number';
  if (!ok) throw new ConfigError(`--merge: ${file} is not a nightly shard manifest (kind "${KIND}" with shard, seed, night, items, rows, runs)`);
  return m as unknown as NightManifest;
}
