import type { HistoryEntry } from '../history/types.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown, observedEnd } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

/** One leadership's first CheckQuorum window, as judged. */
export interface FirstWindow {
  node: string;
  term: number;
  /** When it became leader. */
  atMs: number;
  /** The peers whose AppendEntries reply of its term it was delivered within the window. */
  answered: string[];
  /**
   * `majority`: answers from a majority (itself included), so it may lead on; `stepped-down`:
   * it stopped claiming within the bound; `kept-leading`: no majority answered and it still
   * claimed leadership past the bound (the violation); `went-down`: killed, stopped or paused
   * first; `run-ended`: the observed run ended before the bound.
   */
  outcome: 'majority' | 'stepped-down' | 'kept-leading' | 'went-down' | 'run-ended';
}

const STOP_EVENTS = new Set(['become-follower', 'become-candidate', 'become-pre-candidate', 'step-down']);

function stopped(e: HistoryEntry, node: string, term: number): boolean {
  if ((e as { node?: string }).node !== node) return false;
  if (e.type === 'poll') return e.outcome === 'ok' && (e.state !== 'leader' || e.term !== term);
  if (e.type === 'node-event') return STOP_EVENTS.has(e.kind) || (e.kind === 'term' && typeof e.to === 'number' && e.to > term);
  return false;
}

/**
 * CheckQuorum counts only answers to the current leadership (thesis §6.2: a leader steps down
 * when an election timeout passes without a round of heartbeats answered by a majority; our
 * node's window is the election timeout maximum and starts when it becomes leader). So a leader
 * to which fewer than a majority (itself included) delivered an AppendEntries reply of its own
 * term within its first window must stop claiming leadership within that window plus one
 * heartbeat interval of becoming leader: answers to an earlier leadership of the node, or to
 * requests of an earlier term, must not keep it leading. Sharper than `step-down`, whose bound
 * (two windows) must leave room for a majority heard early in the window of a cut.
 *
 * Judged on the simulated runtime's `delivery` records marked `firstWindow` (every such reply
 * a leader gets in its first window, with CheckQuorum on); not applicable without CheckQuorum
 * or without delivery records (processes and containers), not judged on a simulated history
 * recorded before first-window replies were (no delivery has `firstWindow`).
 */
export const quorumWindow: Checker = {
  name: 'quorum-window',
  description: 'With CheckQuorum, a leader that no majority answered in its first window stops claiming within that window (plus a heartbeat).',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['checkQuorum'], 'has no CheckQuorum, so a leader that no majority answers may lead on');
    if (lacks !== null) return notApplicable(this.name, lacks);
    if (!ctx.config.checkQuorum) return notApplicable(this.name, 'CheckQuorum is off, so a leader that no majority answers may lead on.');
    let deliveries = 0;
    let marked = 0;
    for (const e of history) {
      if (e.type !== 'delivery') continue;
      deliveries++;
      if (e.firstWindow === true) marked++;
    }
    if (deliveries === 0) return notApplicable(this.name, 'the history records no delivered messages (only the simulated runtime records what the network hands each node).');
    const windowMs = ctx.config.electionTimeoutMax;
    const boundMs = windowMs + ctx.config.heartbeatInterval;
    const needed = Math.floor(ctx.nodes.length / 2) + 1;
    const details = (all: FirstWindow[]) => ({ windows: all, windowMs, boundMs, needed });
    if (marked === 0) {
      return notJudged(this.name, `no AppendEntries reply delivered in a leader's first CheckQuorum window is recorded (${deliveries} delivered messages; a history of an older simulated runtime).`, details([]));
    }

    const all: FirstWindow[] = [];
    const open: Array<{ w: FirstWindow; start: HistoryEntry; answered: Set<string> }> = [];
    const w = new Witnesses();
    const end = observedEnd(history);
    const close = (i: number, outcome: FirstWindow['outcome'], at?: HistoryEntry): void => {
      const o = open[i]!;
      o.w.answered = [...o.answered].sort();
      o.w.outcome = o.answered.size + 1 >= needed && outcome !== 'went-down' ? 'majority' : outcome;
      if (o.w.outcome === 'kept-leading') w.add(o.start, at);
      open.splice(i, 1);
    };
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      // Past a bound: a leader still claiming is judged on the answers it had.
      for (let i = open.length - 1; i >= 0; i--) if (e.t > open[i]!.w.atMs + boundMs) close(i, 'kept-leading', e);
      if (e.type === 'delivery' && e.firstWindow === true && e.msg === 'reply' && e.term === e.nodeTerm && e.requestTerm === e.nodeTerm) {
        const o = open.find((x) => x.w.node === e.node && x.w.term === e.nodeTerm && e.t <= x.w.atMs + windowMs);
        o?.answered.add(e.from);
        continue;
      }
      if (e.type === 'process') {
        const i = open.findIndex((x) => x.w.node === e.node);
        if (i >= 0 && (e.action === 'kill' || e.action === 'stop' || e.action === 'pause' || e.action === 'exit')) close(i, 'went-down');
        continue;
      }
      for (let i = open.length - 1; i >= 0; i--) if (stopped(e, open[i]!.w.node, open[i]!.w.term)) close(i, 'stepped-down');
      if (e.type === 'node-event' && e.kind === 'become-leader') {
        const fw: FirstWindow = { node: e.node, term: e.term, atMs: e.t, answered: [], outcome: 'run-ended' };
        all.push(fw);
        open.push({ w: fw, start: e, answered: new Set() });
      }
    }
    for (let i = open.length - 1; i >= 0; i--) close(i, end > open[i]!.w.atMs + boundMs ? 'kept-leading' : 'run-ended');

    const bad = all.filter((x) => x.outcome === 'kept-leading');
    const judged = all.filter((x) => x.outcome !== 'went-down' && x.outcome !== 'run-ended');
    const say = (x: FirstWindow) =>
      `${x.node} (leader of term ${x.term} from ${ms(x.atMs)}) was answered in its first window by ${x.answered.length === 0 ? 'no peer' : x.answered.join(', ')} (a majority is ${needed} with itself) and still claimed leadership ${ms(boundMs)} later`;
    if (bad.length > 0) {
      return {
        name: this.name,
        verdict: 'invalid',
        message: `A leader kept leading past its first CheckQuorum window without a majority's answers of its own term: ${bad.slice(0, 3).map(say).join('; ')}.`,
        witnesses: w.toArray(),
        details: details(all),
      };
    }
    if (judged.length === 0) {
      return notJudged(this.name, `no leadership's first CheckQuorum window (${ms(windowMs)}) was seen through (${all.length} leaderships).`, details(all));
    }
    const alone = judged.filter((x) => x.outcome === 'stepped-down').length;
    return {
      name: this.name,
      verdict: 'valid',
      message: `${judged.length} leadership(s) judged over their first window: ${judged.length - alone} answered by a majority, ${alone} stepped down within ${ms(boundMs)}.`,
      witnesses: [],
      details: details(all),
    };
  },
};
