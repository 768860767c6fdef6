/**
 * The pure part of `npm run nightly -- --merge`: from the manifests of a night's shards, the
 * night's rows in its own order (an item whose shard is missing, or that its shard did not
 * run, is unknown), which shards are missing, and the night's verdict.
 */
import { ConfigError } from '../../../common/src/errors.js';
import { exitCodeFor, worstVerdict, type Verdict } from '../checkers/types.js';
import type { ManifestRow, NightManifest } from './manifest.js';

/** The night put back together. */
export interface MergedNight {
  seed: number;
  runtime: string;
  n: number;
  /** Shards (1-based) whose manifest was given. */
  present: number[];
  /** Shards no directory was given for: their items are unknown. */
  missing: number[];
  /** Every item of the night, in order, with the shard that owed it. */
  rows: Array<ManifestRow & { shard: number }>;
  /** Shards that were interrupted, with why. */
  interrupted: string[];
  verdict: Verdict;
  exitCode: 0 | 1 | 2;
}

const same = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/**
 * Merges the manifests of one night's shards. Manifests of different nights (seed, runtime,
 * shard count or item list differ) or two of one shard are a ConfigError: the merge would
 * not mean anything. A missing shard is not an error here: the night is then unknown.
 */
export function mergeManifests(manifests: readonly NightManifest[]): MergedNight {
  if (manifests.length === 0) throw new ConfigError('--merge needs at least one shard report directory');
  const first = manifests[0]!;
  const byShard = new Map<number, NightManifest>();
  for (const m of manifests) {
    const differs =
      m.seed !== first.seed ? `seed ${m.seed} vs ${first.seed}` :
      m.runtime !== first.runtime ? `runtime ${m.runtime} vs ${first.runtime}` :
      m.shard.n !== first.shard.n ? `${m.shard.n} shards vs ${first.shard.n}` :
      !same(m.night, first.night) ? 'their lists of items differ (other options)' : '';
    if (differs) throw new ConfigError(`--merge: shard ${m.shard.k}/${m.shard.n} and shard ${first.shard.k}/${first.shard.n} are not of the same night: ${differs}`);
    if (byShard.has(m.shard.k)) throw new ConfigError(`--merge: shard ${m.shard.k}/${m.shard.n} given twice`);
    byShard.set(m.shard.k, m);
  }
  const n = first.shard.n;
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !byShard.has(k));

  const rows = first.night.flatMap((label, i) => {
    const shard = (i % n) + 1;
    const m = byShard.get(shard);
    if (m?.skipped.includes(label)) return []; // not for this runtime: no row, as unsharded
    const unknown = (failed: string) => ({ scenario: label, verdict: 'unknown' as const, seconds: 0, failed, shard });
    if (!m) return [unknown(`not run: shard ${shard}/${n} is missing`)];
    const row = m.rows.find((r) => r.scenario === label);
    if (row) return [{ ...row, shard }];
    return [unknown(m.notRun.includes(label) ? `not run: shard ${shard}/${n} was interrupted` : `no result from shard ${shard}/${n}`)];
  });

  const interrupted = [...byShard.values()].filter((m) => m.interrupted).map((m) => `shard ${m.shard.k}/${n}: ${m.interrupted}`);
  // A shard that failed for a reason no row shows (it exited non-zero) still makes the night unknown.
  const shardTrouble = [...byShard.values()].some((m) => m.exitCode !== 0 && m.rows.every((r) => r.verdict === 'valid'));
  const verdict = worstVerdict([
    ...rows.map((r) => r.verdict),
    ...(missing.length > 0 || interrupted.length > 0 || shardTrouble || rows.length === 0 ? ['unknown' as const] : []),
  ]);
  return { seed: first.seed, runtime: first.runtime, n, present: [...byShard.keys()].sort((a, b) => a - b), missing, rows, interrupted, verdict, exitCode: exitCodeFor(verdict) };
}

/** The merged night as a Markdown summary (the table the nightly prints, with each row's shard). */
export function summaryMarkdown(m: MergedNight): string {
  const count = (v: Verdict) => m.rows.filter((r) => r.verdict === v).length;
  const lines = [
    `# raft-chaos nightly: ${m.verdict.toUpperCase()}`,
    '',
    `seed ${m.seed}, runtime ${m.runtime}, ${m.n} shard(s): ${m.present.length} merged${m.missing.length ? `, MISSING ${m.missing.map((k) => `${k}/${m.n}`).join(', ')}` : ''}`,
    '',
    '| scenario | shard | verdict | time | not valid |',
    '|---|---|---|---|---|',
    ...m.rows.map((r) => `| ${r.scenario} | ${r.shard}/${m.n} | ${r.verdict} | ${r.seconds.toFixed(1)} s | ${r.failed || '—'} |`),
    '',
    `nightly: ${m.rows.length} runs: ${count('valid')} valid, ${count('invalid')} invalid, ${count('unknown')} unknown`,
    ...m.interrupted.map((i) => `nightly: INTERRUPTED ${i}`),
    '',
  ];
  return lines.join('\n');
}
