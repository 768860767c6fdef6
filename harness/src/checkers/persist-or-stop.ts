import type { HistoryEntry } from '../history/types.js';
import { diskWindows, type DiskWindow } from './support/disk-windows.js';
import { ms, Witnesses } from './support/witnesses.js';
import { LOADED_SAVE_MS, loadedSaveMaxMs } from './support/write-time.js';
import { notJudged, type Checker, type CheckResult } from './types.js';

/**
 * A write issued just before the disk refused may still complete, and the node logs the step's
 * events once it has (its driver persists, then logs): what a node shows within this many ms
 * after its disk began to refuse counts as made durable before (the longest save on a loaded
 * host, LOADED_SAVE_MS). A `--disk sync-delay=MS` makes every save 2 x MS longer, and the grace
 * with it (diskFaultGraceMs).
 */
export const DISK_FAULT_GRACE_MS = LOADED_SAVE_MS;

/** The grace under `--disk` mode `disk`: DISK_FAULT_GRACE_MS plus what the mode adds to a save. */
export function diskFaultGraceMs(disk: string | undefined): number {
  return loadedSaveMaxMs(disk);
}

/** A node that showed state it could not have made durable while its disk refused writes. */
export interface UnpersistedState {
  node: string;
  atMs: number;
  /** What it showed: `term 5` (above the term it had when its disk failed) or `vote for n2 in term 4`. */
  what: string;
  /** Its term (and vote in that term) when the disk failed. */
  durableTerm: number;
  durableVote: string | null;
  /** Where it showed it: a poll of its status or one of its events. */
  seenIn: 'poll' | 'event';
}

/** Term and vote a history entry shows of its node (a poll's status, an event), or undefined. */
function stateShown(e: HistoryEntry): { term: number; votedFor?: string | null; how: 'poll' | 'event' } | undefined {
  if (e.type === 'poll') {
    if (e.outcome !== 'ok' || typeof e.term !== 'number') return undefined;
    return { term: e.term, ...(e.votedFor !== undefined ? { votedFor: e.votedFor } : {}), how: 'poll' };
  }
  if (e.type === 'node-event') {
    if (typeof e.term !== 'number') return undefined;
    // A vote of its own term (not a pre-vote, which changes nothing durable) or its own candidacy.
    if (e.kind === 'vote' && e['granted'] === true && e['preVote'] !== true && typeof e['candidate'] === 'string') return { term: e.term, votedFor: e['candidate'], how: 'event' };
    if (e.kind === 'become-candidate') return { term: e.term, votedFor: e.node, how: 'event' };
    // A start shows what the node loaded: durable by definition.
    return { term: e.term, how: 'event' };
  }
  return undefined;
}

/**
 * Raft's durability rule (Figure 2, "Persistent state on all servers: updated on stable
 * storage before responding to RPCs"; §5.1): what a node shows of its term and vote must be
 * durable. While its disk refuses writes (a `disk-fail` fault, between its `fail` and `heal`
 * notes), a node can make nothing durable, so it must show no term above the one it had when
 * the disk failed and no vote in that term other than the one it had: it keeps its state, or
 * it stops (our node exits 1 at the first save that fails; `node-crash` expects that exit).
 * A poll of its status or one of its events showing a newer term or another vote is a
 * violation: that node answers, or would answer after a crash, with state it never persisted,
 * and may vote twice in a term. The state a node had when its disk failed is the highest term
 * (and that term's vote) it showed before, or within the grace after (diskFaultGraceMs: a write
 * issued before the disk refused, logged once done). A span is judged only when its node's state
 * before the fault was seen, the span outlasts the grace, and something of that node falls in
 * it after the grace (a poll, an event: something to hold to the rule) or it exited in it
 * (it stopped, as the rule allows). Not judged without such a span.
 */
export const persistOrStop: Checker = {
  name: 'persist-or-stop',
  description: 'A node whose disk refuses writes shows no newer term and no new vote until it works again: it stops or keeps the state it made durable (Figure 2: persist before responding).',
  check(history, ctx): CheckResult {
    const windows = diskWindows(history, 'fail', 'heal');
    const grace = diskFaultGraceMs(ctx.config.disk);
    if (windows.length === 0) return notJudged(this.name, "no node's disk refused writes in this run.", { windows: 0 });
    const found: UnpersistedState[] = [];
    const w = new Witnesses();
    let judged = 0;
    for (const win of windows) {
      const r = judgeWindow(history, win, grace);
      if (r === undefined) continue;
      judged++;
      for (const v of r.violations) found.push(v.found);
      if (r.violations.length > 0) w.add(win.opened, ...r.violations.slice(0, 4).map((v) => v.entry));
    }
    const details = { windows: windows.length, judged, violations: found };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} showed ${f.what} at ${ms(f.atMs)} (${f.seenIn}) while its disk refused writes (durable: term ${f.durableTerm}, vote ${f.durableVote ?? 'none'})`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} state(s) shown that could not be durable: ${say}.`, witnesses: w.toArray(), details };
    }
    if (judged === 0) return notJudged(this.name, `${windows.length} disk fault(s), but in none was a node's state seen before its disk failed and the node seen (or seen to exit) after the ${ms(grace)} grace.`, details);
    return { name: this.name, verdict: 'valid', message: `In ${judged} span(s) of a disk refusing writes, no node showed a newer term or a new vote.`, witnesses: [], details };
  },
};

/** Judges one span; undefined when it cannot be judged (see persistOrStop). */
function judgeWindow(history: readonly HistoryEntry[], win: DiskWindow, grace: number): { violations: Array<{ found: UnpersistedState; entry: HistoryEntry }> } | undefined {
  let term: number | undefined;
  let vote: string | null = null;
  const settled = win.from + grace;
  if (win.to <= settled) return undefined;
  for (const e of history) {
    if (e.t > settled) continue;
    if ((e.type !== 'poll' && e.type !== 'node-event') || e.node !== win.node) continue;
    const s = stateShown(e);
    if (s === undefined) continue;
    if (term === undefined || s.term > term) {
      term = s.term;
      vote = s.votedFor ?? null;
    } else if (s.term === term && s.votedFor != null) {
      vote = s.votedFor;
    }
  }
  if (term === undefined) return undefined;
  const violations: Array<{ found: UnpersistedState; entry: HistoryEntry }> = [];
  let seen = false;
  for (const e of history) {
    if (e.type === 'process' && e.action === 'exit' && e.node === win.node && e.t > win.from && e.t < win.to) seen = true;
    if (e.t <= settled || e.t >= win.to) continue;
    if ((e.type !== 'poll' && e.type !== 'node-event') || e.node !== win.node) continue;
    const s = stateShown(e);
    if (s === undefined) continue;
    seen = true;
    let what: string | undefined;
    if (s.term > term) what = `term ${s.term}`;
    else if (s.term === term && s.votedFor != null && s.votedFor !== vote) what = `a vote for ${s.votedFor} in term ${term}`;
    if (what === undefined) continue;
    violations.push({ found: { node: win.node, atMs: e.t, what, durableTerm: term, durableVote: vote, seenIn: s.how }, entry: e });
  }
  return seen ? { violations } : undefined;
}
