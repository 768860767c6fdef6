import { cpus, loadavg } from 'node:os';
import { subjectCapabilities } from '../subject/capabilities.js';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { createRng } from '../util/rng.js';
import { expectedElection } from './expectation.js';
import { startLab, type Lab } from './lab.js';
import { sweepJson, sweepTables, trialsCsv } from './output.js';
import { renderSweepPage } from './page.js';
import { paperFigure } from './paper.js';
import { rangeFigures, rangeNotes, type RangeResult, type SweepResult } from './result.js';
import { heartbeatFor, rangeLabel, type SweepArgs } from './sweep-args.js';
import { runTrials, type Trial } from './trials.js';
import { testbedCapabilities } from '../runtime/testbeds.js';

/** Hooks of a sweep run. */
export interface SweepHooks {
  onProgress?(line: string): void;
  /** Aborting finishes the trial under way, closes the cluster and returns what was measured. */
  signal?: AbortSignal;
}

/** The files a sweep wrote. */
export interface SweepFiles {
  html: string;
  json: string;
  csv: string;
  table: string;
}

/**
 * Runs a sweep: for each range, in order, a fresh cluster (node seeds `seed + 100 x i`), the
 * trials (see `runTrials`), the figures beside the expectation and the paper's, then closes the
 * cluster. With a time limit, each range gets an equal share of the time left when it starts,
 * so every range runs. A cluster that does not start gives a range with no trials and a note.
 * Never throws for a range's failure; always closes what it started.
 */
export async function runSweep(args: SweepArgs, hooks: SweepHooks = {}): Promise<SweepResult> {
  const progress = hooks.onProgress ?? (() => {});
  const started = Date.now();
  const deadline = args.timeLimitMs !== undefined ? started + args.timeLimitMs : Infinity;
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
  for (const [i, range] of args.ranges.entries()) {
    const label = rangeLabel(range);
    const hb = heartbeatFor(range, args.heartbeatMs);
    const rpcTimeoutMs = Math.max(1, Math.min(100, Math.floor(range.min / 2)));
    const trialTimeoutMs = args.trialTimeoutMs ?? Math.max(2000, 20 * range.max);
    const rangeDeadline = Date.now() + (deadline - Date.now()) / (args.ranges.length - i);
    const notes: string[] = hb.note ? [hb.note] : [];
    if (args.subject && !subjectCapabilities(args.subject).electionTimeout) {
      notes.push(`election timeout ${label} ms not applied: subject ${args.subject.name} takes no {electionTimeoutMin}/{electionTimeoutMax} template, so its nodes keep their own`);
    }
    const t0 = Date.now();
    let trials: Trial[] = [];
    let lab: Lab | undefined;
    let description = '';
    // The expectation is what the timeouts predict on an idle loopback (2 ms round trips; sim: its
    // link model), not this machine's measured latency under load: the gap between them is the finding.
    const rttMs = testbedCapabilities(args.runtime).simulated ? 0.7 : 2;
    let rpcRttMs = NaN;
    if (hooks.signal?.aborted) break;
    progress(`${label} ms: starting ${args.nodes} nodes on ${args.runtime} (heartbeat ${hb.ms} ms, trial timeout ${trialTimeoutMs} ms)`);
    try {
      lab = await startLab({
        runtime: args.runtime,
        runId: `sweep-${process.pid}-${i}`,
        nodes: args.nodes,
        pollIntervalMs: args.pollIntervalMs,
        settings: { electionTimeoutMin: range.min, electionTimeoutMax: range.max, heartbeatInterval: hb.ms, rpcTimeout: rpcTimeoutMs, preVote: true, checkQuorum: true, bugs: [], seed: args.seed + 100 * i },
        onWarning: (m) => progress(`warning: ${m}`),
        ...(args.subject ? { subject: args.subject } : {}),
      });
      description = lab.description;
      const l = lab;
      trials = await runTrials(l, {
        trials: args.trials,
        faults: args.faults,
        trialTimeoutMs,
        settleMs: Math.max(300, 2 * range.max),
        heartbeatMs: hb.ms,
        rng: createRng(args.seed).fork(`sweep-${label}`),
        stop: () => hooks.signal?.aborted === true || Date.now() >= rangeDeadline,
        onTrial: (t) => progress(`${label} ms: trial ${String(t.index + 1).padStart(3)}/${args.trials} ${trialLine(t)}`),
      });
      rpcRttMs = lab.rpcRttMs();
    } catch (err) {
      notes.push(`the range could not run: ${(err as Error).message}`);
      progress(`error: ${label} ms: ${(err as Error).message}`);
    } finally {
      await lab?.close().catch((err: Error) => notes.push(`closing the cluster failed: ${err.message}`));
    }
    if (trials.length < args.trials && !notes.some((n) => n.startsWith('the range could not run'))) {
      const why = hooks.signal?.aborted ? 'interrupted' : trials.at(-1)?.outcome === 'no-leader-before' ? `the cluster stayed without a leader: ${trials.at(-1)?.detail ?? ''}` : 'time limit';
      notes.push(`stopped after ${trials.length} of ${args.trials} trials (${why})`);
    }
    const figures = rangeFigures(trials);
    const expectation = expectedElection({ nodes: args.nodes, min: range.min, max: range.max, heartbeatMs: hb.ms, rttMs });
    const paper = args.nodes === 5 ? paperFigure(range.min, range.max) : undefined;
    const r: RangeResult = {
      label,
      range,
      heartbeatMs: hb.ms,
      rpcTimeoutMs,
      planned: args.trials,
      trials,
      ...figures,
      trialTimeoutMs,
      expectation,
      ...(paper ? { paper } : {}),
      notes,
      rpcRttMs: Number.isFinite(rpcRttMs) ? rpcRttMs : 0,
      wallMs: Date.now() - t0,
      description,
    };
    r.notes.push(...rangeNotes(r));
    result.ranges.push(r);
  }
  if (hooks.signal?.aborted) result.interrupted = String((hooks.signal.reason as Error)?.message ?? hooks.signal.reason);
  return result;
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
