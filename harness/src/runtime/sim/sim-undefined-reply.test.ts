import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it, vi } from 'vitest';
import { scenarios } from '../../../../scenarios/index.js';
import { runScenario } from '../../runner/run-scenario.js';

// A broken node whose pre-vote answer is `undefined` (its handler returns nothing): the
// receiver's HTTP layer refuses such a reply as malformed, so the run must go on and be judged,
// not stop as "could not run" (which a mutation run counts as an error, not a kill).
vi.mock('../../../../node/src/core/raft-core.js', async (original) => {
  const real = await original<typeof import('../../../../node/src/core/raft-core.js')>();
  return {
    ...real,
    createCore: (init: Parameters<typeof real.createCore>[0]) => {
      const core = real.createCore(init);
      const step = core.step.bind(core);
      core.step = (input) => {
        const ready = step(input);
        return input.kind === 'request' && input.rpc.type === 'pre-vote' ? { ...ready, reply: undefined as never } : ready;
      };
      return core;
    },
  };
});

const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-sim-undefined-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('a node whose pre-vote replies are undefined is judged (no leader, replies without a term), not a run that could not finish', async () => {
  const r = await runScenario(scenarios.find((s) => s.name === 'baseline')!, { runtime: 'sim', seed: 1, reportDir: dir, writeReport: false, writeHistory: false });
  expect(r.verdict).toBe('invalid');
  const invalid = r.results.filter((c) => c.verdict === 'invalid').map((c) => c.name);
  expect(invalid).toEqual(expect.arrayContaining(['liveness-at-start', 'term-adoption']));
});
