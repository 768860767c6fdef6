import type { EventsGapEntry, HistoryEntry, PollEntry } from '../history/types.js';
import { faultDown } from './support/active-faults.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { subjectLacks, type Checker, type CheckResult } from './types.js';

/** Below this share of the polls expected of a node, what the run saw of it is too thin. */
export const MIN_POLL_RATIO = 0.5;

/** Per-node observation figures. */
export interface NodeObservation {
  node: string;
  okPolls: number;
  expectedPolls: number;
  ratio: number | null;
  events: number;
}

/**
 * Observation quality: the run is unknown (not valid) when the harness saw too little to judge:
 * a node with no ok poll; a node with under MIN_POLL_RATIO of its expected ok polls (one per
 * `pollIntervalMs`, from the first poll, or from its own first start when that came later (a
 * staggered start), to teardown, leaving out times it was killed, stopped, paused or being
 * rolled); a node with ok polls but no node events at all; any `events-gap`
 * (node events lost); or a history with no `run-end` or an interrupted one. One pass.
 */
export const observation: Checker = {
  name: 'observation',
  description: 'Enough successful polls and no lost node events, so the other verdicts mean something.',
  check(history, ctx): CheckResult {
    const interval = ctx.config.pollIntervalMs;
    const ok = new Map<string, number>();
    const events = new Map<string, number>();
    const excludedMs = new Map<string, number>();
    const downSince = new Map<string, { depth: number; since: number }>();
    const faultTargets = new Map<string, string[]>();
    // Each node's first start (a node started late is not expected to answer before it).
    const startedAt = new Map<string, number>();
    const gaps: EventsGapEntry[] = [];
    // Status bodies that came back 200 but could not be read through the subject's map.
    const malformed: PollEntry[] = [];
    const hasEvents = subjectLacks(ctx, ['events'], 'has no events') === null;
    let first: number | null = null;
    let end: number | null = null;
    let runEnd: HistoryEntry | null = null;
    let lastT = 0;
    const down = (n: string, t: number) => {
      const d = downSince.get(n);
      if (d) d.depth++;
      else downSince.set(n, { depth: 1, since: t });
    };
    const up = (n: string, t: number) => {
      const d = downSince.get(n);
      if (!d) return;
      if (--d.depth === 0) {
        excludedMs.set(n, (excludedMs.get(n) ?? 0) + (t - d.since));
        downSince.delete(n);
      }
    };
    for (const e of history) {
      if (e.type === 'run-end') runEnd = e;
      if (end !== null) continue;
      if (isTeardown(e)) {
        end = e.t;
        continue;
      }
      if (e.type === 'node-event') {
        events.set(e.node, (events.get(e.node) ?? 0) + 1);
        continue;
      }
      lastT = Math.max(lastT, e.t);
      if (e.type === 'process' && e.action === 'start' && !startedAt.has(e.node)) startedAt.set(e.node, e.t);
      if (e.type === 'poll') {
        first ??= e.t;
        if (e.malformed) malformed.push(e);
        if (e.outcome === 'ok' && !downSince.has(e.node)) ok.set(e.node, (ok.get(e.node) ?? 0) + 1);
      } else if (e.type === 'events-gap') gaps.push(e);
      else if (e.type === 'fault-start' && faultDown(e).length > 0) {
        faultTargets.set(e.id, [...faultDown(e)]);
        for (const n of faultDown(e)) down(n, e.t);
      } else if (e.type === 'fault-end' && faultTargets.has(e.id)) {
        for (const n of faultTargets.get(e.id) as string[]) up(n, e.t);
        faultTargets.delete(e.id);
      }
    }
    const stop = end ?? runEnd?.t ?? lastT;
    for (const n of [...downSince.keys()]) {
      const d = downSince.get(n) as { since: number };
      excludedMs.set(n, (excludedMs.get(n) ?? 0) + (stop - d.since));
    }
    const span = first === null ? 0 : stop - first;
    const nodes: NodeObservation[] = ctx.nodes.map((node) => {
      const from = first === null ? stop : Math.max(first, startedAt.get(node) ?? first);
      const expectedPolls = Math.floor(Math.max(0, stop - from - (excludedMs.get(node) ?? 0)) / interval);
      const okPolls = ok.get(node) ?? 0;
      return { node, okPolls, expectedPolls, ratio: expectedPolls > 0 ? okPolls / expectedPolls : null, events: events.get(node) ?? 0 };
    });

    const problems: string[] = [];
    const w = new Witnesses();
    if (!runEnd) problems.push('the history has no run-end (cut short)');
    else if (runEnd.type === 'run-end' && runEnd.interrupted) {
      problems.push(`the run was interrupted (${runEnd.interrupted})`);
      w.add(runEnd);
    }
    for (const o of nodes) {
      if (o.okPolls === 0) problems.push(`${o.node} never answered a poll`);
      else if (o.ratio !== null && o.ratio < MIN_POLL_RATIO) {
        problems.push(`${o.node} answered ${o.okPolls} of ${o.expectedPolls} expected polls (${Math.round(o.ratio * 100)}%)`);
      } else if (o.events === 0 && hasEvents) problems.push(`no node events were read from ${o.node}`);
    }
    if (malformed.length > 0) {
      // One example a node (the first), at most three.
      const examples: string[] = [];
      const shown = new Set<string>();
      for (const p of malformed) {
        if (shown.has(p.node) || examples.length === 3) continue;
        shown.add(p.node);
        examples.push(`${p.node}: ${p.error}`);
      }
      problems.unshift(`${malformed.length} status answer(s) could not be read, e.g. ${examples.join(' | ')}`);
      for (const p of malformed.slice(0, 5)) w.add(p);
    }
    for (const g of gaps) w.add(g);
    if (gaps.length > 0) {
      const lost = gaps.reduce((sum, g) => sum + (g.toSeq - g.fromSeq + 1), 0);
      const which = [...new Set(gaps.map((g) => g.node))].join(', ');
      problems.push(`${lost} node event(s) were lost in ${gaps.length} gap(s) (${which}), first at ${ms((gaps[0] as EventsGapEntry).t)}`);
    }
    const details = { nodes, eventsGaps: gaps.length, minPollRatio: MIN_POLL_RATIO, observedMs: span, ...(malformed.length ? { malformedPolls: malformed.length } : {}) };
    if (problems.length > 0) {
      return { name: this.name, verdict: 'unknown', message: `Observation too thin to trust the verdicts: ${problems.slice(0, 4).join('; ')}.`, witnesses: w.toArray(), details };
    }
    const worst = nodes.reduce((m, o) => Math.min(m, Math.min(1, o.ratio ?? 1)), 1);
    const evs = hasEvents ? 'no node events lost' : `status polls only (subject ${ctx.subject?.name} gives no events)`;
    return { name: this.name, verdict: 'valid', message: `Every node answered at least ${Math.round(worst * 100)}% of expected polls; ${evs}.`, witnesses: [], details };
  },
};
