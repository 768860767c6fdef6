/**
 * Prints one line per schedule of a simulated random search: its index, the configuration it
 * chose, the verdict, the checks that were not valid, and a SHA-256 of its history (the same
 * schedules and run seeds `npm run scenario random -- --runtime sim` tries, in its order, each
 * run once under its own seed; no shrinking). So a change to the runner or the node can show
 * which searched histories changed and how the verdicts moved: save the output before, run
 * again after, and compare (`--summary` prints only the counts and the unknown reasons).
 *
 *   node --import tsx .ci/sim-search-fingerprint.ts [--runs N] [--seed S] [--nodes N]
 *        [--explore-config] [--triggers] [--summary] > /tmp/search.txt
 */
import { createHash } from 'node:crypto';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { runScenario } from '../harness/src/runner/run-scenario.js';
import { resolveConstraints } from '../harness/src/random/constraints.js';
import { exploringScheduleArb, randomScheduleArb, type RandomSchedule } from '../harness/src/random/schedule-arbitrary.js';
import { toScenario } from '../harness/src/random/to-scenario.js';
import { describeConfig } from '../harness/src/random/config-arbitrary.js';
import { judgement } from '../harness/src/checkers/types.js';

const { values: v } = parseArgs({
  options: {
    runs: { type: 'string', default: '1000' },
    seed: { type: 'string', default: '1' },
    nodes: { type: 'string', default: '3' },
    'explore-config': { type: 'boolean', default: false },
    triggers: { type: 'boolean', default: false },
    summary: { type: 'boolean', default: false },
    /** Also count how this check judged the runs (ok, not judged, not applicable, invalid, unknown). */
    judged: { type: 'string' },
  },
});
const seed = Number(v.seed);
const nodes = Number(v.nodes);
const constraints = resolveConstraints({ nodes, triggers: v.triggers });
const arb: fc.Arbitrary<RandomSchedule> = v['explore-config'] ? exploringScheduleArb(constraints) : randomScheduleArb(constraints);
const schedules: RandomSchedule[] = [];
// The search's own order: fast-check's check with the same seed and numRuns (generation does not
// depend on the property's answers until one fails, and this property never fails).
fc.assert(fc.property(arb, (s) => void schedules.push(s) ?? true), { seed, numRuns: Number(v.runs) });

const counts = { valid: 0, invalid: 0, unknown: 0 };
const reasons = new Map<string, number>();
const judged = new Map<string, number>();
for (const [i, s] of schedules.entries()) {
  const scenario = toScenario(s.items, { seed, index: i + 1, nodes, ...(s.config ? { config: s.config } : {}) });
  const r = await runScenario(scenario, { runtime: 'sim', seed: s.runSeed, writeReport: false, writeHistory: false, ...(s.config ? {} : { nodes }) });
  const hash = createHash('sha256');
  for (const e of r.history) hash.update(`${JSON.stringify(e)}\n`);
  counts[r.verdict] += 1;
  const bad = r.results.filter((c) => c.verdict !== 'valid');
  for (const c of bad.filter((b) => b.verdict === 'unknown')) {
    // The reason without its times and node names, to count kinds of unknown.
    const kind = `${c.name}: ${c.message.replace(/\d+(\.\d+)?/g, '#').replace(/\bn#\b/g, 'n#').slice(0, 140)}`;
    reasons.set(kind, (reasons.get(kind) ?? 0) + 1);
  }
  const mine = v.judged === undefined ? undefined : r.results.find((c) => c.name === v.judged);
  if (mine) judged.set(judgement(mine), (judged.get(judgement(mine)) ?? 0) + 1);
  if (!v.summary) {
    const what = bad.map((c) => `${c.name}=${c.verdict}`).join(',') || '-';
    console.log(`${String(i + 1).padStart(5)} ${r.verdict.padEnd(7)} ${hash.digest('hex').slice(0, 16)} ${s.config ? describeConfig(s.config).replace(/ /g, '_') : `${nodes}_nodes`} ${what}`);
  }
}
console.log(`# ${schedules.length} schedules, seed ${seed}${v['explore-config'] ? ', configuration explored' : `, ${nodes} nodes`}${v.triggers ? ', triggers' : ''}: ${counts.valid} valid, ${counts.invalid} invalid, ${counts.unknown} unknown`);
if (v.judged !== undefined) console.log(`# ${v.judged}: ${[...judged].map(([k, n]) => `${n} ${k}`).join(', ') || 'not run'}`);
for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) console.log(`#   ${String(n).padStart(4)} ${k}`);
