import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { checkAll, defaultCheckers } from '../src/checkers/index.js';
import type { RunStartEntry } from '../src/history/types.js';
import { compileSchedule, randomScheduleArb, type RandomSchedule } from '../src/random/schedule-arbitrary.js';
import { searchRandom } from '../src/random/search.js';
import { SIM_ROBUSTNESS } from '../src/random/seed-rate.js';
import { SAFETY_CHECKS } from '../src/checkers/compose.js';
import { countingOnly, createSimRunOne } from '../src/random/sim-run-one.js';
import type { Scenario } from '../src/scenario/types.js';
import { runScenario } from '../src/runner/run-scenario.js';
import { defaultWorkers, simWorkerPool } from '../src/random/workers.js';

const NODES = 5;
const SCHEDULES = Number(process.env['SIM_BENCH_RUNS'] ?? 100);
/** The issue's goal: simulated time at least 1000x wall time. */
const GOAL = 1000;

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const x = (v: number) => `${Math.round(v).toLocaleString('en-US')}x`;

/**
 * The simulated runtime's speed: SIM_BENCH_RUNS (default 100) random fault schedules on a
 * 5-node cluster (the random search's arbitraries), each a full simulated run (virtual time
 * from setup to teardown, polls and events recorded in memory) checked by every checker.
 * Measured twice, side by side: the first batch in a fresh process (the JIT still compiling,
 * what a short search sees) and a second batch of other schedules right after (the steady
 * state of a search over thousands of schedules). Prints simulated time / wall time for the
 * simulation alone and with checks, per CPU ms too (the host may be shared), and schedules
 * checked per second. Then the random search itself (`npm run scenario random -- --runtime
 * sim`) with `vote-twice` on 3 nodes: time to the first violation and to its minimal schedule.
 *
 * Each history is checked exactly once, and timed on its own: the scenario skips every checker
 * (`skipChecks`), so runScenario's own check is empty, and the bench runs `checkAll` with
 * the default checkers on the history right after. Simulation + checks is the sum of the two.
 */
export async function benchSim(): Promise<void> {
  const arb = randomScheduleArb({ nodes: NODES });
  const [cold, warm] = [fc.sample(arb, { seed: 42, numRuns: SCHEDULES }), fc.sample(arb, { seed: 43, numRuns: SCHEDULES })];
  const a = await measure(cold!);
  const b = await measure(warm!);
  const line = (label: string, f: (m: Batch) => string) => console.log(`  ${label.padEnd(22)} ${f(a).padEnd(34)} ${f(b)}`);
  console.log(`  ${SCHEDULES} random schedules, ${NODES} nodes, each batch:  first batch (cold JIT)            second batch (warm)`);
  line('simulated / wall', (m) => `${(m.virtualMs / 1000).toFixed(0)} s in ${(m.wallMs / 1000).toFixed(2)} s (${(m.cpuMs / 1000).toFixed(2)} s CPU)`);
  line('history entries', (m) => `${m.entries.toLocaleString('en-US')}, ${m.invalid} invalid`);
  line('simulation alone', (m) => `${x(m.virtualMs / m.simWallMs)} real time`);
  line('simulation + checks', (m) => `${x(m.virtualMs / m.wallMs)} real time (${x(m.virtualMs / m.cpuMs)} per CPU ms)`);
  line('checks share of wall', (m) => `${((100 * m.checkWallMs) / m.wallMs).toFixed(0)}%`);
  line('schedules checked', (m) => `${(SCHEDULES / (m.wallMs / 1000)).toFixed(1)} per second`);
  console.log(`  goal: ${x(GOAL)} real time with checks: ${b.virtualMs / b.wallMs >= GOAL ? 'met' : 'NOT met'} warm, ${a.virtualMs / a.wallMs >= GOAL ? 'met' : 'not met'} cold`);

  // The search as the CLI runs it: every schedule in memory, failures judged under 10 seeds.
  const sim = createSimRunOne({ options: { nodes: 3, bugs: ['vote-twice'] }, minimalFile: 'bench-minimal.json', reportConfirm: false });
  const t0 = performance.now();
  let first: { at: number; schedule: number } | undefined;
  const found = await searchRandom(
    {
      seed: 1,
      runs: 2000,
      constraints: { nodes: 3 },
      robustness: SIM_ROBUSTNESS,
      maxShrinks: 200,
      confirmRuns: 1,
      greedyTries: 1,
      onRun: (e) => {
        if (e.record?.verdict === 'invalid' && e.phase === 'search') first ??= { at: performance.now() - t0, schedule: e.counts.runs };
      },
    },
    countingOnly(sim, [...SAFETY_CHECKS]),
  );
  const f = found.failure;
  console.log(
    `  vote-twice search:     ${first ? `first violation at schedule ${first.schedule}, ${(first.at / 1000).toFixed(2)} s; ` : 'no violation; '}` +
      `${f ? `minimal schedule (${f.minimize.steps.length} step(s), fails under ${f.minimize.rate?.failed} of ${f.minimize.rate?.tried} seeds) at ${(found.elapsedMs / 1000).toFixed(2)} s, ` : 'NOT FOUND, '}` +
      `after ${found.counts.runs} schedules (${found.counts.weak ?? 0} failing under too few seeds), ${x(sim.simulatedMs() / found.elapsedMs)} real time`,
  );
  await benchWorkers();
}

