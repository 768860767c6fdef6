import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ELECTION_DEFAULTS } from '../../common/src/election-settings.js';
import type { HistoryEntry } from '../src/history/types.js';
import type { PollerStats } from '../src/poller/poller-stats.js';
import type { Scenario } from '../src/scenario/types.js';
import { runScenario } from '../src/runner/run-scenario.js';
import { expectedFailover } from '../src/sweep/expectation.js';
import { sweepScenario } from '../src/sweep/sweep.js';
import { trialsFromHistory } from '../src/sweep/trials.js';
import { PAPER_FIGURE_16 } from '../src/sweep/paper.js';
import { summarize } from '../src/sweep/stats.js';

/** The Raft paper's Figure 16 (5 servers, 150-300 ms): median and p99 time to a new leader. */
export const PAPER_150_300 = { medianMs: PAPER_FIGURE_16['150-300']!.medianMs!, p99Ms: PAPER_FIGURE_16['150-300']!.p99Ms! } as const;

/** min, median, p99, max of some numbers (nearest-rank percentiles); see harness/src/sweep/stats.ts. */
export function stats(xs: readonly number[]): { n: number; min: number; median: number; p99: number; max: number } {
  const { n, min, median, p99, max } = summarize(xs);
  return { n, min, median, p99, max };
}

/** What the timeouts alone predict (no split votes); now in harness/src/sweep/expectation.ts. */
export { expectedFailover };

interface FailoverRun {
  /** Crash to the new leader's `become-leader` event (the node's own clock). */
  electedMs: number[];
  /** Crash to a settled leader seen by the harness's polls. */
  settledMs: number[];
  cpuMsPerPoll: number;
  pollsPerNodePerSecond: number;
}

/**
 * Kills the leader of a 5-node process cluster `kills` times (restarting it each time) and
 * measures how long until a new leader, from the node events and from the polls. The trials are
 * the sweep's (`sweepScenario` run by `runScenario`, read back by `trialsFromHistory`: a seeded
 * U(0, heartbeat) before each kill, a settle after each restart); this adds the poller's cost
 * (the run's `poller overhead` note).
 */
export async function measureFailovers(kills: number, pollIntervalMs = 50, seed = 1): Promise<FailoverRun> {
  const scenario = killLeaderTrials(5, kills, 5000);
  const reportDir = mkdtempSync(join(tmpdir(), 'rc-failover-bench-'));
  try {
    const run = await runScenario(scenario, { runtime: 'process', seed, pollIntervalMs, reportDir, writeReport: false });
    if (run.error) throw run.error;
    const trials = trialsFromHistory(run.history);
    const failed = trials.filter((t) => t.outcome !== 'ok');
    if (failed.length > 0 || trials.length < kills) {
      throw new Error(`${failed.length} of ${trials.length} kills (of ${kills}) found no new leader within 5 s: ${failed[0]?.detail ?? failed[0]?.outcome ?? 'the run stopped early'}`);
    }
    const s = pollerStatsOf(run.history);
    return {
      electedMs: trials.flatMap((t) => (t.electedMs === null ? [] : [t.electedMs])),
      settledMs: trials.flatMap((t) => (t.settledMs === null ? [] : [t.settledMs])),
      cpuMsPerPoll: s?.cpuMsPerPoll ?? NaN,
      pollsPerNodePerSecond: s?.pollsPerNodePerSecond ?? NaN,
    };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/** The sweep's trials with the default timers (150-300 ms, 50 ms heartbeat): `kills` kill -9s of the leader of `nodes` nodes, each waiting at most `withinMs`. */
export function killLeaderTrials(nodes: number, kills: number, withinMs: number): Scenario {
  const d = ELECTION_DEFAULTS;
  return sweepScenario({
    range: { min: d.electionTimeoutMin, max: d.electionTimeoutMax },
    nodes,
    trials: kills,
    faults: ['kill'],
    heartbeatMs: d.heartbeatInterval,
    rpcTimeoutMs: d.rpcTimeout,
    trialTimeoutMs: withinMs,
    settleMs: Math.max(300, 2 * d.electionTimeoutMax),
  });
}

/** The poller's own cost, as the run noted it at its end (`poller overhead`); undefined on a testbed without a poller. */
export function pollerStatsOf(history: readonly HistoryEntry[]): PollerStats | undefined {
  const overhead = history.find((e) => e.type === 'note' && e.message === 'poller overhead');
  return (overhead?.type === 'note' ? overhead.data : undefined) as PollerStats | undefined;
}

const fmt = (s: ReturnType<typeof stats>) =>
  `n=${s.n}  min ${s.min.toFixed(0)}  median ${s.median.toFixed(0)}  p99 ${s.p99.toFixed(0)}  max ${s.max.toFixed(0)} ms`;

/** `npm run bench -- failover`: failover over FAILOVER_KILLS (default 50) leader kills, and the poller's cost. */
export async function benchFailover(): Promise<void> {
  const kills = Number(process.env.FAILOVER_KILLS ?? 50);
  console.log(`5 nodes on processes, election timeout 150-300 ms, heartbeat 50 ms, ${kills} leader kills (kill -9)`);
  const run = await measureFailovers(kills, 50);
  const expect = expectedFailover(5, 150, 300, 50);
  const e = stats(run.electedMs);
  console.log(`  crash -> new leader elected (node events): ${fmt(e)}`);
  console.log(`  crash -> settled leader seen by polls:     ${fmt(stats(run.settledMs))}`);
  console.log(`  expected from the timeouts alone:          ${fmt(expect)}`);
  console.log(`  Raft paper, Figure 16 (150-300 ms):        median ${PAPER_150_300.medianMs}  p99 ${PAPER_150_300.p99Ms} ms`);
  const meets = e.median <= PAPER_150_300.medianMs && e.p99 <= PAPER_150_300.p99Ms;
  console.log(`  goal (median and p99 no worse than the paper's): ${meets ? 'met' : 'NOT met'}`);
  console.log(
    `  poller: ${run.pollsPerNodePerSecond.toFixed(1)} polls/node/s, ${(run.cpuMsPerPoll * 1000).toFixed(0)} µs CPU per poll (whole harness process)`,
  );
  const halfKills = Math.max(10, Math.round(kills / 2));
  console.log(`poll interval halved (25 ms), ${halfKills} kills:`);
  const half = await measureFailovers(halfKills, 25, 2);
  const h = stats(half.electedMs);
  console.log(`  crash -> new leader elected (node events): ${fmt(h)}`);
  console.log(
    `  poller: ${half.pollsPerNodePerSecond.toFixed(1)} polls/node/s, ${(half.cpuMsPerPoll * 1000).toFixed(0)} µs CPU per poll; median failover ${h.median.toFixed(0)} vs ${e.median.toFixed(0)} ms at 50 ms (${(((h.median - e.median) / e.median) * 100).toFixed(0)}%)`,
  );
}
