import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { scenarios } from '../../../../scenarios/index.js';
import { runScenario } from '../../runner/run-scenario.js';

// A broken node whose status cannot be built (`status()` answers nothing, so reading it
// throws): a process's server answers GET /status with HTTP 500, which the poller records as
// an error. The simulation must do the same and the run be judged, not stop as "could not run".
vi.mock('../../../../node/src/core/raft-core.js', async (original) => {
  const real = await original<typeof import('../../../../node/src/core/raft-core.js')>();
  return {
    ...real,
    createCore: (init: Parameters<typeof real.createCore>[0]) => {
      const core = real.createCore(init);
      if (init.config.id === 'n2') core.status = () => undefined as never;
      return core;
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-sim-status-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("a node whose status throws is polled as HTTP 500 errors, and node-reports calls it invalid", async () => {
  const r = await runScenario(scenarios.find((s) => s.name === 'baseline')!, { runtime: 'sim', seed: 1, reportDir: dir, writeReport: false, writeHistory: false });
  const polls = r.history.filter((e) => e.type === 'poll' && e.node === 'n2');
  expect(polls.length).toBeGreaterThan(10);
  expect(polls.every((e) => e.type === 'poll' && e.outcome === 'error' && e.error === 'HTTP 500')).toBe(true);
  // node/API.md: GET /status answers 200 with the node's state.
  expect(r.verdict).toBe('invalid');
  expect(r.results.find((c) => c.name === 'node-reports')?.message).toMatch(/answered GET \/status with HTTP 500/);
});
