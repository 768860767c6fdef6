import type { HistorySink } from '../history/sink.js';
import type { HistoryEntry } from '../history/types.js';
import { fmtMs } from '../util/time-format.js';

/**
 * A history sink that says, as it is recorded, when the history already shows a safety
 * violation: two nodes leading the same term (a split brain), from a leader poll or a node's
 * `become-leader` event. One line per term, through `say`, at the time the harness learned of
 * it; the `election-safety` check judges the whole history afterwards (this line is news, not
 * the verdict). Pure bookkeeping: it writes nothing and never throws.
 */
export class LiveViolations implements HistorySink {
  /** First node seen leading each term, and when. */
  private readonly leaders = new Map<number, { node: string; t: number }>();
  private readonly told = new Set<number>();

  constructor(private readonly say: (line: string, atMs: number) => void) {}

  write(e: HistoryEntry): void {
    let node: string | undefined;
    let term: number | undefined;
    if (e.type === 'poll' && e.outcome === 'ok' && e.state === 'leader' && typeof e.term === 'number') {
      node = e.node;
      term = e.term;
    } else if (e.type === 'node-event' && e.kind === 'become-leader' && typeof e.term === 'number') {
      node = e.node;
      term = e.term;
    }
    if (node === undefined || term === undefined) return;
    const first = this.leaders.get(term);
    if (!first) {
      this.leaders.set(term, { node, t: e.t });
      return;
    }
    if (first.node === node || this.told.has(term)) return;
    this.told.add(term);
    // Node events may carry an earlier time than entries recorded before them: name the earlier first.
    const [a, b] = first.t <= e.t ? [first, { node, t: e.t }] : [{ node, t: e.t }, first];
    this.say(`VIOLATION election-safety: two leaders in term ${term}: ${a.node} (at ${fmtMs(a.t)}) and ${b.node} (at ${fmtMs(b.t)})`, e.t);
  }

  async close(): Promise<void> {}
}
