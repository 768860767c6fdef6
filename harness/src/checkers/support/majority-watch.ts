import type { Cut, HistoryEntry, RunConfig } from '../../history/types.js';
import { reachability } from '../../nemesis/reachability.js';
import { ActiveFaults, DownNodes, maxAddedDelay } from './active-faults.js';

/**
 * How long the partitioner may take per directed link of a fault (ms). The runner writes a
 * fault's `fault-start` before applying it (runner/faults.ts), and the partitioner then changes
 * the links one after another, two Toxiproxy calls each (measured on processes: 8 links cut in
 * 24 ms; simulated: 1-2 ms a call, sim-partitioner.ts): a link the entry names may still carry
 * messages that long after it. 10 ms a link is three times the measured rate.
 */
export const APPLY_MS_PER_LINK = 10;

/** By when every link a `fault-start` names has certainly changed, after its entry. */
export function applyAllowanceMs(e: HistoryEntry): number {
  return e.type === 'fault-start' ? APPLY_MS_PER_LINK * (e.cuts?.length ?? 0) : 0;
}

/**
 * Who can reach a majority of the cluster (itself included) in both directions, as the faults
 * in force say, and since when, for checkers that walk the history in time order. Two views:
 * - `cutOff(node)`: certainly no majority: the node is down, or the cuts in force leave it fewer
 *   than a majority of direct two-way links. A node in this state can win no vote and no
 *   pre-vote. A fault's cuts count from when they are all certainly applied
 *   (`applyAllowanceMs` after its `fault-start`): before that a vote may still cross them. Slow links are not cuts here: a late answer may still count (the simulated
 *   runtime delivers it), so only a cut is certain.
 * - `clean(node)`: certainly a majority: up, with direct two-way links to a majority that no
 *   fault cuts and no toxic slows by more than `slackMs` each way (heartbeats then arrive often
 *   enough for every follower's lease and for CheckQuorum).
 * Feed every entry with `apply`; the answers change only at fault and process entries.
 */
export class MajorityWatch {
  private readonly faults = new ActiveFaults();
  private readonly down = new DownNodes();
  private readonly cutSince = new Map<string, number>();
  private readonly cleanSince = new Map<string, number>();

  /** @param slackMs the added one-way delay a link may have and still count as clean. */
  constructor(
    readonly nodes: readonly string[],
    config: RunConfig,
    private readonly slackMs = Math.max(0, (config.electionTimeoutMin - config.heartbeatInterval) / 4),
  ) {
    this.recompute(0);
  }

  /** Feeds one entry (in time order); returns true when what is in force changed. */
  apply(e: HistoryEntry): boolean {
    const fault = this.faults.apply(e);
    const down = this.down.apply(e);
    const changed = fault || down;
    if (changed) this.recompute(e.t, applyAllowanceMs(e));
    return changed;
  }

  /** Certainly without a majority now (since a moment at or before now); `for` ms at least (default 0). */
  cutOff(node: string, nowMs: number, forMs = 0): boolean {
    const since = this.cutSince.get(node);
    return since !== undefined && nowMs - since >= forMs;
  }

  /** Certainly with a clean majority now, continuously for `forMs` at least (default 0). */
  clean(node: string, nowMs: number, forMs = 0): boolean {
    const since = this.cleanSince.get(node);
    return since !== undefined && nowMs - since >= forMs;
  }

  /** Since when the node has been (or, while its fault is being applied, will be) cut off, or undefined. */
  cutOffSince(node: string): number | undefined {
    return this.cutSince.get(node);
  }

  /** Since when the node has had a clean majority, or undefined. */
  cleanSinceOf(node: string): number | undefined {
    return this.cleanSince.get(node);
  }

  /** Whether any fault is in force. */
  get faultsInForce(): number {
    return this.faults.size;
  }

  /** `settleMs`: how long after `t` new cuts are certainly in force (a fault being applied). */
  private recompute(t: number, settleMs = 0): void {
    const down = this.down.get();
    const strict = reachability(this.nodes, this.faults.cuts(), down);
    const slow: Cut[] = [];
    if (this.faults.size > 0) {
      for (const a of this.nodes) {
        for (const b of this.nodes) {
          if (a !== b && maxAddedDelay(this.faults, a, b) > this.slackMs) slow.push([a, b], [b, a]);
        }
      }
    }
    const lenient = reachability(this.nodes, [...this.faults.cuts(), ...slow], down);
    for (const n of this.nodes) {
      const isCut = !strict.hasMajority(n);
      if (isCut && !this.cutSince.has(n)) this.cutSince.set(n, t + settleMs);
      if (!isCut) this.cutSince.delete(n);
      const isClean = lenient.hasMajority(n);
      if (isClean && !this.cleanSince.has(n)) this.cleanSince.set(n, t);
      if (!isClean) this.cleanSince.delete(n);
    }
  }
}
