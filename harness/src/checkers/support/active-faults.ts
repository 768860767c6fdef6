import type { Cut, FaultStartEntry, HistoryEntry } from '../../history/types.js';

/** The kinds that took their targets down, for histories written before `fault-start` had `down`. */
const LEGACY_DOWN_KINDS: ReadonlySet<string> = new Set(['kill', 'stop', 'pause']);

/**
 * The nodes a fault took down (killed, stopped, paused): its `down` field, as the runner records
 * it from the fault's kind. Histories written before that field existed lack it; for them the
 * targets of `kill`, `stop` and `pause` faults (the old inference from kind names).
 */
export function faultDown(e: FaultStartEntry): readonly string[] {
  if (e.down !== undefined) return e.down;
  return LEGACY_DOWN_KINDS.has(e.kind) ? e.targets : [];
}

/**
 * A fault the nemesis could not apply (it waited for a leader to aim at and none came): it
 * changed nothing in the cluster, so it neither ends a window with no fault in force nor
 * removes a leader.
 */
export function faultApplied(e: HistoryEntry): boolean {
  return e.type === 'fault-start' && e.notApplied !== true;
}

/** Tracks which faults are in force while a checker walks the history in order. */
export class ActiveFaults {
  private readonly active = new Map<string, FaultStartEntry>();

  /**
   * Feed every entry; returns true when it started or ended a fault. A fault the nemesis could
   * not apply (`notApplied`: no leader to aim at) is never in force.
   */
  apply(e: HistoryEntry): boolean {
    if (e.type === 'fault-start') {
      if (!faultApplied(e)) return false;
      this.active.set(e.id, e);
      return true;
    }
    if (e.type === 'fault-end') return this.active.delete(e.id);
    return false;
  }

  /** The faults in force, in the order they started. */
  all(): FaultStartEntry[] {
    return [...this.active.values()];
  }

  get size(): number {
    return this.active.size;
  }

  get(id: string): FaultStartEntry | undefined {
    return this.active.get(id);
  }

  /** Every directed cut of every fault in force. */
  cuts(): Cut[] {
    const out: Cut[] = [];
    for (const f of this.active.values()) if (f.cuts) out.push(...f.cuts);
    return out;
  }

  /** Nodes the faults in force took down (killed, stopped, paused). */
  down(): Set<string> {
    const out = new Set<string>();
    for (const f of this.active.values()) for (const n of faultDown(f)) out.add(n);
    return out;
  }
}

/**
 * The smallest one-way delay latency toxics add to messages `from` → `to` (latency - jitter,
 * summed over the faults in force that slow that link; 0 when none).
 */
function minAddedDelay(faults: Iterable<FaultStartEntry>, from: string, to: string): number {
  let d = 0;
  for (const f of faults) {
    for (const l of f.links ?? []) {
      if (l.toxic !== 'latency' || l.from !== from || l.to !== to) continue;
      d += Math.max(0, (l.attributes['latency'] ?? 0) - (l.attributes['jitter'] ?? 0));
    }
  }
  return d;
}

/**
 * Links that latency in force makes useless for RPCs: a pair whose round trip, at the least
 * delay the toxics allow, cannot beat the RPC deadline, so no request on it is ever answered in
 * time (both directions are returned as cuts). Links only sometimes too slow are not included:
 * some answers get through.
 */
export function deadSlowLinks(faults: ActiveFaults, nodes: readonly string[], rpcTimeout: number): Cut[] {
  const active = faults.all();
  if (active.length === 0 || !active.some((f) => (f.links ?? []).some((l) => l.toxic === 'latency'))) return [];
  return slowPairs(nodes, rpcTimeout, (x, y) => minAddedDelay(active, x, y));
}

/**
 * Which nodes are down (killed, stopped, paused, exited) right now, from the process entries: a node
 * is down from the fault-start that takes it down (or its `kill`/`stop`/`pause`/`exit` entry) until
 * its `start` or `resume` entry. Unlike `ActiveFaults.down()` it sees a killed node as up once
 * it is started again, even though its fault ends only when the restart has finished.
 */
export class DownNodes {
  private readonly downSet = new Set<string>();

