import { DISK_FAULT_KINDS } from '../history/disk-notes.js';
import type { ProcessEntry } from '../history/types.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, type Checker, type CheckResult } from './types.js';

/** A node process that ended without the harness asking it to. */
export interface UnexpectedExit {
  node: string;
  atMs: number;
  code: number | null;
  signal: string | null;
  /** What is known of why (the simulator names the input the node was handling and the error). */
  detail?: string;
}

/**
 * Nodes do not die by themselves: every node process that exits before the teardown was
 * killed or stopped by the nemesis (a `process` `kill` or `stop` entry for it since its last
 * start). An exit with none is the node's own failure (an uncaught error, a fatal storage
 * error, an assertion): invalid, whatever its exit code. A node whose core throws, or asks
 * for a tick at or before the time it was just ticked, fails in its driver (NodeDriver): on
 * processes it logs a fatal line naming the input and exits 1; in simulation it is taken down
 * and recorded as such an exit, naming the input and the error.
 * A disk fault excuses a storage failure's exit (isStorageExit) of a node it aims at while it
 * holds (between its `fault-start` and `fault-end`): a node whose disk refuses writes stops
 * rather than answer with state it could not persist, and one whose state file is corrupt
 * refuses to start (`persist-or-stop` and `refuse-corrupt-state` judge those nodes);
 * `details.diskExits` counts them. Any other exit under a disk fault (a core failure, a crash
 * without a word) is still the node's own failure.
 * Exits during the setup phase are not judged here: a node that dies before the cluster is up
 * means the run could not start, which the runtime reports as such (exit 3, with the tail of
 * the node's output), not as a verdict on a run that never began.
 * Not judged when no node process was seen to start or end (the teardown's exits count).
 */
export const nodeCrash: Checker = {
  name: 'node-crash',
  description: 'No node process exits or crashes unless the nemesis killed or stopped it.',
  check(history): CheckResult {
    const asked = new Set<string>();
    const found: UnexpectedExit[] = [];
    const w = new Witnesses();
    let exits = 0;
    let ended = false;
    // Judged once some node process was seen to start or end (the teardown's exits count).
    let seen = false;
    let setUp = false;
    // Nodes under a disk fault now: fault id -> its targets.
    const disk = new Map<string, string[]>();
    let diskExits = 0;
    for (const e of history) {
      if (e.type === 'fault-start' && DISK_FAULT_KINDS.includes(e.kind)) disk.set(e.id, e.targets);
      if (e.type === 'fault-end') disk.delete(e.id);
      if (isTeardown(e) || e.type === 'run-end') ended = true;
      if (e.type === 'phase' && e.phase !== 'setup') setUp = true;
      if (e.type !== 'process') continue;
      if (e.action === 'start' || e.action === 'exit') seen = true;
      if (ended) continue;
      if (e.action === 'start' || e.action === 'ready') {
        asked.delete(e.node);
      } else if (e.action === 'kill' || e.action === 'stop') {
        asked.add(e.node);
      } else if (e.action === 'exit') {
        exits++;
        if (!setUp) continue;
        if (asked.delete(e.node)) continue;
        if (isStorageExit(e) && [...disk.values()].some((ts) => ts.includes(e.node))) {
          diskExits++;
          continue;
        }
        found.push(unexpected(e));
        w.add(e);
      }
    }
    const details = { violations: found, exits, diskExits };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} at ${ms(f.atMs)} (${f.signal ?? `exit code ${f.code ?? '?'}`})${f.detail ? `: ${f.detail}` : ''}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} node exit(s) the nemesis did not cause: ${say}.`, witnesses: w.toArray(), details };
    }
    if (!seen) return notJudged(this.name, 'no node process was seen to start or end.', details);
    const byDisk = diskExits > 0 ? `; ${diskExits} on a disk fault, as a node that cannot persist or read its state must` : '';
    return { name: this.name, verdict: 'valid', message: `No node exited by itself (${exits} exit(s), each after a kill or stop${byDisk}).`, witnesses: [], details };
  },
};

/**
 * Whether an exit is a node stopping on a storage failure: exit code 1 with a detail naming one.
 * In simulation the detail names the error (`crashed on ...: StorageError: ...`, or `could not
 * start: ...` when its state would not load); on processes it is the node's last output line,
 * `raft-chaos node <id>: StorageError: ...` (node/src/main.ts prints it as it exits). Pure.
 */
export function isStorageExit(e: ProcessEntry): boolean {
  if (e.action !== 'exit' || e.code !== 1 || e.detail === undefined) return false;
  return /\bStorageError\b/.test(e.detail) || e.detail.startsWith('could not start:');
}

function unexpected(e: ProcessEntry): UnexpectedExit {
  return { node: e.node, atMs: e.t, code: e.code ?? null, signal: e.signal ?? null, ...(e.detail !== undefined ? { detail: e.detail } : {}) };
}
