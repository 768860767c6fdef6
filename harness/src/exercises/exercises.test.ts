import { describe, expect, it } from 'vitest';
import rejoin from '../../../scenarios/rejoin-disruption.js';
import splitVote from '../../../scenarios/split-vote.js';
import type { HistoryEntry } from '../history/types.js';
import { exerciseFigures, rejoinFigures, splitVoteFigures, staggeredStartFigures } from './index.js';
import { runScenario } from '../runner/run-scenario.js';

const sim = { runtime: 'sim', seed: 1, writeReport: false, writeHistory: false } as const;

describe('rejoin-disruption figures (simulated runs)', () => {
  it('counts no needless election with Pre-Vote and one without', async () => {
    const on = rejoinFigures((await runScenario(rejoin, { ...sim })).history);
    const off = rejoinFigures((await runScenario(rejoin, { ...sim, preVote: false })).history);
    expect(on).toMatchObject({ preVote: true, needlessElections: 0 });
    expect(on.rejoins).toHaveLength(1);
    expect(on.rejoins[0]!.leaderDeposed).toBe(false);
    expect(off.preVote).toBe(false);
    expect(off.needlessElections).toBeGreaterThanOrEqual(1);
    expect(off.rejoins[0]!.leaderDeposed).toBe(true);
    expect(off.rejoins[0]!.rejoinTerm).toBeGreaterThan(off.rejoins[0]!.leaderBefore!.term + 3);
    expect(off.text).toMatch(/^Pre-Vote off: \d+ needless election/);
  });
});

describe('split-vote figures (simulated run)', () => {
  it('counts terms that elected nobody and rounds per election', async () => {
    const r = await runScenario(splitVote, { ...sim });
    const f = splitVoteFigures(r.history);
    expect(exerciseFigures(r.history)?.exercise).toBe('split-vote');
    const elections = Object.values(f.roundsPerElection).reduce((a, b) => a + b, 0);
    expect(elections).toBe(f.elections);
    expect(f.termsTried).toBeGreaterThanOrEqual(f.elections);
    expect(f.termsWithoutLeader.length).toBe(f.termsTried - f.elections);
    expect(f.resolved.every((x) => x.emptyTerms.length > 0)).toBe(true);
  });
});

describe('staggered-start figures', () => {
  const ev = (t: number, node: string, kind: string, term: number): HistoryEntry => ({ type: 'node-event', t, wall: t, node, bootId: node, seq: t, kind, term });
  const start = (t: number, node: string): HistoryEntry => ({ type: 'process', t, wall: t, node, action: 'start' });
  const history: HistoryEntry[] = [
    { type: 'run-start', t: 0, wall: 0, runId: 'r', scenario: 'staggered-start', seed: 1, runtime: 'process', nodes: ['n1', 'n2', 'n3'], config: {} as never, replay: '' },
    start(100, 'n1'),
    start(1600, 'n2'),
    ev(1800, 'n1', 'become-candidate', 1),
    ev(1805, 'n1', 'become-leader', 1),
    start(3100, 'n3'),
  ];
  it('names the winner, its start rank and the majority time', () => {
    const f = staggeredStartFigures(history);
    expect(f.winner).toEqual({ node: 'n1', term: 1, atMs: 1805, startRank: 1 });
    expect(f.majorityUpAtMs).toBe(1600);
    expect(f.upWhenWon).toEqual(['n1', 'n2']);
    expect(f.text).toMatch(/n1 \(the first node up\) won term 1 at 1\.80 s, 205 ms after a majority \(2 of 3\) was up/);
  });
  it('gives nothing for other scenarios', () => {
    expect(exerciseFigures([{ ...history[0]!, scenario: 'baseline' } as HistoryEntry])).toBeUndefined();
  });
});