/** Schedules of the workers line (SIM_BENCH_WORKER_RUNS, default 600). */
const WORKER_RUNS = Number(process.env['SIM_BENCH_WORKER_RUNS'] ?? 600);

/**
 * The simulated search on the correct node (3 nodes, every check, failures judged under 10
 * seeds, as `npm run scenario random -- --runtime sim` runs it) with 1 worker (this thread) and
 * with 2 worker threads, on the same seed: schedules per second, wall and CPU, and whether the
 * two found the same (they must: same counts). With 2, this thread is one of them and one
 * worker thread is started; its start-up (loading the harness through tsx, a cold JIT) is
 * included in the 2-worker figure, while this thread is warm from the batches above. CPU is
 * the process's, every thread included.
 */
export async function benchWorkers(): Promise<void> {
  const cores = defaultWorkers();
  const line: string[] = [];
  const counts: string[] = [];
  for (const workers of [1, 2]) {
    const sim = createSimRunOne({ options: { nodes: 3 }, minimalFile: 'bench-minimal.json', reportConfirm: false });
    const pool = workers > 1 ? simWorkerPool(workers, { options: { nodes: 3 }, robustness: SIM_ROBUSTNESS }, undefined, sim) : undefined;
    const cpu0 = cpuMs();
    const t0 = performance.now();
    try {
      const r = await searchRandom({ seed: 7, runs: WORKER_RUNS, constraints: { nodes: 3 }, robustness: SIM_ROBUSTNESS, maxShrinks: 0, confirmRuns: 1, ...(pool ? { prefetch: pool } : {}) }, sim);
      const wall = performance.now() - t0;
      counts.push(JSON.stringify(r.counts));
      line.push(`${workers} worker${workers > 1 ? 's' : ''}: ${(r.counts.runs / (wall / 1000)).toFixed(1)} schedules/s (${r.counts.runs} in ${(wall / 1000).toFixed(1)} s, ${((cpuMs() - cpu0) / 1000).toFixed(1)} s CPU, all threads)`);
    } finally {
      await pool?.close();
    }
  }
  console.log(`  search, correct node:  ${line.join('   ')}; ${cores} core(s); ${counts[0] === counts[1] ? 'same counts' : `DIFFERENT counts ${counts.join(' vs ')}`}`);
}

interface Batch {
  virtualMs: number;
  simWallMs: number;
  checkWallMs: number;
  wallMs: number;
  cpuMs: number;
  entries: number;
  invalid: number;
}

async function measure(schedules: readonly RandomSchedule[]): Promise<Batch> {
  const m: Batch = { virtualMs: 0, simWallMs: 0, checkWallMs: 0, wallMs: 0, cpuMs: 0, entries: 0, invalid: 0 };
  const wall0 = performance.now();
  const cpu0 = cpuMs();
  for (const s of schedules) {
    const t0 = performance.now();
    const r = await runScenario(scenarioOf(compileSchedule(s.items)), { runtime: 'sim', seed: s.runSeed, writeReport: false, writeHistory: false });
    const t1 = performance.now();
    const start = r.history[0] as RunStartEntry;
    const checked = checkAll(r.history, { nodes: start.nodes, config: start.config }, defaultCheckers);
    m.simWallMs += t1 - t0;
    m.checkWallMs += performance.now() - t1;
    m.virtualMs += r.summary.durationMs;
    m.entries += r.history.length;
    if (checked.verdict === 'invalid') m.invalid++;
  }
  m.wallMs = performance.now() - wall0;
  m.cpuMs = cpuMs() - cpu0;
  return m;
}

/** Checking is the bench's own (once, timed apart): the run itself skips every checker. */
const SKIP_ALL_CHECKS: Readonly<Record<string, string>> = Object.fromEntries(defaultCheckers.map((c) => [c.name, 'checked and timed by the bench']));

function scenarioOf(steps: ReturnType<typeof compileSchedule>): Scenario {
  return { name: 'sim-bench', description: 'random schedule for the simulation benchmark', nodes: NODES, steps, skipChecks: SKIP_ALL_CHECKS };
}
