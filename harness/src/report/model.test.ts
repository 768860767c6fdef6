import { describe, expect, it } from 'vitest';
import { checkAll } from '../checkers/index.js';
import type { RunStartEntry } from '../history/types.js';
import { buildModel, normalizeFailovers, normalizeStale, summarizeCuts } from './model.js';
import { buildSummary } from './summary.js';
import { synthResults, synthRun } from './synthetic-history.js';

function realResults(run: ReturnType<typeof synthRun>) {
  const start = run.history[0] as RunStartEntry;
  return checkAll(run.history, { nodes: start.nodes, config: start.config }).results;
}

describe('buildModel', () => {
  it('describes a partition-leader run: lanes, fault band over the lanes it touches, leader changes', () => {
    const run = synthRun({ seed: 7 });
    const m = buildModel(run.history, synthResults(run));
    expect(m.lanes.map((l) => l.node)).toEqual(['n1', 'n2', 'n3']);
    expect(m.faults).toHaveLength(1);
    const f = m.faults[0]!;
    expect(f.label).toMatch(/^isolate leader n\d$/);
    expect(f.healed).toBe(true);
    expect(f.lanes).toEqual([0, 1, 2]);
    expect(f.cuts.split(' ')).toHaveLength(2);
    expect(m.leaderChanges.map((c) => c.term)).toEqual([1, 2]);
    expect(m.recovery).not.toBeNull();
    expect(m.failovers).toHaveLength(1);
    expect(m.verdict).toBe('valid');
    for (const lane of m.lanes) expect(lane.segs.length).toBeLessThan(40);
  });

  it('places a split brain found by the real checker on both leaders’ lanes', () => {
    const run = synthRun({ seed: 3, splitBrain: { atMs: 2000, holdMs: 400 } });
    const results = realResults(run);
    expect(results.find((r) => r.name === 'election-safety')!.verdict).toBe('invalid');
    const m = buildModel(run.history, results);
    const v = m.violations.find((x) => x.check === 'election-safety')!;
    const lanes = new Set(v.marks.map((k) => m.lanes[k.lane]!.node));
    expect(lanes).toEqual(new Set(run.splitBrain!.nodes));
    expect(v.witnesses.join('\n')).toMatch(/become-leader term 2/);
    expect(m.verdict).toBe('invalid');
  });

  it('reads the real election-time and election-safety details', () => {
    const run = synthRun({ seed: 5, nodes: 5, faults: [{ kind: 'kill-leader', holdMs: 2000 }, { kind: 'pause-leader', holdMs: 1500 }] });
    const m = buildModel(run.history, realResults(run));
    expect(m.failovers.filter((f) => f.kind === 'fault')).toHaveLength(2);
    expect(m.failovers.some((f) => f.label.startsWith('heal of '))).toBe(true);
    expect(m.failovers.every((f) => f.ms === null || f.ms > 0 || f.kind === 'heal')).toBe(true);
    expect(m.staleLeaders.length).toBeGreaterThan(0);
    expect(m.procs.some((p) => p[1] === 'paused')).toBe(true);
    expect(m.electionBoundMs).toBe(1000);
  });

  it('survives an empty or cut-short history', () => {
    const m = buildModel([], []);
    expect(m.lanes).toEqual([]);
    expect(m.verdict).toBe('valid');
    expect(m.run.interrupted).toMatch(/cut short/);
    const run = synthRun({ seed: 1 });
    const cut = run.history.slice(0, Math.floor(run.history.length / 2));
    const m2 = buildModel(cut, []);
    expect(m2.faults[0]?.healed ?? false).toBe(false);
  });
});

describe('helpers', () => {
  it('summarizes cuts both ways as ↔', () => {
    expect(summarizeCuts([['n1', 'n2'], ['n2', 'n1'], ['n1', 'n3']])).toBe('n1↔n2 n1→n3');
  });
  it('normalizes failovers and stale leaders under the names the checkers use', () => {
    expect(normalizeFailovers([{ faultId: 'f1', fault: 'kill n1', kind: 'heal', atMs: 5, ms: null, outcome: 'none' }])).toEqual([
      { faultId: 'f1', label: 'heal of kill n1', kind: 'heal', atMs: 5, ms: null, outcome: 'none', judged: true },
    ]);
    // Only ok, slow and none are held to the bound; informational ones never are.
    const judged = normalizeFailovers(
      ['ok', 'slow', 'none', 'healed-first', 'no-leader-before', 'window-ended', 'not-expected', 'no-majority'].map((outcome) => ({ faultId: 'f', fault: 'x', kind: 'fault', atMs: 0, ms: null, outcome })),
    ).map((f) => f.judged);
    expect(judged).toEqual([true, true, true, false, false, false, false, false]);
    expect(normalizeFailovers([{ faultId: 'f', fault: 'x', kind: 'fault', atMs: 0, ms: 300, outcome: 'ok', informational: true }])[0]!.judged).toBe(false);
    expect(normalizeStale([{ node: 'n1', term: 2, from: 10, to: 30, durationMs: 20 }, 'junk', { node: 'x' }])).toEqual([
      { node: 'n1', term: 2, atMs: 10, ms: 20 },
    ]);
  });
});

describe('buildSummary', () => {
  it('has the fields the runner and the index rely on', () => {
    const run = synthRun({ seed: 7 });
    const s = buildSummary(run.history, realResults(run));
    expect(Object.keys(s)).toEqual(
      expect.arrayContaining(['scenario', 'seed', 'runtime', 'nodes', 'verdict', 'checks', 'failovers', 'elections', 'durationMs', 'replay', 'startedAt']),
    );
    expect(s).toMatchObject({ scenario: 'partition-leader', seed: 7, runtime: 'process', nodes: 3, verdict: 'valid', elections: 2 });
    expect(s.checks['election-safety']!.verdict).toBe('valid');
    expect(s.failovers.find((f) => f.kind === 'fault')).toMatchObject({ fault: expect.stringMatching(/^isolate leader/), ms: expect.any(Number) });
    expect(s.replay).toContain('--seed 7');
    expect(s.interrupted).toBeUndefined();
  });
});
