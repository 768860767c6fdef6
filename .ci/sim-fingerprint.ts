/**
 * Prints one line per simulated run: scenario, seed and a SHA-256 of its history.jsonl.
 * Every named scenario on the simulated runtime for seeds 1..SEEDS (default 4), so a
 * refactor can show that simulated histories stay byte-identical: save the output before,
 * run again after, and `diff` the two.
 *
 *   node --import tsx .ci/sim-fingerprint.ts [seeds] > /tmp/fingerprint.txt
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../harness/src/runner/run-scenario.js';
import { scenarios } from '../scenarios/index.js';

const seeds = Number(process.argv[2] ?? 4);
const reportDir = mkdtempSync(join(tmpdir(), 'raft-chaos-fingerprint-'));
try {
  for (const scenario of scenarios) {
    for (let seed = 1; seed <= seeds; seed++) {
      const r = await runScenario(scenario, { runtime: 'sim', seed, reportDir, writeReport: false });
      const hash = createHash('sha256').update(readFileSync(join(r.dir, 'history.jsonl'))).digest('hex');
      console.log(`${scenario.name.padEnd(18)} s${seed}  ${r.verdict.padEnd(7)}  ${hash}`);
    }
  }
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
