import type { HistoryEntry } from '../history/types.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

interface Boot {
  node: string;
  bootId: string;
  first: number;
  max: number;
  maxEntry: HistoryEntry;
  min: number;
  minEntry: HistoryEntry;
  lastPoll: { term: number; entry: HistoryEntry } | null;
  lastEvent: { term: number; seq: number; entry: HistoryEntry } | null;
}

/** A term going back on one node. */
export interface TermRegression {
  node: string;
  from: number;
  to: number;
  atMs: number;
  /** `within-boot`: one process went back; `restart`: a restarted process came back lower (lost persistence). */
  where: 'within-boot' | 'restart';
  bootId: string;
}

/** The term an entry reports for its node, with its boot, or null. */
function observation(e: HistoryEntry): { node: string; bootId: string; term: number } | null {
  if (e.type === 'poll') {
    if (e.outcome !== 'ok' || e.term === undefined) return null;
    return { node: e.node, bootId: e.bootId ?? '(no boot id)', term: e.term };
  }
  if (e.type === 'node-event') {
    const term = e.kind === 'start' && typeof e.stateTerm === 'number' ? e.stateTerm : e.term;
    return typeof term === 'number' ? { node: e.node, bootId: e.bootId, term } : null;
  }
  return null;
}

/**
 * Terms never go back (Raft Figure 2: currentTerm is persistent and only increases). Within one
 * process (boot id), each node's polls in order and its events in seq order never show a lower
 * term; across restarts, every term a later boot reports is at least the highest term any
 * earlier boot of that node reported, so a node that forgot its term on restart shows here.
 * Polls and events are not compared with each other within a boot (their clocks differ by a
 * few ms). One pass, plus a sort of each node's boots.
 */
export const monotonicTerms: Checker = {
  name: 'monotonic-terms',
  description: "No node's term ever goes down, across restarts.",
  check(history, ctx): CheckResult {
    // A subject that keeps its term in memory only starts over on each boot: judged within boots.
    const acrossBoots = subjectLacks(ctx, ['durable'], 'keeps its term in memory only (not durable)') === null;
    const boots = new Map<string, Boot>();
    const byNode = new Map<string, Map<string, Boot>>(); // the same boots, looked up without building a key
    const regressions: TermRegression[] = [];
    const w = new Witnesses();
    for (const e of history) {
      const o = observation(e);
      if (!o) continue;
      let ofNode = byNode.get(o.node);
      if (!ofNode) byNode.set(o.node, (ofNode = new Map()));
      let b = ofNode.get(o.bootId);
      if (!b) {
        b = { node: o.node, bootId: o.bootId, first: e.t, max: o.term, maxEntry: e, min: o.term, minEntry: e, lastPoll: null, lastEvent: null };
        boots.set(`${o.node}\u0000${o.bootId}`, b);
        ofNode.set(o.bootId, b);
      }
      if (e.t < b.first) b.first = e.t;
      if (o.term > b.max) {
        b.max = o.term;
        b.maxEntry = e;
      }
      if (o.term < b.min) {
        b.min = o.term;
        b.minEntry = e;
      }
      const prev = e.type === 'poll' ? b.lastPoll : b.lastEvent;
      const seq = e.type === 'node-event' ? e.seq : 0;
      if (prev && o.term < prev.term && (e.type === 'poll' || seq > (b.lastEvent?.seq ?? 0))) {
        regressions.push({ node: o.node, from: prev.term, to: o.term, atMs: e.t, where: 'within-boot', bootId: o.bootId });
        w.add(prev.entry, e);
      }
      if (e.type === 'poll') b.lastPoll = { term: o.term, entry: e };
      else if (!b.lastEvent || seq > b.lastEvent.seq) b.lastEvent = { term: o.term, seq, entry: e };
    }

    const bootsByNode = new Map<string, Boot[]>();
    for (const b of boots.values()) {
      const list = bootsByNode.get(b.node) ?? [];
      list.push(b);
      bootsByNode.set(b.node, list);
    }
    for (const list of acrossBoots ? bootsByNode.values() : []) {
      list.sort((a, b) => a.first - b.first);
      let best: Boot | null = null;
      for (const b of list) {
        if (best && b.min < best.max) {
          regressions.push({ node: b.node, from: best.max, to: b.min, atMs: b.minEntry.t, where: 'restart', bootId: b.bootId });
          w.add(best.maxEntry, b.minEntry);
        }
        if (!best || b.max > best.max) best = b;
      }
    }

    const details = { regressions, boots: boots.size };
    if (regressions.length > 0) {
      const say = regressions
        .slice(0, 3)
        .map((r) =>
          r.where === 'restart'
            ? `${r.node} restarted (boot ${r.bootId}) with term ${r.to} after reaching term ${r.from} before, at ${ms(r.atMs)}: lost persistence`
            : `${r.node} went from term ${r.from} to ${r.to} at ${ms(r.atMs)} without restarting`,
        )
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `Term went back: ${say}.`, witnesses: w.toArray(), details };
    }
    if (bootsByNode.size === 0) return notJudged(this.name, 'no node reported a term, so none could go back.', details);
    const changed = [...bootsByNode.values()].some((list) => list.length > 1 || list.some((b) => b.min !== b.max));
    if (!changed) return notJudged(this.name, `no node's term changed and none restarted (${bootsByNode.size} nodes), so none could go back.`, details);
    const within = acrossBoots ? '' : `, within each boot only: subject ${ctx.subject?.name} keeps its term in memory, so across restarts it does not apply`;
    return { name: this.name, verdict: 'valid', message: `No term went back (${bootsByNode.size} nodes, ${boots.size} boots${within}).`, witnesses: [], details: acrossBoots ? details : { ...details, acrossBoots: false } };
  },
};
