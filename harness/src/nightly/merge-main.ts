/**
 * `npm run nightly -- --merge DIR... [--report-dir OUT]`: puts the report directories of a
 * sharded night (each holding a shard's `nightly.json`) back together in OUT (default
 * `reports/`): every run directory of the night copied in, one `index.html` (with trends, as
 * for any report directory), one `junit.xml`, one summary (`nightly-summary.md`, printed, and
 * `nightly-merged.json`). Exits 0 when every item of every shard is valid, 1 when one is
 * invalid, 2 when one is unknown or a shard is missing, interrupted or failed; 2 as well for a
 * directory that is not a shard's.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../../../common/src/errors.js';
import { parseErrorText } from '../../../common/src/option-table.js';
import { escapeXml } from '../report/escape.js';
import { writeIndex } from '../report/index-page.js';
import { combineJUnit } from '../report/junit-combine.js';
import { readManifest } from './manifest.js';
import { mergeManifests, summaryMarkdown, type MergedNight } from './merge.js';

const USAGE = `Usage: npm run nightly -- --merge DIR... [--report-dir OUT]
  DIR...             the report directories of a night's shards (npm run nightly -- --shard K/N)
  --report-dir OUT   where the merged night goes (default reports/)
Exit code: 0 every item valid, 1 some item invalid, 2 some item unknown, a shard missing or
interrupted, or a DIR that is not a shard's report directory.`;

/** A JUnit suite with one errored test case: an item no shard reported on. */
function errorSuite(label: string, why: string): string {
  return (
    `<testsuite name="nightly" tests="1" failures="0" errors="1" skipped="0" time="0">\n` +
    `    <testcase classname="raft-chaos.nightly" name="${escapeXml(label)}" time="0">\n` +
    `      <error type="unknown" message="${escapeXml(why)}">${escapeXml(why)}</error>\n` +
    `    </testcase>\n  </testsuite>`
  );
}

/** What a merge wrote. */
export interface MergeOutput {
  night: MergedNight;
  /** Run directories copied into the output, by name there. */
  runs: string[];
  /** Runs a manifest names that its directory does not hold. */
  lost: string[];
  index: string;
  junit: string;
  summary: string;
}

/**
 * Merges the shard directories `dirs` into `outDir` (see the module comment). Throws a
 * ConfigError for a directory that is not a shard's, or shards of different nights.
 */
export async function mergeShardDirs(dirs: readonly string[], outDir: string): Promise<MergeOutput> {
  const manifests = dirs.map((d) => ({ dir: resolve(d), m: readManifest(d) }));
  const night = mergeManifests(manifests.map((x) => x.m));
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (err) {
    throw new ConfigError(`--report-dir: cannot create "${outDir}" (${(err as Error).message})`);
  }

  const runs: string[] = [];
  const lost: string[] = [];
  const junits: string[] = [];
  const used = new Set<string>();
  for (const { dir, m } of manifests) {
    for (const run of m.runs) {
      const src = join(dir, run);
      if (!existsSync(src)) {
        lost.push(`${run} (shard ${m.shard.k}/${m.shard.n})`);
        continue;
      }
      // Each item runs in one shard only, so names do not clash; should two runs share a
      // millisecond and a name all the same, the second keeps its shard in its name.
      const name = used.has(run) ? `${run}-shard${m.shard.k}` : run;
      used.add(name);
      const dest = join(outDir, name);
      if (resolve(src) !== resolve(dest)) cpSync(src, dest, { recursive: true, force: true });
      runs.push(name);
      const junit = join(dest, 'junit.xml');
      if (existsSync(junit)) junits.push(readFileSync(junit, 'utf8'));
    }
  }
  for (const r of night.rows) {
    if (r.verdict === 'unknown' && (r.failed.startsWith('not run') || r.failed.startsWith('no result'))) junits.push(errorSuite(r.scenario, r.failed));
  }
  const junit = join(outDir, 'junit.xml');
  writeFileSync(junit, combineJUnit(junits));
  const index = await writeIndex(outDir);
  const summary = join(outDir, 'nightly-summary.md');
  writeFileSync(summary, summaryMarkdown(night) + (lost.length ? `\nRuns named by a shard but missing from its directory: ${lost.join(', ')}\n` : ''));
  writeFileSync(join(outDir, 'nightly-merged.json'), `${JSON.stringify({ ...night, runs, lost }, null, 2)}\n`);
  return { night, runs, lost, index: index.file, junit, summary };
}

/** The `--merge` command line: merges, prints the summary, returns the exit code. */
export async function mergeMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { merge: { type: 'boolean' }, 'report-dir': { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new ConfigError(`${parseErrorText(err, ['merge', 'report-dir', 'help'])} (with --merge only DIR... and --report-dir are taken)\n${USAGE}`, { cause: err });
  }
  if (parsed.values.help) {
    console.log(USAGE);
    return 0;
  }
  if (parsed.positionals.length === 0) throw new ConfigError(`--merge needs the shards' report directories\n${USAGE}`);
  const out = resolve(parsed.values['report-dir'] ?? 'reports');
  const r = await mergeShardDirs(parsed.positionals, out);
  console.log(readFileSync(r.summary, 'utf8').trimEnd());
  const rel = (f: string) => relative(process.cwd(), f) || '.';
  console.log(`\nmerged: ${r.runs.length} run directories from ${r.night.present.length} of ${r.night.n} shard(s) into ${rel(out)}`);
  if (r.night.missing.length) console.log(`nightly: shard(s) ${r.night.missing.map((k) => `${k}/${r.night.n}`).join(', ')} MISSING: their items are unknown`);
  if (r.lost.length) console.log(`nightly: ${r.lost.length} run director(ies) named by a manifest are missing: ${r.lost.join(', ')}`);
  console.log(`index:  ${rel(r.index)}\njunit:  ${rel(r.junit)}\nsummary: ${rel(r.summary)}`);
  return r.night.exitCode;
}
