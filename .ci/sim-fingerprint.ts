/**
 * Prints one line per simulated run: scenario, seed and a SHA-256 of its history.jsonl.
 * Every named scenario on the simulated runtime for seeds 1..SEEDS (default 4), so a
 * refactor can show that simulated histories stay byte-identical: save the output before,
 * run again after, and `diff` the two.
 *
 *   node --import tsx .ci/sim-fingerprint.ts [seeds] > /tmp/fingerprint.txt
 *   node --import tsx .ci/sim-fingerprint.ts [seeds] --without delivery   # hashes without entries of that type
 *
 * `--without TYPE` (repeatable) drops the history lines of that entry type before hashing: a
 * change that adds a kind of record (the simulated runtime's `delivery` entries) shows that
 * nothing else changed, against a fingerprint taken before it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../harness/src/runner/run-scenario.js';
import { scenarios } from '../scenarios/index.js';

const args = process.argv.slice(2);
const without = new Set<string>();
for (let i = args.indexOf('--without'); i >= 0; i = args.indexOf('--without')) {
  const type = args[i + 1];
  if (type === undefined) {
    console.error('--without needs an entry type, e.g. --without delivery');
    process.exit(2);
  }
  without.add(type);
  args.splice(i, 2);
}
const seeds = Number(args[0] ?? 4);
/** The history's text without the lines of the types in `without`. */
const hashed = (text: string): string =>
  without.size === 0 ? text : text.split('\n').filter((line) => !without.has((JSON.parse(line || '{}') as { type?: string }).type ?? '')).join('\n');
const reportDir = mkdtempSync(join(tmpdir(), 'raft-chaos-fingerprint-'));
try {
  for (const scenario of scenarios) {
    for (let seed = 1; seed <= seeds; seed++) {
      const r = await runScenario(scenario, { runtime: 'sim', seed, reportDir, writeReport: false });
      const hash = createHash('sha256').update(hashed(readFileSync(join(r.dir, 'history.jsonl'), 'utf8'))).digest('hex');
      console.log(`${scenario.name.padEnd(18)} s${seed}  ${r.verdict.padEnd(7)}  ${hash}`);
    }
  }
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
