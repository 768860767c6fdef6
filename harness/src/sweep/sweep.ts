import { cpus, loadavg } from 'node:os';
import { subjectCapabilities } from '../subject/capabilities.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { LEADERLESS_GIVE_UP } from '../faults/kinds/failovers.js';
import type { PollEntry } from '../history/types.js';
import { runScenario } from '../runner/run-scenario.js';
import { LOOPBACK } from '../runtime/sim/sim-links.js';
import { testbedCapabilities } from '../runtime/testbeds.js';
import type { Scenario } from '../scenario/types.js';
import { expectedElection } from './expectation.js';
import { sweepJson, sweepTables, trialsCsv } from './output.js';
import { renderSweepPage } from './page.js';
import { paperFigure } from './paper.js';
import { rangeFigures, rangeNotes, type RangeResult, type SweepResult } from './result.js';
import { percentile } from './stats.js';
import { heartbeatFor, rangeLabel, type SweepArgs, type TimeoutRange } from './sweep-args.js';
import { trialsFromHistory, type Trial } from './trials.js';

/** Hooks of a sweep run. */
export interface SweepHooks {
  onProgress?(line: string): void;
  /** Aborting stops the run under way (it heals and stops its cluster) and returns what was measured. */
  signal?: AbortSignal;
}

/** The files a sweep wrote. */
export interface SweepFiles {
  html: string;
  json: string;
  csv: string;
  table: string;
}

/** Most trials in one run of a range; a range of more runs several, each on a fresh cluster. */
const TRIALS_PER_RUN = 25;
/** Trials of a range's first run when a time limit must be shared: it measures the pace for the rest. */
const FIRST_TIMED_RUN = 5;

/** How a range's trials run: what `sweepScenario` makes a scenario of. */
export interface TrialPlan {
  range: TimeoutRange;
  nodes: number;
  trials: number;
  faults: SweepArgs['faults'];
  heartbeatMs: number;
  rpcTimeoutMs: number;
  /** Longest wait for a leader to remove and for the next one. */
  trialTimeoutMs: number;
  /** Pause after each heal before the next trial (the healed node rejoins). */
  settleMs: number;
}

/**
 * A scenario of `plan.trials` trials on one cluster: a `failovers` step (faults/kinds/failovers.ts)
 * that waits for a settled leader, waits a seeded U(0, heartbeat) so the fault lands at a random
 * point of the heartbeat interval (as the paper's crashes did), removes the leader with a seeded
 * choice of fault, waits (bounded) for a settled leader other than it in a later term, heals
 * and settles; the recovery window after it is one settle.
 */
export function sweepScenario(plan: TrialPlan): Scenario {
  const label = rangeLabel(plan.range);
  return {
    name: `sweep-${label}`,
    description: `${plan.trials} leader removal(s) by ${plan.faults.join('/')} with election timeouts ${label} ms, each held until the next leader settles (npm run sweep).`,
    nodes: plan.nodes,
    electionTimeout: [plan.range.min, plan.range.max],
    heartbeatInterval: plan.heartbeatMs,
    rpcTimeout: plan.rpcTimeoutMs,
    preVote: true,
    checkQuorum: true,
    warmupMs: plan.trialTimeoutMs,
    steps: [{ fault: { kind: 'failovers', times: plan.trials, by: [...plan.faults], withinMs: plan.trialTimeoutMs, jitterMs: plan.heartbeatMs, settleMs: plan.settleMs } }],
    recoveryMs: Math.max(1, plan.settleMs),
  };
}

/**
 * Runs a sweep: for each range, in order, its trials as scenario runs through `runScenario`
 * (`sweepScenario`; at most TRIALS_PER_RUN trials a run, each run a fresh cluster with node
 * seed `seed + 100 x range + run`), the trials read back from each run's history
 * (`trialsFromHistory`), the figures beside the expectation and the paper's. The runs'
 * histories go to `<report dir>/runs/`. With a time limit, each range gets an equal share of the
 * time left when it starts, so every range runs, and its runs are sized from the pace of its
 * first. A run that cannot start gives a range with no trials and a note. Never throws for a
 * range's failure.
 */
