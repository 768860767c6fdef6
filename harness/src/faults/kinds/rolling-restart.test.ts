import { describe, expect, it } from 'vitest';
import { createRng } from '../../util/rng.js';
import type { ScheduleOps } from '../fault-kind.js';
import { rollingRestart } from './rolling-restart.js';

/** Schedule operations on a cluster whose leader is `leader` (null: none, and none comes). */
function ops(leader: string | null) {
  const done: string[] = [];
  const o: ScheduleOps = {
    nodes: ['n1', 'n2', 'n3'],
    rng: createRng(1),
    leader: () => (leader ? { node: leader, term: 1 } : null),
    awaitLeader: async () => (done.push('await'), leader ? { node: leader, term: 1 } : null),
    sleep: async () => {},
    note: (message) => void done.push(`note ${message}`),
    start: async (s) => (done.push(`start ${s.kind} ${String((s as { target: string }).target)}`), 'f1'),
    heal: async (id) => void done.push(`heal ${id}`),
  };
  return { o, done };
}

describe('rolling-restart', () => {
  it('aimed at the leader with none: waits for one, then restarts nothing and notes it (the run goes on)', async () => {
    const { o, done } = ops(null);
    await rollingRestart.run!({ kind: 'rolling-restart', target: 'leader' }, o);
    expect(done).toEqual(['await', 'note rolling-restart not applied: target leader needs a leader, and the cluster has none right now']);
  });

  it('aimed at the leader with one: stops and restarts it, then waits for a leader', async () => {
    const { o, done } = ops('n2');
    await rollingRestart.run!({ kind: 'rolling-restart', target: 'leader' }, o);
    expect(done).toEqual(['start stop n2', 'heal f1', 'await']);
  });
});
