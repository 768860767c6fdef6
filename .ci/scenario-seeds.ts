/**
 * Runs one named scenario on the simulated runtime under seeds FROM..TO and counts the
 * verdicts, printing each run that was not valid with the checks that said so: the false-alarm
 * measure of a named scenario on the correct node (or, with --bug, how often it catches one).
 * `--explore-config` gives each seed the node configuration the random search's
 * `--explore-config` would draw from it (size 3-7, Pre-Vote, CheckQuorum, timeout range,
 * heartbeat; random/config-arbitrary.ts) in place of the scenario's; `--keep-switches` keeps
 * the scenario's own Pre-Vote and CheckQuorum settings and draws only the rest.
 *
 *   node --import tsx .ci/scenario-seeds.ts <scenario> [--from 1] [--to 2000] [--nodes N]
 *        [--explore-config [--keep-switches]] [--bug NAME]...
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { clusterConfigArb, describeConfig } from '../harness/src/random/config-arbitrary.js';
import type { RunOptions } from '../harness/src/runner/options.js';
import { runScenario } from '../harness/src/runner/run-scenario.js';
import { scenarios } from '../scenarios/index.js';

const { values: v, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    from: { type: 'string', default: '1' },
    to: { type: 'string', default: '2000' },
    nodes: { type: 'string' },
    bug: { type: 'string', multiple: true },
    'explore-config': { type: 'boolean', default: false },
    'keep-switches': { type: 'boolean', default: false },
  },
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
    const options: RunOptions = { runtime: 'sim', seed, reportDir, writeReport: false, ...(nodes !== undefined ? { nodes } : {}), ...(v.bug ? { bugs: v.bug } : {}) };
    let drawn = '';
    if (v['explore-config']) {
      const c = fc.sample(clusterConfigArb(), { seed, numRuns: 1 })[0]!;
      const switches = v['keep-switches'] ? { preVote: scenario.preVote ?? true, checkQuorum: scenario.checkQuorum ?? true } : { preVote: c.preVote, checkQuorum: c.checkQuorum };
      Object.assign(options, { nodes: nodes ?? c.nodes, electionTimeout: c.electionTimeout, heartbeatInterval: c.heartbeatInterval, ...switches });
      drawn = ` (${describeConfig({ ...c, ...switches, nodes: options.nodes! })})`;
    }
    const r = await runScenario(scenario, options);
    counts.set(r.verdict, (counts.get(r.verdict) ?? 0) + 1);
    if (r.verdict !== 'valid') console.log(`s${seed}${drawn} ${r.verdict}: ${r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name} ${c.verdict}`).join(', ')}`);
    rmSync(r.dir, { recursive: true, force: true });
  }
} finally {
  rmSync(reportDir, { recursive: true, force: true });
}
console.log(`${scenario.name}${nodes !== undefined ? `, ${nodes} nodes` : ''}${v['explore-config'] ? `, configuration explored${v['keep-switches'] ? ' (its own Pre-Vote and CheckQuorum)' : ''}` : ''}, seeds ${from}-${to}: ${[...counts].map(([k, n]) => `${n} ${k}`).join(', ')} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
