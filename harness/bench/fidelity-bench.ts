import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NodeEventEntry } from '../src/history/types.js';
import type { RunResult } from '../src/runner/conclude.js';
import { runScenario } from '../src/runner/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';
import { stats } from './failover-bench.js';

const RUNS = Number(process.env['FIDELITY_RUNS'] ?? 10);
const SCENARIO = process.env['FIDELITY_SCENARIO'] ?? 'partition-leader';

/** What one run says about timing: fault to new leader, and candidate to leader (one vote round trip). */
interface Timings {
  failoverMs: number[];
  voteRoundMs: number[];
}

/**
 * How closely the simulated runtime's timing follows real processes: FIDELITY_SCENARIO
 * (default partition-leader) FIDELITY_RUNS times (default 10, seeds 1..N) on the simulation
 * and on local processes, side by side. Prints the failover times (a fault that removes the
 * leader to a new leader, as the election-time checker measures them) and the vote round
 * (a node's become-candidate to its become-leader: one RequestVote round trip to a majority,
 * fsync of term and vote included), median and p99 on each runtime, and the gap.
 */
export async function benchFidelity(): Promise<void> {
  const scenario = await loadScenario(SCENARIO);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-fidelity-'));
  try {
    const sim: Timings = { failoverMs: [], voteRoundMs: [] };
    const proc: Timings = { failoverMs: [], voteRoundMs: [] };
    for (let seed = 1; seed <= RUNS; seed++) {
      add(sim, await runScenario(scenario, { runtime: 'sim', seed, writeReport: false, writeHistory: false, reportDir: dir }));
      add(proc, await runScenario(scenario, { runtime: 'process', seed, writeReport: false, reportDir: dir }));
    }
    const row = (label: string, a: number[], b: number[]) => {
      const s = stats(a);
      const p = stats(b);
      const f = (v: number) => `${v.toFixed(0)} ms`;
      console.log(
        `  ${label.padEnd(24)} sim median ${f(s.median).padStart(7)}, p99 ${f(s.p99).padStart(7)} (n=${s.n})   ` +
          `processes median ${f(p.median).padStart(7)}, p99 ${f(p.p99).padStart(7)} (n=${p.n})   gap in median ${(s.median - p.median).toFixed(0)} ms`,
      );
    };
    console.log(`  ${SCENARIO}, ${RUNS} runs each (seeds 1-${RUNS}):`);
    row('fault to new leader', sim.failoverMs, proc.failoverMs);
    row('candidate to leader', sim.voteRoundMs, proc.voteRoundMs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function add(t: Timings, r: RunResult): void {
  for (const f of r.summary.failovers) if (f.kind !== 'heal' && f.ms !== null) t.failoverMs.push(f.ms);
  const candidate = new Map<string, number>();
  for (const e of r.history) {
    if (e.type !== 'node-event') continue;
    const n = e as NodeEventEntry & { term: number; atMs: number };
    const key = `${n.node} ${n.term}`;
    if (n.kind === 'become-candidate') candidate.set(key, n.atMs);
    else if (n.kind === 'become-leader' && candidate.has(key)) t.voteRoundMs.push(n.atMs - candidate.get(key)!);
  }
}
