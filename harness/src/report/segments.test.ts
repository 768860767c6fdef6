import { describe, expect, it } from 'vitest';
import type { HistoryEntry, PollEntry } from '../history/types.js';
import { mergeSegments, processWindows } from './segments.js';
import { synthRun } from './synthetic-history.js';

function poll(t: number, node: string, p: Partial<PollEntry> = {}): PollEntry {
  return { type: 'poll', t, wall: t, node, outcome: 'ok', latencyMs: 1, state: 'follower', role: 'follower', term: 1, leader: 'n1', ...p };
}

describe('mergeSegments', () => {
  it('merges consecutive identical samples and splits where state, term or leader change', () => {
    const h: HistoryEntry[] = [
      poll(0, 'n2'), poll(50, 'n2'), poll(100, 'n2'),
      poll(150, 'n2', { leader: null }),
      poll(200, 'n2', { state: 'candidate', role: 'candidate', term: 2, leader: null }),
      poll(250, 'n2', { state: 'leader', role: 'leader', term: 2, leader: 'n2' }),
      poll(300, 'n2', { state: 'leader', role: 'leader', term: 2, leader: 'n2' }),
    ];
    const [segs] = mergeSegments(h, ['n2'], { pollIntervalMs: 50, endMs: 1000 });
    expect(segs!.map((s) => [s.start, s.end, s.state, s.term, s.leader, s.samples])).toEqual([
      [0, 150, 'follower', 1, 'n1', 3],
      [150, 200, 'follower', 1, null, 1],
      [200, 250, 'candidate', 2, null, 1],
      [250, 350, 'leader', 2, 'n2', 2],
    ]);
  });

  it('latency and voted-for differences do not split a segment', () => {
    const h = [poll(0, 'n1', { latencyMs: 1, votedFor: 'n1' }), poll(50, 'n1', { latencyMs: 9, votedFor: 'n3' })];
    expect(mergeSegments(h, ['n1'])[0]).toHaveLength(1);
  });

  it('shows failed polls as killed or paused inside process windows, unreachable elsewhere', () => {
    const h: HistoryEntry[] = [
      poll(0, 'n1'),
      { type: 'process', t: 40, wall: 40, node: 'n1', action: 'kill' },
      poll(50, 'n1', { outcome: 'refused', state: undefined, term: undefined, leader: undefined, error: 'ECONNREFUSED' }),
      { type: 'process', t: 90, wall: 90, node: 'n1', action: 'start' },
      poll(100, 'n1', { outcome: 'refused' }),
      { type: 'process', t: 120, wall: 120, node: 'n1', action: 'ready' },
      { type: 'process', t: 140, wall: 140, node: 'n1', action: 'pause' },
      poll(150, 'n1', { outcome: 'timeout' }),
      { type: 'process', t: 190, wall: 190, node: 'n1', action: 'resume' },
      poll(200, 'n1', { outcome: 'timeout' }),
    ];
    const segs = mergeSegments(h, ['n1'])[0]!;
    expect(segs.map((s) => s.state)).toEqual(['follower', 'killed', 'unreachable', 'paused', 'unreachable']);
    expect(segs[1]!.error).toBe('ECONNREFUSED');
    expect(segs[1]!.term).toBeNull();
  });

  it('uses kill and pause fault windows when there are no process entries', () => {
    const h: HistoryEntry[] = [
      { type: 'fault-start', t: 10, wall: 10, id: 'f1', kind: 'pause', label: 'pause n1', targets: ['n1'], leaderBefore: null, removesLeader: null },
      poll(50, 'n1', { outcome: 'timeout' }),
      { type: 'fault-end', t: 60, wall: 60, id: 'f1', kind: 'pause', label: 'pause n1' },
      poll(100, 'n1', { outcome: 'timeout' }),
    ];
    expect(processWindows(h, 100)).toEqual([{ node: 'n1', kind: 'paused', start: 10, end: 60 }]);
    expect(mergeSegments(h, ['n1'])[0]!.map((s) => s.state)).toEqual(['paused', 'unreachable']);
  });

  it('leaves a gap where polls stop for long', () => {
    const segs = mergeSegments([poll(0, 'n1'), poll(50, 'n1'), poll(5000, 'n1')], ['n1'], { pollIntervalMs: 50, endMs: 6000 })[0]!;
    expect(segs.map((s) => [s.start, s.end])).toEqual([[0, 100], [5000, 5050]]);
  });

  it('ignores polls of unknown nodes and keeps lanes in node order', () => {
    const lanes = mergeSegments([poll(0, 'x'), poll(0, 'n2'), poll(0, 'n1')], ['n1', 'n2']);
    expect(lanes.map((l) => l.length)).toEqual([1, 1]);
  });

  it('turns a 10-minute, 5-node history (60 000 polls) into a few hundred segments quickly', () => {
    const faults = Array.from({ length: 40 }, (_, i) => ({ kind: (['isolate-leader', 'kill-leader', 'pause-leader'] as const)[i % 3]!, holdMs: 3000 }));
    const run = synthRun({ nodes: 5, seed: 11, faults, gapMs: 11_800, recoveryMs: 4000 });
    const polls = run.history.filter((e) => e.type === 'poll').length;
    expect(polls).toBeGreaterThan(55_000);
    const t0 = performance.now();
    const lanes = mergeSegments(run.history, run.nodes);
    const took = performance.now() - t0;
    const segs = lanes.reduce((n, l) => n + l.length, 0);
    expect(segs).toBeLessThan(polls / 20);
    expect(took).toBeLessThan(1500);
  });
});
