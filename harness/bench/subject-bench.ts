import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runScenario } from '../src/runner/run-scenario.js';
import { resolveSubject } from '../src/subject/resolve.js';
import type { Subject } from '../src/subject/types.js';
import { trialsFromHistory } from '../src/sweep/trials.js';
import { killLeaderTrials, pollerStatsOf, stats } from './failover-bench.js';

const REPO = resolve(import.meta.dirname, '../..');

interface SubjectRun {
  settledMs: number[];
  cpuMsPerPoll: number;
  pollsPerNodePerSecond: number;
  okShare: number;
}

/**
 * Kills the settled leader of a 3-node process cluster of `subject` (absent: our node) `kills`
 * times, restarting it each time, and measures crash -> settled leader seen by the polls, and
 * the poller's cost: for a status-only subject that is all the harness has. The kills are the
 * sweep's trials (`sweepScenario` run by `runScenario`, read back by `trialsFromHistory`).
 */
export async function measureSubjectFailovers(subject: Subject | undefined, kills: number, seed = 1): Promise<SubjectRun> {
  const scenario = killLeaderTrials(3, kills, 10_000);
  const reportDir = mkdtempSync(join(tmpdir(), 'rc-bench-subject-'));
  try {
    const run = await runScenario(scenario, { runtime: 'process', seed, pollIntervalMs: 50, reportDir, writeReport: false, ...(subject ? { subject } : {}) });
    if (run.error) throw run.error;
    const trials = trialsFromHistory(run.history);
    const settledMs = trials.flatMap((t) => (t.settledMs === null ? [] : [t.settledMs]));
    if (settledMs.length < kills) throw new Error(`${kills - settledMs.length} of ${kills} kills found no new leader within 10 s: ${trials.find((t) => t.outcome !== 'ok')?.detail ?? 'the run stopped early'}`);
    const s = pollerStatsOf(run.history);
    const polls = run.history.filter((e) => e.type === 'poll');
    const ok = polls.filter((e) => e.type === 'poll' && e.outcome === 'ok').length;
    return { settledMs, cpuMsPerPoll: s?.cpuMsPerPoll ?? NaN, pollsPerNodePerSecond: s?.pollsPerNodePerSecond ?? NaN, okShare: polls.length ? ok / polls.length : 0 };
  } finally {
    rmSync(reportDir, { recursive: true, force: true });
  }
}

/**
 * `npm run bench -- subject`: crash -> settled leader (polls) and the poller's cost on our node
 * beside the course chapter's TypeScript node read through its status map with no events
 * (examples/subjects/course-node-ts.json: the same 150-300 ms / 50 ms timers). SUBJECT_KILLS, default 20.
 */
export async function benchSubject(): Promise<void> {
  const kills = Number(process.env['SUBJECT_KILLS'] ?? 20);
  const course = resolveSubject(join(REPO, 'examples/subjects/course-node-ts.json'));
  console.log(`3 nodes on processes, election timeout 150-300 ms, heartbeat 50 ms, poll every 50 ms, ${kills} leader kills (kill -9)`);
  for (const [label, subject] of [['raft-chaos (status + events)', undefined], [`${course.name} (status only)`, course]] as const) {
    const r = await measureSubjectFailovers(subject, kills);
    const s = stats(r.settledMs);
    console.log(
      `  ${label.padEnd(30)} crash -> settled leader: median ${s.median.toFixed(0)}  p99 ${s.p99.toFixed(0)}  max ${s.max.toFixed(0)} ms (n=${s.n}); ` +
        `poller ${r.pollsPerNodePerSecond.toFixed(1)} polls/node/s, ${(r.cpuMsPerPoll * 1000).toFixed(0)} µs CPU/poll, ${(r.okShare * 100).toFixed(0)}% ok`,
    );
  }
}
