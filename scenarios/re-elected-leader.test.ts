import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FirstWindow } from '../harness/src/checkers/quorum-window.js';
import { runScenario } from '../harness/src/runner/run-scenario.js';
import scenario from './re-elected-leader.js';

const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-re-elected-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('re-elected-leader', () => {
  it('on the simulator (seed 1, the mutation plan\'s) the correct node is valid, and the scenario reaches a leader deposed by a higher term and elected again whose first window no peer answered', async () => {
    const r = await runScenario(scenario, { runtime: 'sim', seed: 1, reportDir: dir, writeReport: false, writeHistory: false });
    expect(r.verdict).toBe('valid');
    const qw = r.results.find((c) => c.name === 'quorum-window')!;
    expect(qw.verdict).toBe('valid');
    const windows = (qw.details as { windows: FirstWindow[] }).windows;
    const events = r.history.flatMap((e) => (e.type === 'node-event' ? [e as typeof e & { kind: string; term: number; node: string; reason?: string }] : []));
    // A leadership ended by a higher term (not by CheckQuorum) of the node that leads again later.
    const deposed = (node: string, before: number) =>
      events.some((e) => e.node === node && e.kind === 'step-down' && e.t < before && typeof e.reason === 'string' && e.reason.startsWith('higher-term'));
    const reached = windows.filter((w) => w.outcome === 'stepped-down' && w.answered.length === 0 && deposed(w.node, w.atMs));
    expect(reached.length).toBeGreaterThan(0);
  });
});
