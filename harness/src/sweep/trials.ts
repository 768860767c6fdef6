import { nodeEvents, roundsBetween } from '../exercises/election-rounds.js';
import type { FailoverBy, FailoverNote } from '../faults/kinds/failovers.js';
import type { HistoryEntry, NoteEntry, PollEntry } from '../history/types.js';
import { LeaderView } from '../poller/leader-view.js';

/** One removal of the leader and what followed. Times are from the fault, ms. */
export interface Trial {
  index: number;
  fault: FailoverBy;
  /** `ok`: a new settled leader; `no-leader`: none within the trial timeout; `no-leader-before`: none to remove. */
  outcome: 'ok' | 'no-leader' | 'no-leader-before';
  oldLeader: string | null;
  oldTerm: number | null;
  newLeader: string | null;
  newTerm: number | null;
  /** Fault to the new leader's own `become-leader` event (what the paper measured). */
  electedMs: number | null;
  /** Fault to a leader settled (followed by a majority) as the harness's polls saw it. */
  settledMs: number | null;
  /** Terms the election took (new term - old term); more than 1 means a split vote (or a lost one). */
  terms: number | null;
  /** Terms in which someone stood (`become-candidate`) between the old and the new term. */
  rounds: number | null;
  /** Without a new leader: what each node last answered. */
  detail?: string;
}

/** The note a `failovers` step records for each failover (faults/kinds/failovers.ts), with its data. */
function failoverNote(e: HistoryEntry): (NoteEntry & { data: FailoverNote }) | undefined {
  return e.type === 'note' && e.data !== undefined && typeof e.data['failover'] === 'number' && typeof e.data['outcome'] === 'string'
    ? (e as NoteEntry & { data: FailoverNote })
    : undefined;
}

/**
 * The trials of a run of a `failovers` step, read from its history (numbered from `first`):
 * one per failover note. The fault's time is its `process` entry for kill and pause (just before
 * the signal, after the node's last events were fetched) and its `fault-start` for an isolation
 * (recorded before the first link is cut); `settledMs` runs to the note (written when the run's
 * wait saw the new leader settled), `electedMs` to the new leader's own `become-leader` event.
 * A trial the run was interrupted in the middle of has no note and is not a trial.
 */
export function trialsFromHistory(history: readonly HistoryEntry[], first = 0): Trial[] {
  const start = history.find((e) => e.type === 'run-start');
  const nodes = start?.type === 'run-start' ? start.nodes : [];
  const events = nodeEvents(history);
  const polls = history.filter((e): e is PollEntry => e.type === 'poll');
  const out: Trial[] = [];
  for (const e of history) {
    const note = failoverNote(e);
    if (!note) continue;
    const d = note.data;
    const empty = { index: first + out.length, fault: d.by, oldLeader: null, oldTerm: null, newLeader: null, newTerm: null, electedMs: null, settledMs: null, terms: null, rounds: null };
    if (d.outcome === 'no-leader-before' || !d.removed) {
      out.push({ ...empty, outcome: 'no-leader-before', detail: lastAnswers(nodes, polls, note.t) });
      continue;
    }
    const at = faultTime(history, d.fault, d.removed.node) ?? note.t;
    const next = d.outcome === 'ok' ? d.leader : undefined;
    const won = next && events.find((v) => v.kind === 'become-leader' && v.node === next.node && v.term === next.term);
    out.push({
      ...empty,
      outcome: next ? 'ok' : 'no-leader',
      oldLeader: d.removed.node,
      oldTerm: d.removed.term,
      newLeader: next?.node ?? null,
      newTerm: next?.term ?? null,
      electedMs: won ? Math.max(0, won.t - at) : null,
      settledMs: next ? note.t - at : null,
      terms: next ? next.term - d.removed.term : null,
      rounds: next ? roundsBetween(events, d.removed.term, next.term) : null,
      ...(next ? {} : { detail: lastAnswers(nodes, polls, note.t) }),
    });
  }
  return out;
}

/** When fault `id` struck `node`: its kill or pause (`process` entry), else its `fault-start`. */
function faultTime(history: readonly HistoryEntry[], id: string | undefined, node: string): number | undefined {
  const i = history.findIndex((e) => e.type === 'fault-start' && e.id === id);
  const start = history[i];
  if (start?.type !== 'fault-start') return undefined;
  if (start.kind !== 'kill' && start.kind !== 'pause') return start.t;
  const hit = history.slice(i + 1).find((e) => e.type === 'process' && e.node === node && e.action === start.kind);
  return hit?.t ?? start.t;
}

/** What each node last answered by `t` (`n1 leader t3, n2 timeout, ...`), as the run's leader view put it. */
function lastAnswers(nodes: readonly string[], polls: readonly PollEntry[], t: number): string {
  const view = new LeaderView({ nodes, now: () => t });
  for (const p of polls) if (p.t <= t) view.observe(p);
  return view.describe();
}
