/**
 * Runs one named scenario on the simulated runtime under seeds FROM..TO and counts the
 * verdicts, printing each run that was not valid with the checks that said so: the false-alarm
 * measure of a named scenario on the correct node (or, with --bug, how often it catches one).
 *
 *   node --import tsx .ci/scenario-seeds.ts <scenario> [--from 1] [--to 2000] [--nodes N] [--bug NAME]...
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runScenario } from '../harness/src/runner/run-scenario.js';
import { scenarios } from '../scenarios/index.js';

const { values: v, positionals } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string', default: '1' }, to: { type: 'string', default: '2000' }, nodes: { type: 'string' }, bug: { type: 'string', multiple: true } },
});
const scenario = scenarios.find((s) => s.name === positionals[0]);
const from = Number(v.from);
const to = Number(v.to);
const nodes = v.nodes === undefined ? undefined : Number(v.nodes);
if (scenario === undefined || !Number.isInteger(from) || !Number.isInteger(to) || from < 0 || to < from || (nodes !== undefined && !(Number.isInteger(nodes) && nodes >= 3 && nodes <= 15))) {
  console.error(`usage: scenario-seeds <scenario> [--from N] [--to N] [--nodes 3-15] [--bug NAME]...; known: ${scenarios.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const reportDir = mkdtempSync(join(tmpdir(), 'raft-chaos-scenario-seeds-'));
const counts = new Map<string, number>();
const started = Date.now();
try {
  for (let seed = from; seed <= to; seed++) {
    const r = await runScenario(scenario, { runtime: 'sim', seed, reportDir, writeReport: false, ...(nodes !== undefined ? { nodes } : {}), ...(v.bug ? { bugs: v.bug } : {}) });
    counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    if (r.verdict !== 'valid') console.log(`s${seed} ${r.verdict}: ${r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name} ${c.verdict}`).join(', ')}`);
    rmSync(r.dir, { recursive: true, force: true });
  }
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
console.log(`${scenario.name}${nodes !== undefined ? `, ${nodes} nodes` : ''}, seeds ${from}-${to}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
