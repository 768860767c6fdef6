import { describe, expect, it } from 'vitest';
import { expectedElection } from './expectation.js';
import { sweepJson, sweepTables, trialsCsv, CSV_COLUMNS } from './output.js';
import { renderSweepPage } from './page.js';
import { paperFigure } from './paper.js';
import { rangeFigures, rangeNotes, type RangeResult, type SweepResult } from './result.js';
import type { Trial } from './trials.js';

const trial = (index: number, electedMs: number | null, terms = 1): Trial => ({
  index,
  fault: 'kill',
  outcome: electedMs === null ? 'no-leader' : 'ok',
  oldLeader: 'n1',
  oldTerm: 2,
  newLeader: electedMs === null ? null : 'n2',
  newTerm: electedMs === null ? null : 2 + terms,
  electedMs,
  settledMs: electedMs === null ? null : electedMs + 20,
  terms: electedMs === null ? null : terms,
  rounds: electedMs === null ? null : terms,
});

function range(min: number, max: number, trials: Trial[]): RangeResult {
  const r: RangeResult = {
    label: `${min}-${max}`,
    range: { min, max },
    heartbeatMs: 50,
    rpcTimeoutMs: 75,
    planned: trials.length,
    trials,
    ...rangeFigures(trials),
    trialTimeoutMs: 6000,
    expectation: expectedElection({ nodes: 5, min, max, heartbeatMs: 50, samples: 500 }),
    ...(paperFigure(min, max) ? { paper: paperFigure(min, max)! } : {}),
    notes: [],
    rpcRttMs: 2,
    wallMs: 1000,
    description: 'test <cluster>',
    runs: [],
  };
  r.notes.push(...rangeNotes(r));
  return r;
}

const sweep: SweepResult = {
  startedAt: '2026-01-01T00:00:00.000Z',
  runtime: 'process',
  nodes: 5,
  faults: ['kill'],
  seed: 1,
  pollIntervalMs: 25,
  machine: { cpus: 2, loadAverage: [1, 1, 1] },
  ranges: [range(150, 155, [trial(0, 300, 2), trial(1, 160), trial(2, null)]), range(150, 300, [trial(0, 170), trial(1, 200), trial(2, 190)])],
};

describe('range figures', () => {
  it('counts split votes among elections and trials without a leader', () => {
    const r = sweep.ranges[0]!;
    expect(r.noLeader).toBe(1);
    expect(r.splitShare).toBe(0.5);
    expect(r.elected).toMatchObject({ n: 2, min: 160, max: 300 });
    expect(r.notes.join(' ')).toMatch(/1 of 3 trials had no leader within 6000 ms/);
  });
});

describe('outputs', () => {
  it('prints a table per range with the paper beside ours', () => {
    const text = sweepTables(sweep);
    expect(text).toContain('150-155 ms · heartbeat 50 ms · 3 trials');
    expect(text).toMatch(/paper \(Fig\. 16\)\s+—\s+171\s+—\s+415\s+603/);
    expect(text).toMatch(/to become-leader\s+2\s+160\s+160\s+230\s+300\s+300\s+50%\s+1/);
  });
  it('writes one CSV row per trial with a header', () => {
    const lines = trialsCsv(sweep).trim().split('\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(7);
    expect(lines[1]).toBe('150-155,150,155,50,1,kill,ok,n1,2,n2,4,300,320,2,2');
    expect(lines[3]).toBe('150-155,150,155,50,3,kill,no-leader,n1,2,,,,,,');
  });
  it('writes JSON with NaN as null', () => {
    const empty: SweepResult = { ...sweep, ranges: [range(12, 24, [])] };
    const parsed = JSON.parse(sweepJson(empty));
    expect(parsed.ranges[0].elected.median).toBeNull();
    expect(parsed.ranges[0].paper.meanMs).toBe(35);
  });
  it('renders a self-contained page with one measured curve per range, escaped', () => {
    const page = renderSweepPage(sweep);
    expect(page).toContain('data-series="150-155 ms measured');
    expect(page).toContain('data-series="150-300 ms measured');
    expect(page).toContain('data-range="150-300"');
    expect(page).not.toMatch(/<script|https?:\/\//);
  });
});
