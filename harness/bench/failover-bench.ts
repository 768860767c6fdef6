import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemorySink, Recorder } from '../src/history/index.js';
import type { NodeEventEntry } from '../src/history/types.js';
import { createPoller } from '../src/poller/index.js';
import { nodeSettings } from '../src/runtime/node-settings.js';
import { createProcessRuntime } from '../src/runtime/process/index.js';
import { expectedFailover } from '../src/sweep/expectation.js';
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
 * measures how long until a new leader, from the node events and from the polls.
 */
export async function measureFailovers(kills: number, pollIntervalMs = 50, seed = 1): Promise<FailoverRun> {
  const workDir = mkdtempSync(join(tmpdir(), 'rc-bench-failover-'));
  const memory = new MemorySink();
  const recorder = new Recorder({ sinks: [memory], monotonic: () => performance.now(), wall: () => Date.now() });
  const cluster = await createProcessRuntime().start({
    runId: `bench-${process.pid}-${pollIntervalMs}`,
    nodes: ['n1', 'n2', 'n3', 'n4', 'n5'],
    workDir,
    settings: nodeSettings({ seed }),
  });
  const poller = createPoller(cluster, { record: (e) => recorder.record(e), clock: recorder, intervalMs: pollIntervalMs });
  const electedMs: number[] = [];
  const settledMs: number[] = [];
  try {
    poller.start();
    for (let i = 0; i < kills; i++) {
      const old = await poller.leaderView.waitForSettledLeader(5000);
      await poller.flushEvents([old.node]);
      const killedAtWall = Date.now();
      const killedAt = recorder.now();
      await cluster.kill(old.node);
      const next = await poller.leaderView.waitForSettledLeader(5000, { exclude: old.node, afterTerm: old.term });
      settledMs.push(recorder.now() - killedAt);
      await poller.flushEvents();
      const won = memory.entries.find(
        (e): e is NodeEventEntry => e.type === 'node-event' && e.kind === 'become-leader' && e.node === next.node && e.term === next.term,
      );
      if (won) electedMs.push(won.wall - killedAtWall);
      await cluster.start(old.node);
      process.stdout.write(`\r  kill ${i + 1}/${kills}: new leader ${next.node} term ${next.term} `);
    }
    process.stdout.write('\n');
  } finally {
    await poller.stop().catch(() => undefined);
    await cluster.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const s = poller.stats();
  return { electedMs, settledMs, cpuMsPerPoll: s.cpuMsPerPoll, pollsPerNodePerSecond: s.pollsPerNodePerSecond };
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
