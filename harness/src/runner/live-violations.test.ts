import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/types.js';
import { LiveViolations } from './live-violations.js';

const poll = (t: number, node: string, state: 'leader' | 'follower', term: number): HistoryEntry => ({
  type: 'poll', t, wall: t, node, outcome: 'ok', latencyMs: 1, state, role: state, term, leader: state === 'leader' ? node : null,
});

describe('LiveViolations', () => {
  it('says once, when it is recorded, that a term has two leaders', () => {
    const lines: Array<[string, number]> = [];
    const live = new LiveViolations((line, at) => lines.push([line, at]));
    live.write(poll(100, 'n1', 'leader', 1));
    live.write(poll(150, 'n1', 'leader', 1));
    live.write(poll(160, 'n2', 'follower', 1));
    expect(lines).toEqual([]);
    live.write({ type: 'node-event', t: 2000, wall: 2000, node: 'n3', bootId: 'b', seq: 4, kind: 'become-leader', term: 1 });
    live.write(poll(2050, 'n3', 'leader', 1));
    live.write(poll(2100, 'n2', 'leader', 1));
    expect(lines).toEqual([['VIOLATION election-safety: two leaders in term 1: n1 (at 100 ms) and n3 (at 2000 ms)', 2000]]);
  });

  it('is quiet for a new leader in a later term (a stale leader is not a split brain)', () => {
    const lines: string[] = [];
    const live = new LiveViolations((line) => lines.push(line));
    live.write(poll(100, 'n1', 'leader', 1));
    live.write(poll(900, 'n2', 'leader', 2));
    live.write(poll(950, 'n1', 'leader', 1));
    expect(lines).toEqual([]);
  });
});
