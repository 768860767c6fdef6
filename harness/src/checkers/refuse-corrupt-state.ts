import type { HistoryEntry } from '../history/types.js';
import { diskWindows } from './support/disk-windows.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, type Checker, type CheckResult } from './types.js';

/** A node that started from a state file it should have refused. */
export interface CorruptStart {
  node: string;
  atMs: number;
  /** How its file was corrupted (faults/state-corruptions.ts). */
  corruption: string;
  /** What it came back with, when its `start` event says (`stateTerm`, `stateVotedFor`). */
  term?: unknown;
  votedFor?: unknown;
  seenIn: 'start event' | 'poll';
}

/**
 * A node whose state file is corrupt refuses to start (node/API.md; Raft §5.1: a server that
 * forgets its term or vote may vote twice in a term, so it must not come back as a fresh node
 * at term 0 or with its vote lost). After a `corrupt-state` fault corrupted a node's file
 * (its `corrupt` note) and until the file is restored (`restore`), the node must log no `start`
 * and answer no status poll: its start attempt ends in an exit with a non-zero code (which
 * `node-crash` expects; a clean exit or a signal is no refusal).
 * Not judged without a corrupted state file, or when no start attempt of the node was seen.
 */
export const refuseCorruptState: Checker = {
  name: 'refuse-corrupt-state',
  description: 'A node whose state file is corrupt refuses to start (exits) rather than come back from it at term 0 or with its vote forgotten.',
  check(history): CheckResult {
    const windows = diskWindows(history, 'corrupt', 'restore');
    if (windows.length === 0) return notJudged(this.name, 'no state file was corrupted in this run.', { corrupted: 0 });
    const found: CorruptStart[] = [];
    const w = new Witnesses();
    let refused = 0;
    for (const win of windows) {
      const corruption = String(win.opened.data?.['corruption'] ?? '?');
      let started: CorruptStart | undefined;
      let startedBy: HistoryEntry | undefined;
      let exited = false;
      for (const e of history) {
        if (e.t <= win.from || e.t >= win.to) continue;
        // A refusal is an exit with an error code (our node exits 1): a clean exit (0) or a
        // signal (the nemesis's kill) refused nothing.
        if (e.type === 'process' && e.node === win.node && e.action === 'exit' && typeof e.code === 'number' && e.code !== 0) exited = true;
        // The earliest sign of a start (events are drained after the polls that follow them).
        if (started !== undefined && started.atMs <= e.t) continue;
        if (e.type === 'node-event' && e.node === win.node && e.kind === 'start') {
          started = { node: win.node, atMs: e.t, corruption, term: e['stateTerm'], votedFor: e['stateVotedFor'], seenIn: 'start event' };
          startedBy = e;
        } else if (e.type === 'poll' && e.node === win.node && e.outcome === 'ok') {
          started = { node: win.node, atMs: e.t, corruption, term: e.term, votedFor: e.votedFor, seenIn: 'poll' };
          startedBy = e;
        }
      }
      if (started !== undefined) {
        found.push(started);
        w.add(win.opened, startedBy);
      } else if (exited) refused++;
    }
    const details = { corrupted: windows.length, refused, violations: found };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} started at ${ms(f.atMs)} from a ${f.corruption} state file (${f.seenIn}: term ${JSON.stringify(f.term)}, vote ${JSON.stringify(f.votedFor ?? null)})`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} node(s) started from a corrupt state file: ${say}.`, witnesses: w.toArray(), details };
    }
    if (refused === 0) return notJudged(this.name, `${windows.length} state file(s) corrupted, but no start attempt of those nodes was seen.`, details);
    return { name: this.name, verdict: 'valid', message: `${refused} node(s) refused to start from a corrupt state file (exited).`, witnesses: [], details };
  },
};
