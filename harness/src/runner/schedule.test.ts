import { describe, expect, it } from 'vitest';
import type { UnstampedEntry } from '../history/types.js';
import type { Partitioner } from '../network/partitioner.js';
import type { Cluster } from '../runtime/types.js';
import { realClock } from '../util/clock.js';
import { createRng } from '../util/rng.js';
import { Schedule } from './schedule.js';

/** A schedule over a fake three-node cluster whose effects are only counted. */
function fakeSchedule() {
  const entries: UnstampedEntry[] = [];
  const calls: string[] = [];
  const cluster = {
    nodes: ['n1', 'n2', 'n3'],
    kill: async (n: string) => void calls.push(`kill ${n}`),
    start: async (n: string) => void calls.push(`start ${n}`),
    isRunning: () => true,
  } as unknown as Cluster;
  const partitioner = {
    applyCuts: async () => void calls.push('cut'),
    healCuts: async () => void calls.push('heal cuts'),
  } as unknown as Partitioner;
  const schedule = new Schedule({
    cluster,
    partitioner,
    rng: createRng(1),
    leader: () => ({ node: 'n1', term: 3 }),
    flushEvents: async () => {},
    record: (e) => void entries.push(e),
    down: new Set(),
    clock: realClock,
    signal: new AbortController().signal,
    awaitLeader: async () => ({ node: 'n1', term: 3 }),
    leaderWaitMs: 10,
    progress: () => {},
  });
  return { schedule, entries, calls };
}

describe('Schedule', () => {
  it('records each fault before it takes effect, with what it removes, and heals what a step holds', async () => {
    const { schedule, entries, calls } = fakeSchedule();
    await schedule.run([{ fault: { kind: 'kill', target: 'leader' }, holdMs: 1 }]);
    // The kill is recorded by the fault; the start by the runtime alone (one entry per restart, with its pid).
    expect(entries.map((e) => (e.type === 'process' ? `process ${e.action}` : e.type))).toEqual(['fault-start', 'process kill', 'fault-end']);
    expect(entries[0]).toMatchObject({ kind: 'kill', targets: ['n1'], removesLeader: true, leaderBefore: { node: 'n1', term: 3 } });
    expect(calls).toEqual(['kill n1', 'start n1']);
    expect(schedule.active.size).toBe(0);
  });

  it('records when a fault\'s links have all changed (links-applied), after the partitioner returns, for link faults only', async () => {
    const { schedule, entries, calls } = fakeSchedule();
    await schedule.run([{ fault: { kind: 'partition', partition: { isolate: 'n2' } }, id: 'p1', holdMs: 1 }]);
    const seen = entries.map((e) => (e.type === 'links-applied' ? `links-applied ${e.phase} ${e.links}` : e.type));
    expect(seen).toEqual(['fault-start', 'links-applied start 4', 'links-applied end 4', 'fault-end']);
    expect(calls).toEqual(['cut', 'heal cuts']);
  });

  it('never lets an automatic fault id collide with a step id still in force', async () => {
    const { schedule, entries } = fakeSchedule();
    await schedule.run([
      { fault: { kind: 'partition', partition: { isolate: 'n2' } }, id: 'f1' },
      { fault: { kind: 'kill', target: 'n3' } },
    ]);
    expect([...schedule.active.keys()]).toEqual(['f1', 'f2']);
    await schedule.heal('all');
    expect(entries.filter((e) => e.type === 'fault-end').map((e) => (e as { id: string }).id)).toEqual(['f2', 'f1']);
  });

  it('refuses a step id that is already in force', async () => {
    const { schedule } = fakeSchedule();
    const isolate = { fault: { kind: 'partition', partition: { isolate: 'n2' } }, id: 'x' } as const;
    await expect(schedule.run([isolate, isolate])).rejects.toThrow(/fault id "x" is already in force/);
  });
});
