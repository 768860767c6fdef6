import type { HistoryEntry, NoteEntry } from '../../history/types.js';
import type { DiskNoteAction } from '../../history/disk-notes.js';

/** A span of a run in which one node's disk was under a fault, from the fault's notes. */
export interface DiskWindow {
  readonly node: string;
  /** The note that opened it (`disk: fail` or `disk: corrupt`). */
  readonly opened: NoteEntry;
  /** Run time of the opening note, and of the closing one (`heal` / `restore`; Infinity: never closed). */
  readonly from: number;
  to: number;
}

/** The disk action a note records (faults/kinds/disk-fail.ts, corrupt-state.ts), or undefined. */
export function diskAction(e: HistoryEntry): { action: DiskNoteAction; node: string } | undefined {
  if (e.type !== 'note' || e.data === undefined) return undefined;
  const action = e.data['disk'];
  const node = e.data['node'];
  if (typeof node !== 'string' || (action !== 'fail' && action !== 'heal' && action !== 'corrupt' && action !== 'restore')) return undefined;
  return { action, node };
}

/**
 * The windows opened by `open` notes (`fail` or `corrupt`) and closed by the next `close`
 * note of the same node (`heal` or `restore`), in history order.
 */
export function diskWindows(history: readonly HistoryEntry[], open: DiskNoteAction, close: DiskNoteAction): DiskWindow[] {
  const out: DiskWindow[] = [];
  const current = new Map<string, DiskWindow>();
  for (const e of history) {
    const d = diskAction(e);
    if (d === undefined) continue;
    if (d.action === open && !current.has(d.node)) {
      const w: DiskWindow = { node: d.node, opened: e as NoteEntry, from: e.t, to: Infinity };
      current.set(d.node, w);
      out.push(w);
    } else if (d.action === close) {
      const w = current.get(d.node);
      if (w !== undefined) w.to = e.t;
      current.delete(d.node);
    }
  }
  return out;
}
