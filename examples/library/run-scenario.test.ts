// Using raft-chaos as a library: run named scenarios and a scenario of your own on the
// simulated testbed (virtual time, milliseconds a run), and assert on the verdict and history.
// Runs in the repository (`npx vitest run --project unit examples`) and, copied into a fresh
// directory with the package installed, from there (.ci/pack-check.sh).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAll, defaultCheckers, loadScenario, readHistory, runScenario, scenarios, type Scenario } from 'raft-chaos';

const reportDir = mkdtempSync(join(tmpdir(), 'raft-chaos-example-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

describe('raft-chaos as a library', () => {
  it('a named scenario on the simulated testbed is valid, and its history re-checks the same', async () => {
    const result = await runScenario(await loadScenario('partition-leader'), { runtime: 'sim', seed: 1, reportDir, writeReport: false });
    expect(result.verdict).toBe('valid');
    const history = await readHistory(join(result.dir, 'history.jsonl'));
    expect(history.some((e) => e.type === 'fault-start')).toBe(true);
    const start = history.find((e) => e.type === 'run-start');
    if (start?.type !== 'run-start') throw new Error('no run-start in the history');
    expect(checkAll(history, { nodes: start.nodes, config: start.config }, defaultCheckers).verdict).toBe('valid');
  });

  it('a node bug is caught: forget-vote in crash-restart is invalid', async () => {
    const result = await runScenario(await loadScenario('crash-restart'), { runtime: 'sim', seed: 1, bugs: ['forget-vote'], reportDir, writeReport: false });
    expect(result.verdict).toBe('invalid');
    expect(result.results.filter((c) => c.verdict === 'invalid').map((c) => c.name)).toContain('monotonic-terms'); // the term went back across a restart
  });

  it('a scenario of your own, as data', async () => {
    const mine: Scenario = {
      name: 'my-isolation',
      description: 'isolate the leader for 2 s',
      nodes: 5,
      steps: [{ wait: 500 }, { fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 2000 }, { wait: 500 }],
    };
    const result = await runScenario(mine, { runtime: 'sim', seed: 7, reportDir, writeReport: false });
    expect(result.verdict).toBe('valid');
    expect(scenarios.map((s) => s.name)).toContain('partition-leader');
  });
});