export async function runSweep(args: SweepArgs, hooks: SweepHooks = {}): Promise<SweepResult> {
  const progress = hooks.onProgress ?? (() => {});
  const started = Date.now();
  const deadline = args.timeLimitMs !== undefined ? started + args.timeLimitMs : Infinity;
  const simulated = testbedCapabilities(args.runtime).simulated;
  const result: SweepResult = {
    startedAt: new Date(started).toISOString(),
    runtime: args.runtime,
    nodes: args.nodes,
    faults: args.faults,
    seed: args.seed,
    pollIntervalMs: args.pollIntervalMs,
    machine: { cpus: cpus().length, loadAverage: loadavg() },
    ranges: [],
  };
  const runsDir = join(args.outDir, 'runs');
  for (const [i, range] of args.ranges.entries()) {
    if (hooks.signal?.aborted) break;
    const label = rangeLabel(range);
    const hb = heartbeatFor(range, args.heartbeatMs);
    const plan: Omit<TrialPlan, 'trials'> = {
      range,
      nodes: args.nodes,
      faults: args.faults,
      heartbeatMs: hb.ms,
      rpcTimeoutMs: Math.max(1, Math.min(100, Math.floor(range.min / 2))),
      trialTimeoutMs: args.trialTimeoutMs ?? Math.max(2000, 20 * range.max),
      settleMs: Math.max(300, 2 * range.max),
    };
    const rangeDeadline = Date.now() + (deadline - Date.now()) / (args.ranges.length - i);
    const notes: string[] = hb.note ? [hb.note] : [];
    if (args.subject && !subjectCapabilities(args.subject).electionTimeout) {
      notes.push(`election timeout ${label} ms not applied: subject ${args.subject.name} takes no {electionTimeoutMin}/{electionTimeoutMax} template, so its nodes keep their own`);
    }
    const t0 = Date.now();
    const trials: Trial[] = [];
    const runs: string[] = [];
    const latencies: number[] = [];
    let description = '';
    let stopped: string | undefined;
    progress(`${label} ms: ${args.trials} trials on ${args.nodes} nodes on ${args.runtime} (heartbeat ${hb.ms} ms, trial timeout ${plan.trialTimeoutMs} ms)`);
    let msPerTrial = NaN;
    while (trials.length < args.trials && stopped === undefined) {
      if (hooks.signal?.aborted) break;
      if (Date.now() >= rangeDeadline) break;
      const left = args.trials - trials.length;
      const fits = Number.isFinite(msPerTrial) ? Math.max(1, Math.floor((rangeDeadline - Date.now()) / msPerTrial)) : Number.isFinite(rangeDeadline) ? FIRST_TIMED_RUN : Infinity;
      const size = Math.min(left, TRIALS_PER_RUN, fits);
      const runStarted = Date.now();
      try {
        const run = await runScenario(sweepScenario({ ...plan, trials: size }), {
          runtime: args.runtime,
          seed: args.seed + 100 * i + runs.length,
          nodes: args.nodes,
          pollIntervalMs: args.pollIntervalMs,
          reportDir: runsDir,
          writeReport: false,
          ...(args.subject ? { subject: args.subject } : {}),
          ...(simulated ? { sim: { links: LOOPBACK } } : {}),
          ...(hooks.signal ? { signal: hooks.signal } : {}),
          onProgress: (line) => {
            if (line.startsWith('warning: ') || line.startsWith('error: ')) progress(`${label} ms: ${line}`);
          },
        });
        runs.push(relative(resolve(args.outDir), run.dir));
        const got = trialsFromHistory(run.history, trials.length);
        for (const t of got) progress(`${label} ms: trial ${String(t.index + 1).padStart(3)}/${args.trials} ${trialLine(t)}`);
        trials.push(...got);
        for (const e of run.history) if (e.type === 'poll' && e.outcome === 'ok') latencies.push((e as PollEntry).latencyMs);
        const start = run.history.find((e) => e.type === 'run-start');
        if (start?.type === 'run-start') description = `${args.nodes} nodes on ${start.runtime} (${start.runtimeReason})${simulated ? ', virtual time' : ''}`;
        msPerTrial = (Date.now() - runStarted) / Math.max(1, got.length);
        if (run.error) {
          stopped = trials.length === 0 ? `the range could not run: ${run.error.message}` : `run ${run.runId} failed: ${run.error.message}`;
          progress(`error: ${label} ms: ${run.error.message}`);
        } else if (got.length < size && !run.interrupted && got.slice(-LEADERLESS_GIVE_UP).every((t) => t.outcome === 'no-leader-before')) {
          // The step gave up: a cluster this long without a leader will not recover by waiting.
          stopped = `the cluster stayed without a leader: ${got.at(-1)?.detail ?? ''}`;
        }
      } catch (err) {
        stopped = `the range could not run: ${(err as Error).message}`;
        progress(`error: ${label} ms: ${(err as Error).message}`);
      }
    }
    if (stopped?.startsWith('the range could not run')) notes.push(stopped);
    else if (trials.length < args.trials) {
      const why = hooks.signal?.aborted ? 'interrupted' : (stopped ?? 'time limit');
      notes.push(`stopped after ${trials.length} of ${args.trials} trials (${why})`);
    }
    const figures = rangeFigures(trials);
    // The expectation is what the timeouts predict on an idle loopback (2 ms round trips; sim: its
    // link model), not this machine's measured latency under load: the gap between them is the finding.
    const expectation = expectedElection({ nodes: args.nodes, min: range.min, max: range.max, heartbeatMs: hb.ms, rttMs: simulated ? 0.7 : 2 });
    const paper = args.nodes === 5 ? paperFigure(range.min, range.max) : undefined;
    const r: RangeResult = {
      label,
      range,
      heartbeatMs: hb.ms,
      rpcTimeoutMs: plan.rpcTimeoutMs,
      planned: args.trials,
      trials,
      ...figures,
      trialTimeoutMs: plan.trialTimeoutMs,
      expectation,
      ...(paper ? { paper } : {}),
      notes,
      rpcRttMs: runs.length === 0 ? 0 : rpcRoundTrip(simulated, latencies),
      wallMs: Date.now() - t0,
      description,
      runs,
    };
    r.notes.push(...rangeNotes(r));
    result.ranges.push(r);
  }
  if (hooks.signal?.aborted) result.interrupted = String((hooks.signal.reason as Error)?.message ?? hooks.signal.reason);
  return result;
}

