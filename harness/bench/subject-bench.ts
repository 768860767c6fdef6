import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { MemorySink, Recorder } from '../src/history/index.js';
import { createPoller } from '../src/poller/index.js';
import { nodeSettings } from '../src/runtime/node-settings.js';
import { createProcessRuntime } from '../src/runtime/process/index.js';
import { resolveSubject } from '../src/subject/resolve.js';
import type { Subject } from '../src/subject/types.js';
import { stats } from './failover-bench.js';

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
 * the poller's cost: for a status-only subject that is all the harness has.
 */
export async function measureSubjectFailovers(subject: Subject | undefined, kills: number, seed = 1): Promise<SubjectRun> {
  const workDir = mkdtempSync(join(tmpdir(), 'rc-bench-subject-'));
  const memory = new MemorySink();
  const recorder = new Recorder({ sinks: [memory], monotonic: () => performance.now(), wall: () => Date.now() });
  const boots = new Map<string, string>();
  const cluster = await createProcessRuntime().start({
    runId: `bench-subject-${process.pid}-${subject?.name ?? 'raft-chaos'}`,
    nodes: ['n1', 'n2', 'n3'],
    workDir,
    settings: nodeSettings({ seed }),
    onProcessEvent: (e) => (e.action === 'start' && e.pid !== undefined ? boots.set(e.node, `pid-${e.pid}`) : undefined),
    ...(subject ? { subject } : {}),
  });
  const poller = createPoller(cluster, {
    record: (e) => recorder.record(e),
    clock: recorder,
    intervalMs: 50,
    ...(subject ? { status: subject.status, eventsPath: subject.events?.path ?? null, bootOf: (n: string) => boots.get(n) } : {}),
  });
  const settledMs: number[] = [];
  try {
    poller.start();
    for (let i = 0; i < kills; i++) {
      const old = await poller.leaderView.waitForSettledLeader(10_000);
      const killedAt = recorder.now();
      await cluster.kill(old.node);
      await poller.leaderView.waitForSettledLeader(10_000, { exclude: old.node, afterTerm: old.term });
      settledMs.push(recorder.now() - killedAt);
      await cluster.start(old.node);
      process.stdout.write(`\r  kill ${i + 1}/${kills} `);
    }
    process.stdout.write('\n');
  } finally {
    await poller.stop({ drainEvents: false }).catch(() => undefined);
    await cluster.close();
    rmSync(workDir, { recursive: true, force: true });
  }
  const s = poller.stats();
  const polls = memory.entries.filter((e) => e.type === 'poll');
  const ok = polls.filter((e) => e.type === 'poll' && e.outcome === 'ok').length;
  return { settledMs, cpuMsPerPoll: s.cpuMsPerPoll, pollsPerNodePerSecond: s.pollsPerNodePerSecond, okShare: polls.length ? ok / polls.length : 0 };
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
