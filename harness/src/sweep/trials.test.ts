import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/types.js';
import { runScenario } from '../runner/run-scenario.js';
import { LOOPBACK } from '../runtime/sim/sim-links.js';
import { sweepScenario } from './sweep.js';
import { trialsFromHistory } from './trials.js';

/** A history with just what `trialsFromHistory` reads, times in ms (entries cast: the rest of each entry does not matter here). */
function history(entries: object[]): HistoryEntry[] {
  return [{ type: 'run-start', t: 0, nodes: ['n1', 'n2', 'n3'] }, ...entries] as HistoryEntry[];
}
const poll = (t: number, node: string, state: string, term: number, leader?: string) => ({ type: 'poll', t, node, outcome: 'ok', state, term, leader, latencyMs: 1 });
const note = (t: number, data: object) => ({ type: 'note', t, level: 'info', message: 'failover', data });

describe('trialsFromHistory', () => {
  it('times a kill from its process entry, an isolation from its fault-start, to become-leader and to the note', () => {
    const h = history([
      { type: 'fault-start', t: 100, id: 'f1', kind: 'kill' },
      { type: 'process', t: 104, node: 'n1', action: 'kill' },
      { type: 'node-event', t: 180, node: 'n2', kind: 'become-candidate', term: 3 },
      { type: 'node-event', t: 250, node: 'n2', kind: 'become-leader', term: 3 },
      note(290, { failover: 1, of: 2, outcome: 'ok', by: 'kill', fault: 'f1', removed: { node: 'n1', term: 1 }, leader: { node: 'n2', term: 3 } }),
      { type: 'fault-end', t: 291, id: 'f1' },
      { type: 'fault-start', t: 900, id: 'f2', kind: 'partition' },
      // A later kill of the same node is not this isolation's time.
      poll(1000, 'n2', 'leader', 3), poll(1001, 'n3', 'candidate', 5),
      note(3900, { failover: 2, of: 2, outcome: 'no-leader', by: 'isolate', fault: 'f2', removed: { node: 'n2', term: 3 } }),
      { type: 'fault-end', t: 3901, id: 'f2' },
      { type: 'fault-start', t: 4000, id: 'f3', kind: 'kill' },
      { type: 'process', t: 4010, node: 'n2', action: 'kill' },
    ]);
    const [a, b, ...rest] = trialsFromHistory(h, 7);
    expect(rest).toEqual([]);
    expect(a).toMatchObject({ index: 7, fault: 'kill', outcome: 'ok', oldLeader: 'n1', oldTerm: 1, newLeader: 'n2', newTerm: 3, electedMs: 146, settledMs: 186, terms: 2, rounds: 1 });
    expect(b).toMatchObject({ index: 8, fault: 'isolate', outcome: 'no-leader', oldLeader: 'n2', newLeader: null, electedMs: null, settledMs: null });
    expect(b!.detail).toBe('n1 not polled yet, n2 leader t3, n3 candidate t5');
  });

  it('reads a failover with no leader to remove as such, and nothing from a history without failovers', () => {
    const h = history([poll(10, 'n1', 'candidate', 2), note(5000, { failover: 1, of: 1, outcome: 'no-leader-before', by: 'pause' })]);
    expect(trialsFromHistory(h)).toEqual([
      expect.objectContaining({ index: 0, fault: 'pause', outcome: 'no-leader-before', oldLeader: null, detail: 'n1 candidate t2, n2 not polled yet, n3 not polled yet' }),
    ]);
    expect(trialsFromHistory(history([note(1, { message: 'other' })]))).toEqual([]);
  });

  it("reads every trial of a sweep's scenario run in simulation, each with a later term and a time after the fault", async () => {
    const scenario = sweepScenario({ range: { min: 150, max: 300 }, nodes: 5, trials: 5, faults: ['kill', 'isolate', 'pause'], heartbeatMs: 50, rpcTimeoutMs: 75, trialTimeoutMs: 6000, settleMs: 600 });
    const run = await runScenario(scenario, { runtime: 'sim', seed: 2, sim: { links: LOOPBACK }, writeHistory: false, writeReport: false });
    const trials = trialsFromHistory(run.history);
    expect(trials.map((t) => t.outcome)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    for (const t of trials) {
      expect(t.newTerm!).toBeGreaterThan(t.oldTerm!);
      // No election is faster than the election timeout's minimum (minus a heartbeat the fault may have landed after).
      expect(t.electedMs!).toBeGreaterThan(100);
      expect(t.settledMs!).toBeGreaterThanOrEqual(t.electedMs!);
    }
  }, 30_000);
});