/**
 * An estimate of one node-to-node RPC round trip (ms), for the notes. Simulated links: one quiet
 * loopback round trip. Real: node to node goes through a proxy, about two direct round trips
 * (twice the status polls' median).
 */
function rpcRoundTrip(simulated: boolean, pollLatencies: number[]): number {
  if (simulated) return LOOPBACK.minDelayMs + LOOPBACK.maxDelayMs;
  return Math.min(20, Math.max(0.5, 2 * (percentile([...pollLatencies].sort((a, b) => a - b), 0.5) || 1)));
}

function trialLine(t: Trial): string {
  if (t.outcome === 'no-leader-before') return `no leader to remove: ${t.detail ?? ''}`;
  const head = `${t.fault} ${t.oldLeader} (t${t.oldTerm})`;
  if (t.outcome === 'no-leader') return `${head} -> no leader: ${t.detail ?? ''}`;
  const split = (t.terms ?? 1) > 1 ? ` (${t.terms} terms: split vote)` : '';
  return `${head} -> ${t.newLeader} (t${t.newTerm}) elected ${t.electedMs === null ? '?' : Math.round(t.electedMs)} ms, settled ${Math.round(t.settledMs ?? NaN)} ms${split}`;
}

/** Writes `index.html`, `sweep.json`, `trials.csv` and `table.txt` into `dir`. */
export async function writeSweep(dir: string, s: SweepResult): Promise<SweepFiles> {
  const out = resolve(dir);
  await mkdir(out, { recursive: true });
  const files: SweepFiles = { html: join(out, 'index.html'), json: join(out, 'sweep.json'), csv: join(out, 'trials.csv'), table: join(out, 'table.txt') };
  await Promise.all([
    writeFile(files.html, renderSweepPage(s)),
    writeFile(files.json, sweepJson(s)),
    writeFile(files.csv, trialsCsv(s)),
    writeFile(files.table, `${sweepTables(s)}\n`),
  ]);
  return files;
}
