import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, expect, it } from 'vitest';
import { createProcessRuntime } from '../runtime/process/process-runtime.js';
import type { Runtime } from '../runtime/types.js';
import { runScenario } from './run-scenario.js';
import { realTestbed } from '../runtime/real-testbed.js';

const reportDir = mkdtempSync(join(tmpdir(), 'rc-run-scenario-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

// A slow teardown (Docker takes seconds to stop containers): the poller is stopped, so the
// leader seen last goes stale while the cluster is still being closed. That is no news.
it('shows the leader while the run goes on, and nothing once teardown begins', async () => {
  const processes = createProcessRuntime();
  const slowToClose: Runtime = {
    name: 'process',
    start: async (spec) => {
      const cluster = await processes.start(spec);
      const close = cluster.close.bind(cluster);
      cluster.close = async () => {
        await sleep(800);
        await close();
      };
      return cluster;
    },
  };
  const lines: string[] = [];
  const r = await runScenario(
    { name: 'leader-display', description: 'no faults, a short wait', nodes: 3, steps: [{ wait: 500 }], recoveryMs: 300 },
    { testbed: realTestbed(slowToClose, 'given by the test', { simulated: false, lateStarts: true, externalToxiproxy: true, diskFaults: true }), reportDir, writeReport: false, seed: 1, onProgress: (l) => lines.push(l) },
  );
  expect(r.verdict, lines.join('\n')).not.toBe('invalid');
  const teardown = lines.indexOf('phase  teardown');
  expect(lines.slice(0, teardown).some((l) => /^leader n\d, term \d+$/.test(l)), lines.join('\n')).toBe(true);
  expect(lines.slice(teardown + 1).filter((l) => /^(leader n|no settled leader)/.test(l)), lines.join('\n')).toEqual([]);
});
