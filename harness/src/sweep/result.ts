import type { Expectation } from './expectation.js';
import type { PaperFigure } from './paper.js';
import { summarize, type Summary } from './stats.js';
import type { SweepFault, TimeoutRange } from './sweep-args.js';
import type { Trial } from './trials.js';

/** Everything measured for one timeout range. */
export interface RangeResult {
  label: string;
  range: TimeoutRange;
  heartbeatMs: number;
  rpcTimeoutMs: number;
  /** Trials asked for; `trials.length` may be fewer (time limit, Ctrl-C, a cluster that did not start). */
  planned: number;
  trials: Trial[];
  /** Fault to `become-leader`, over trials that elected someone. */
  elected: Summary;
  /** Fault to a settled leader seen by the polls. */
  settled: Summary;
  /** Trials with no new leader within the trial timeout (or none to remove). */
  noLeader: number;
  trialTimeoutMs: number;
  /** Share of elections (trials with a new leader) that took more than one term. */
  splitShare: number;
  /** Mean terms per election. */
  meanTerms: number;
  expectation: Expectation;
  paper?: PaperFigure;
  /** Honest remarks: heartbeat adjusted, timers or RPCs too slow for the range, stopped early. */
  notes: string[];
  /** Estimated node-to-node RPC round trip on this runtime (twice a direct status poll's median; sim: its link model), ms. */
  rpcRttMs: number;
  wallMs: number;
  description: string;
  /** The scenario runs that made its trials, each with its `history.jsonl` (relative to the sweep's directory). */
  runs: string[];
}

/** A whole sweep, as written to `sweep.json`. */
export interface SweepResult {
  startedAt: string;
  runtime: string;
  nodes: number;
  faults: SweepFault[];
  seed: number;
  pollIntervalMs: number;
  /** What else shares the machine's cores matters to every timing here. */
  machine: { cpus: number; loadAverage: number[] };
  interrupted?: string;
  ranges: RangeResult[];
}

/** The figures of a range from its trials. */
export function rangeFigures(trials: readonly Trial[]): Pick<RangeResult, 'elected' | 'settled' | 'noLeader' | 'splitShare' | 'meanTerms'> {
  const ok = trials.filter((t) => t.outcome === 'ok');
  const terms = ok.map((t) => t.terms ?? 1);
  return {
    elected: summarize(ok.flatMap((t) => (t.electedMs === null ? [] : [t.electedMs]))),
    settled: summarize(ok.flatMap((t) => (t.settledMs === null ? [] : [t.settledMs]))),
    noLeader: trials.length - ok.length,
    splitShare: ok.length === 0 ? NaN : terms.filter((x) => x > 1).length / ok.length,
    meanTerms: ok.length === 0 ? NaN : terms.reduce((a, b) => a + b, 0) / ok.length,
  };
}

/**
 * Remarks a reader needs to trust (or distrust) a range's figures, from the figures themselves:
 * the measured median far above the expectation (timers or RPCs cannot keep up), a range
 * whose minimum is within a few poll round trips (the RPC latency of this machine), elections
 * that never finished, split votes well above the expectation.
 */
export function rangeNotes(r: Pick<RangeResult, 'range' | 'elected' | 'expectation' | 'noLeader' | 'trials' | 'splitShare' | 'rpcRttMs' | 'trialTimeoutMs'>): string[] {
  const notes: string[] = [];
  if (r.trials.length > 0 && r.noLeader > 0) notes.push(`${r.noLeader} of ${r.trials.length} trials had no leader within ${r.trialTimeoutMs} ms`);
  if (Number.isFinite(r.elected.median) && r.elected.median > 2 * r.expectation.median) {
    notes.push(`measured median ${Math.round(r.elected.median)} ms is ${(r.elected.median / r.expectation.median).toFixed(1)}x the expectation: this machine's timers, scheduling or RPC latency cannot keep up with this range`);
  }
  if (r.rpcRttMs > 0 && r.range.max - r.range.min < 5 * r.rpcRttMs) {
    notes.push(`the range is ${r.range.max - r.range.min} ms wide, under 5 RPC round trips (${r.rpcRttMs.toFixed(1)} ms each here): timeouts this close make split votes likely`);
  }
  if (Number.isFinite(r.splitShare) && r.splitShare > r.expectation.splitShare + 0.15) {
    notes.push(`split votes in ${Math.round(r.splitShare * 100)}% of elections against ${Math.round(r.expectation.splitShare * 100)}% expected`);
  }
  return notes;
}
