import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../../scenarios/index.js';
import { isAlive } from '../runtime/process/pidfile.js';
import { runScenario } from './run-scenario.js';

const reportDir = mkdtempSync(join(tmpdir(), 'rc-scenarios-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

// Every named scenario must pass on the correct node, on local processes, and leave nothing
// running. A failure prints each check's message and the replay command.
describe.each(scenarios.map((s) => [s.name, s] as const))('scenario %s on processes', (_name, scenario) => {
  it('is valid on the correct node and leaves no process behind', async () => {
    const r = await runScenario(scenario, { runtime: 'process', seed: 1, reportDir, writeReport: false });
    const failed = r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name}: ${c.verdict}: ${c.message}`);
    expect(failed, `replay: ${r.summary.replay}`).toEqual([]);
    expect(r.verdict).toBe('valid');
    const pids = r.history.flatMap((e) => (e.type === 'process' && e.action === 'start' && e.pid ? [e.pid] : []));
    expect(pids.length).toBeGreaterThanOrEqual(scenario.nodes ?? 3);
    expect(pids.filter(isAlive)).toEqual([]);
  }, 180_000);
});