  /** Feed every entry; returns true when the set changed. */
  apply(e: HistoryEntry): boolean {
    const before = this.downSet.size;
    if (e.type === 'fault-start') {
      for (const n of faultDown(e)) this.downSet.add(n);
    } else if (e.type === 'process') {
      // An exit of its own counts too: a node that stopped on a disk fault, or refused to start.
      if (e.action === 'kill' || e.action === 'stop' || e.action === 'pause' || e.action === 'exit') this.downSet.add(e.node);
      else if (e.action === 'start' || e.action === 'resume') {
        this.downSet.delete(e.node);
        return true;
      }
    }
    return this.downSet.size !== before;
  }

  has(node: string): boolean {
    return this.downSet.has(node);
  }

  get(): ReadonlySet<string> {
    return this.downSet;
  }
}

/**
 * Wire sizes of the node's RPCs over HTTP/1.1, headers included (node/API.md: a request line,
 * a few headers and a small JSON body): about 240 bytes a request and 180 a reply. A bandwidth
 * toxic of `rate` KB/s (bytes per ms) holds each message `size / rate` ms.
 */
export const RPC_REQUEST_BYTES = 240;
export const RPC_REPLY_BYTES = 180;

/**
 * The most a message `from` → `to` can be held by the toxics in force: latency + jitter of
 * every latency toxic on the link, plus a request's transmit time at the rate of every
 * bandwidth toxic on it (a rate of 0 is a cut, not a delay). 0 when nothing slows the link.
 */
export function maxAddedDelay(faults: ActiveFaults, from: string, to: string): number {
  let d = 0;
  for (const f of faults.all()) {
    for (const l of f.links ?? []) {
      if (l.from !== from || l.to !== to) continue;
      if (l.toxic === 'latency') d += (l.attributes['latency'] ?? 0) + (l.attributes['jitter'] ?? 0);
      else if (l.toxic === 'bandwidth' && (l.attributes['rate'] ?? 0) > 0) d += RPC_REQUEST_BYTES / (l.attributes['rate'] as number);
    }
  }
  return d;
}

/**
 * Links too slow to count on for an election: pairs whose slowest round trip under the toxics
 * in force (`maxAddedDelay` both ways), plus `overheadMs` (what a vote's round trip takes besides
 * the toxics: the healthy links and the voter's durable write before it answers, see
 * `voteOverheadMs`), does not beat the RPC deadline, so a pre-vote or vote on them may time out
 * every time (both directions are returned as cuts). Only pairs a toxic slows. The lenient
 * counterpart of `deadSlowLinks`: it also takes links that only sometimes fail.
 */
export function unreliableSlowLinks(faults: ActiveFaults, nodes: readonly string[], rpcTimeout: number, overheadMs = 0): Cut[] {
  if (!faults.all().some((f) => (f.links ?? []).some((l) => l.toxic === 'latency' || l.toxic === 'bandwidth'))) return [];
  const out: Cut[] = [];
  for (const a of nodes) {
    for (const b of nodes) {
      if (a >= b) continue;
      const added = maxAddedDelay(faults, a, b) + maxAddedDelay(faults, b, a);
      if (added > 0 && added + overheadMs >= rpcTimeout) out.push([a, b], [b, a]);
    }
  }
  return out;
}

/** Both directions of every pair of nodes whose round trip (`delay` one way plus the other) reaches `rpcTimeout`. */
function slowPairs(nodes: readonly string[], rpcTimeout: number, delay: (from: string, to: string) => number): Cut[] {
  const out: Cut[] = [];
  for (const a of nodes) {
    for (const b of nodes) {
      if (a < b && delay(a, b) + delay(b, a) >= rpcTimeout) out.push([a, b], [b, a]);
    }
  }
  return out;
}

/** The largest `maxAddedDelay` over every link (0 when nothing slows any). */
export function slowestAddedDelay(faults: ActiveFaults, nodes: readonly string[]): number {
  if (!faults.all().some((f) => (f.links ?? []).length > 0)) return 0;
  let slowest = 0;
  for (const a of nodes) for (const b of nodes) if (a !== b) slowest = Math.max(slowest, maxAddedDelay(faults, a, b));
  return slowest;
}
