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

/**
 * By when every link a `fault-start` names has certainly changed, after its entry, for a
 * history that does not say (no `links-applied` entry for that fault: files written before it).
 */
export function applyAllowanceMs(e: HistoryEntry): number {
  return e.type === 'fault-start' ? APPLY_MS_PER_LINK * (e.cuts?.length ?? 0) : 0;
}

/** The faults whose `links-applied` start entry the history holds (their cuts count from it). */
export function faultsWithLinkRecords(history: Iterable<HistoryEntry>): Set<string> {
  const out = new Set<string>();
  for (const e of history) if (e.type === 'links-applied' && e.phase === 'start') out.add(e.id);
  return out;
}

/** Options of a `MajorityWatch`. */
export interface MajorityWatchOptions {
  /** The added one-way delay a link may have and still count as clean (default: a quarter of electionTimeoutMin - heartbeatInterval). */
  slackMs?: number;
  /**
   * The whole history, read once for its `links-applied` entries: a fault that has one counts
   * its cuts from that entry (the instant the partitioner had changed its last link); one
   * without (older files) from `applyAllowanceMs` after its `fault-start`. Absent: no records.
   */
  history?: Iterable<HistoryEntry>;
}

/**
 * Who can reach a majority of the cluster (itself included) in both directions, as the faults
 * in force say, and since when, for checkers that walk the history in time order. Two views:
 * - `cutOff(node)`: certainly no majority: the node is down, or the cuts in force leave it fewer
 *   than a majority of direct two-way links. A node in this state can win no vote and no
 *   pre-vote. A fault's cuts count from when they are all certainly applied: its
 *   `links-applied` entry, or, in a history without one for it, `applyAllowanceMs` after its
 *   `fault-start`; before that a vote may still cross them. Slow links are not cuts here: a late answer may still count (the simulated
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
  private readonly slackMs: number;
  /** Faults the history records `links-applied` for. */
  private readonly recorded: ReadonlySet<string>;
  /** Of those, the ones in force whose links are still being changed (their cuts not yet certain). */
  private readonly applying = new Set<string>();

  constructor(
    readonly nodes: readonly string[],
    config: RunConfig,
    options: MajorityWatchOptions = {},
  ) {
    this.slackMs = options.slackMs ?? Math.max(0, (config.electionTimeoutMin - config.heartbeatInterval) / 4);
    this.recorded = options.history ? faultsWithLinkRecords(options.history) : new Set();
    this.recompute(0);
  }

  /** Feeds one entry (in time order); returns true when what is in force changed. */
  apply(e: HistoryEntry): boolean {
    const fault = this.faults.apply(e);
    const down = this.down.apply(e);
    let applied = false;
    if (e.type === 'fault-start' && fault && this.recorded.has(e.id)) this.applying.add(e.id);
    else if (e.type === 'fault-end') this.applying.delete(e.id);
    else if (e.type === 'links-applied' && e.phase === 'start') applied = this.applying.delete(e.id);
    const changed = fault || down || applied;
    if (changed) this.recompute(e.t, e.type === 'fault-start' && !this.recorded.has(e.id) ? applyAllowanceMs(e) : 0);
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
    const certain = this.faults.all().flatMap((f) => (this.applying.has(f.id) ? [] : (f.cuts ?? [])));
    const strict = reachability(this.nodes, certain, down);
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
