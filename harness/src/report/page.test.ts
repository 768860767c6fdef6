import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checkers/types.js';
import type { HistoryEntry } from '../history/types.js';
import { buildModel } from './model.js';
import { renderReportPage, storyOf } from './page.js';
import { synthResults, synthRun } from './synthetic-history.js';
import { writeReport } from './write-report.js';

const text = (h: { toString(): string }): string => h.toString().replace(/<[^>]+>/g, '');

describe('report page', () => {
  it('lists a fault before the violation it caused when they share a millisecond', () => {
    const run = synthRun({ seed: 7 });
    // The fault is stamped at 2000.6 ms; a poll that already saw its effect at 2000.2 ms.
    const history = run.history.map((e) => (e.type === 'fault-start' ? { ...e, t: 2000.6 } : e));
    const fault = history.find((e) => e.type === 'fault-start')!;
    const poll: HistoryEntry = { type: 'poll', t: 2000.2, wall: 0, node: 'n2', outcome: 'timeout', latencyMs: 100, error: 'no answer' };
    const results: CheckResult[] = [
      ...synthResults(run).filter((r) => r.name !== 'election-time'),
      { name: 'election-time', verdict: 'invalid', message: 'too slow', witnesses: [poll, fault] },
    ];
    const story = storyOf(buildModel(history, results)).filter((i) => Math.floor(i.t) === 2000);
    expect(story.map((i) => text(i.text))).toEqual([expect.stringMatching(/^fault isolate leader n\d starts/), 'violation: election-time']);
  });

  it('counts every fault in the failover header, and says which measurements were not judged', () => {
    const run = synthRun({ seed: 7, faults: [{ kind: 'isolate-leader', holdMs: 3000 }, { kind: 'latency', holdMs: 500 }, { kind: 'kill-leader', holdMs: 2000 }] });
    const faults = run.history.filter((e) => e.type === 'fault-start');
    expect(faults).toHaveLength(3);
    const results: CheckResult[] = [
      ...synthResults(run).filter((r) => r.name !== 'election-time'),
      {
        name: 'election-time', verdict: 'valid', message: 'ok', witnesses: [],
        details: {
          boundMs: 850,
          failovers: [
            { faultId: 'f1', fault: 'a', kind: 'fault', atMs: 1000, ms: 200, outcome: 'ok' },
            { faultId: 'f1', fault: 'a', kind: 'heal', atMs: 4000, ms: 20, outcome: 'ok' },
            { faultId: 'f3', fault: 'c', kind: 'fault', atMs: 6000, ms: null, outcome: 'healed-first' },
          ],
        },
      },
    ];
    const page = renderReportPage(buildModel(run.history, results));
    const counts = /<small id="failover-counts">([^<]*)<\/small>/.exec(page)![1];
    expect(counts).toBe('time to a settled leader · 3 faults · 1 timed after removing the leader (median 200 ms, worst 200 ms) · 1 after a heal · 1 not judged');
    expect(page).toContain('not judged: healed before a new leader');
  });

  it('links to the index of all runs, the history, the JUnit file and the node logs', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'report-links-')), '20261206-010203045-partition-leader-s7');
    await mkdir(join(dir, 'nodes', 'logs'), { recursive: true });
    await writeFile(join(dir, 'nodes', 'logs', 'n1.log'), 'x');
    await writeFile(join(dir, 'nodes', 'logs', 'n2.log'), 'x');
    const run = synthRun({ seed: 7 });
    const files = await writeReport(dir, { history: run.history, results: synthResults(run), summary: {} });
    const page = await readFile(files.html, 'utf8');
    expect(page).toContain('<a href="../index.html" data-link="index">');
    expect(page).toContain('<a href="history.jsonl" data-link="history">');
    expect(page).toContain('<a href="junit.xml" data-link="junit">');
    expect([...page.matchAll(/<a href="([^"]+)" data-link="log">/g)].map((m) => m[1])).toEqual(['nodes/logs/n1.log', 'nodes/logs/n2.log']);
  });

  it('shows when a simulated run ran (its folder), not its virtual 2000-01-01, and the lane votes', () => {
    const run = synthRun({ seed: 7 });
    const history = run.history.map((e): HistoryEntry => (e.type === 'run-start' ? { ...e, runtime: 'sim', wall: Date.UTC(2000, 0, 1) } : e));
    const m = buildModel(history, synthResults(run), { folder: '20261206-010203045-partition-leader-s7-sim0abc12' });
    expect(m.run.ranAt).toBe('2026-12-06T01:02:03.045Z');
    const page = renderReportPage(m);
    expect(page).toContain('<dt>ran</dt><dd>2026-12-06 01:02:03 UTC</dd>');
    expect(m.lanes.every((l) => l.votes.length > 0)).toBe(true);
  });
});
