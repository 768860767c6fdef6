import type { Cut, FaultStartEntry, HistoryEntry } from '../../history/types.js';

/** Fault kinds whose targets are not running (or not scheduled) while the fault is in force. */
export const DOWN_KINDS: ReadonlySet<string> = new Set(['kill', 'stop', 'pause']);

/** Fault kinds that make their targets unobservable for a while (down, or restarted in turn). */
export const UNOBSERVABLE_KINDS: ReadonlySet<string> = new Set(['kill', 'stop', 'pause', 'rolling-restart']);

/** Tracks which faults are in force while a checker walks the history in order. */
export class ActiveFaults {
  private readonly active = new Map<string, FaultStartEntry>();

  /** Feed every entry; returns true when it started or ended a fault. */
  apply(e: HistoryEntry): boolean {
    if (e.type === 'fault-start') {
      this.active.set(e.id, e);
      return true;
    }
    if (e.type === 'fault-end') return this.active.delete(e.id);
    return false;
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

  /**
   * The largest one-way delay a latency toxic in force adds to a message (latency + jitter),
   * 0 when none: RPCs on those links take that much longer each way.
   */
  slowestLinkMs(): number {
    let slowest = 0;
    for (const f of this.active.values()) {
      for (const l of f.links ?? []) {
        if (l.toxic === 'latency') slowest = Math.max(slowest, (l.attributes['latency'] ?? 0) + (l.attributes['jitter'] ?? 0));
      }
    }
    return slowest;
  }

  /** Targets of kill, stop and pause faults in force. */
  down(): Set<string> {
    const out = new Set<string>();
    for (const f of this.active.values()) if (DOWN_KINDS.has(f.kind)) for (const n of f.targets) out.add(n);
    return out;
  }
}
