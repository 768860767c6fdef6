import { describe, expect, it } from 'vitest';
import type { FaultStartEntry, NoteEntry } from '../../history/types.js';
import { runScenario } from '../../runner/run-scenario.js';
import { validateScenario } from '../../scenario/validate.js';
import { createRng } from '../../util/rng.js';
import type { ScheduleOps } from '../fault-kind.js';
import { failovers, LEADERLESS_GIVE_UP, type FailoverNote } from './failovers.js';

const scenario = (fault: unknown, extra: object = {}) => ({ name: 'f', description: 'd', nodes: 5, steps: [{ fault, ...extra }] });

describe('failovers (remove the leader again and again, each held until the next settles)', () => {
  it('validates its fields by name, and refuses holdMs as a kind that runs itself', () => {
    expect(() => validateScenario(scenario({ kind: 'failovers', times: 3, by: ['kill', 'isolate'], withinMs: 4000, jitterMs: 50, settleMs: 0 }))).not.toThrow();
    expect(() => validateScenario(scenario({ kind: 'failovers', times: 0 }))).toThrow(/steps\[0\]\.fault\.times must be a whole number from 1/);
    expect(() => validateScenario(scenario({ kind: 'failovers', times: 2, by: [] }))).toThrow(/steps\[0\]\.fault\.by must be a non-empty list of kill, isolate, pause/);
    expect(() => validateScenario(scenario({ kind: 'failovers', times: 2, by: ['crash'] }))).toThrow(/steps\[0\]\.fault\.by\[0\]/);
    expect(() => validateScenario(scenario({ kind: 'failovers', times: 2 }, { holdMs: 10 }))).toThrow(/holdMs/);
  });

  it('on the simulated testbed: each failover removes the settled leader and notes the next one, in a later term', async () => {
    const s = validateScenario(scenario({ kind: 'failovers', times: 4, by: ['kill', 'isolate', 'pause'], withinMs: 3000, jitterMs: 50 }));
    const run = await runScenario(s, { runtime: 'sim', seed: 4, writeHistory: false, writeReport: false });
    expect(run.error).toBeUndefined();
    const notes = run.history.filter((e): e is NoteEntry & { data: FailoverNote } => e.type === 'note' && typeof e.data?.['failover'] === 'number');
    expect(notes.map((n) => n.data.failover)).toEqual([1, 2, 3, 4]);
    for (const { data: d } of notes) {
      expect(d.outcome).toBe('ok');
      const start = run.history.find((e): e is FaultStartEntry => e.type === 'fault-start' && e.id === d.fault)!;
      // The fault hit the leader the step waited on, and the next leader is another node in a later term.
      expect(start.leaderBefore).toEqual(d.removed);
      expect(start.targets).toEqual([d.removed!.node]);
      expect(d.leader!.node).not.toBe(d.removed!.node);
      expect(d.leader!.term).toBeGreaterThan(d.removed!.term);
      expect(run.history.some((e) => e.type === 'fault-end' && e.id === d.fault)).toBe(true);
    }
    expect(new Set(notes.map((n) => n.data.by)).size).toBeGreaterThan(1);
  }, 30_000);

  it(`gives up after ${LEADERLESS_GIVE_UP} failovers in a row found no leader to remove, starting no fault`, async () => {
    const noted: Array<Record<string, unknown>> = [];
    let started = 0;
    const ops: ScheduleOps = {
      nodes: ['n1', 'n2', 'n3'],
      rng: createRng(1),
      leader: () => null,
      awaitLeader: async () => null,
      sleep: async () => {},
      note: (_m, data) => void noted.push(data),
      start: async () => `f${++started}`,
      heal: async () => {},
    };
    await failovers.run!({ kind: 'failovers', times: 10 }, ops);
    expect(started).toBe(0);
    expect(noted.map((d) => d['outcome'])).toEqual(Array(LEADERLESS_GIVE_UP).fill('no-leader-before'));
  });
});
