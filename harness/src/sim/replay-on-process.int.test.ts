import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileSchedule, randomScheduleArb } from '../random/schedule-arbitrary.js';
import { runScenario } from '../runner/run-scenario.js';
import { loadScenario } from '../scenario/load.js';
import { exploreSim, processReplayCommand } from './explore.js';

const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-sim-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A minimal failing schedule found in simulation replays as a failure on real processes.
 * `forget-vote` is the bug whose sim-found schedule (a short kill of a minority) reproduced on
 * processes every time it was measured (5 of 5, on a loaded 2-core host); `vote-twice`'s
 * reproduced 3 of 5 and `majority-off-by-one`'s 0 of 5, so they are not asserted here.
 */
describe('a schedule found in simulation replays on processes', () => {
  it('forget-vote: the shrunk schedule, written as a scenario file, fails on processes too', async () => {
    const safety = ['election-safety', 'one-vote-per-term', 'monotonic-terms'];
    const found = await exploreSim(randomScheduleArb({ nodes: 3 }).map((s) => compileSchedule(s.items)), {
      seed: 1, numRuns: 3000, nodes: 3, run: { bugs: ['forget-vote'] }, checks: safety, maxShrinks: 100,
    });
    const f = found.failure!;
    expect(f.failing).toContain('monotonic-terms');
    const file = join(dir, 'minimal.json');
    writeFileSync(file, `${JSON.stringify(f.scenario, null, 2)}\n`);
    expect(processReplayCommand(file, f.runSeed, { nodes: 3, bugs: ['forget-vote'] })).toContain('--runtime process');

    const scenario = await loadScenario(file);
    const r = await runScenario(scenario, { runtime: 'process', seed: f.runSeed, bugs: ['forget-vote'], reportDir: join(dir, 'reports'), writeReport: false });
    const invalid = r.results.filter((c) => c.verdict === 'invalid').map((c) => c.name);
    expect(invalid.filter((c) => safety.includes(c))).not.toEqual([]);
  });
});
