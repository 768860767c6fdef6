import { describe, expect, it } from 'vitest';
import { checkAll } from '../../checkers/index.js';
import type { RunStartEntry } from '../../history/types.js';
import { synthRun } from '../synthetic-history.js';
import { renderReportHtml } from '../write-report.js';

describe('the Votes section of a report page', () => {
  it('a subject without node events: the poll summary, said so, and no arrows; the page JSON carries no diagrams', () => {
    const history = synthRun({ seed: 5, faults: [{ kind: 'isolate-leader', holdMs: 2000 }] }).history.filter((e) => e.type !== 'node-event');
    const start = history[0] as RunStartEntry;
    const { results } = checkAll(history, { nodes: start.nodes, config: start.config });
    const page = renderReportHtml(history, results);
    expect(page).toContain('data-votes-source="polls"');
    expect(page).toContain('This subject gives no node events');
    expect(page).not.toContain('data-vote-from');
    const terms = [...page.matchAll(/data-poll-term="(\d+)"/g)].map((m) => +m[1]!);
    expect(terms.length).toBeGreaterThanOrEqual(2); // a leader before the fault and one after
    expect(terms).toEqual([...terms].sort((a, b) => a - b));
    const json = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)![1]!);
    expect(json.votes).toBeUndefined();
    expect(json.voteTerms).toEqual([]);
  });
});
