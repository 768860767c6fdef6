import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { cleanupAll, cleanupStale, staleTest } from './cleanup.js';
import { runLabels } from './labels.js';

const NOW = 1_800_000_000_000;
const HOUR = 3_600_000;
const DEAD_PID = 41;
const LIVE_PID = 42;
const isAlive = (l: Record<string, string>) => l['raft-chaos.pid'] === String(LIVE_PID);
const labels = (runId: string, pid: number, createdMs = NOW - HOUR) => runLabels({ runId, pid, createdMs, host: 'h' });

/**
 * An engine that only lists and records removals (no Docker is touched): the runs `dead`
 * (harness gone), `live` (harness running), `old` (running, but 30 h old) and a container
 * without the project label that a filter let through by mistake.
 */
function fakeEngine() {
  const removed: string[] = [];
  const item = (name: string, l: Record<string, string>) => ({ Id: name, Names: [`/${name}`], Name: name, Labels: l });
  const all = [
    item('dead-c', labels('dead', DEAD_PID)),
    item('live-c', labels('live', LIVE_PID)),
    item('old-c', labels('old', LIVE_PID, NOW - 30 * HOUR)),
    item('stranger-c', { other: '1' }),
  ];
  const remover = (id: string) => ({ remove: async () => void removed.push(id) });
  const docker = {
    listContainers: async () => all,
    listNetworks: async () => [item('dead-net', labels('dead', DEAD_PID)), item('live-net', labels('live', LIVE_PID))],
    listVolumes: async () => ({ Volumes: [item('live-v', labels('live', LIVE_PID))] }),
    getContainer: remover,
    getNetwork: remover,
    getVolume: remover,
  } as unknown as Docker;
  return { docker, removed };
}

describe('cleanup by label, without an engine', () => {
  it('by default (stale) removes dead and too-old runs only, never a live run or an unlabelled resource', async () => {
    const { docker, removed } = fakeEngine();
    const report = await cleanupStale(docker, { now: NOW, isAlive });
    expect(removed.sort()).toEqual(['dead-c', 'dead-net', 'old-c']);
    expect(report.runs.sort()).toEqual(['dead', 'old']);
  });
  it('--all removes runs in progress too, still never an unlabelled resource', async () => {
    const { docker, removed } = fakeEngine();
    await cleanupAll(docker);
    expect(removed.sort()).toEqual(['dead-c', 'dead-net', 'live-c', 'live-net', 'live-v', 'old-c']);
  });
  it('staleTest: gone harness or past the age limit is stale; a live one, or no pid label, is not', () => {
    const stale = staleTest({ now: NOW, isAlive, maxAgeMs: 24 * HOUR });
    expect(stale(labels('a', DEAD_PID))).toBe(true);
    expect(stale(labels('b', LIVE_PID))).toBe(false);
    expect(stale(labels('c', LIVE_PID, NOW - 25 * HOUR))).toBe(true);
    expect(stale({ 'raft-chaos': '1', 'raft-chaos.created': String(NOW) })).toBe(false);
  });
});
