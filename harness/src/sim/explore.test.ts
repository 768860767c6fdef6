import { describe, expect, it } from 'vitest';
import { compileSchedule, randomScheduleArb } from '../random/schedule-arbitrary.js';
import { exploreSim, processReplayCommand } from './explore.js';

const SAFETY = ['election-safety', 'one-vote-per-term', 'monotonic-terms'];
const schedules = (nodes: number) => randomScheduleArb({ nodes }).map((s) => compileSchedule(s.items));

/** Random schedules on simulated clusters find each safety bug within seconds (wall). */
describe('exploreSim finds the safety bugs', () => {
  const cases: Array<{ bug: string; nodes: number }> = [
    { bug: 'vote-twice', nodes: 3 },
    { bug: 'majority-off-by-one', nodes: 4 },
    { bug: 'forget-vote', nodes: 3 },
  ];
  for (const { bug, nodes } of cases) {
    it(`${bug} (${nodes} nodes) breaks a safety check, and shrinks to a short schedule`, async () => {
      const r = await exploreSim(schedules(nodes), { seed: 1, numRuns: 3000, nodes, run: { bugs: [bug] }, checks: SAFETY, timeLimitMs: 20_000, maxShrinks: 100 });
      expect(r.failure, `no failure in ${r.runs} runs, ${Math.round(r.elapsedMs)} ms`).toBeDefined();
      const f = r.failure!;
      expect(f.failing.some((c) => SAFETY.includes(c))).toBe(true);
      expect(f.result.verdict).toBe('invalid');
      expect(f.scenario.nodes).toBe(nodes);
      expect(processReplayCommand('min.json', f.runSeed, { nodes, bugs: [bug] })).toBe(
        `npm run scenario min.json -- --runtime process --seed ${f.runSeed} --nodes ${nodes} --bug ${bug}`,
      );
    });
  }

  it('finds no safety violation in the correct node', async () => {
    const r = await exploreSim(schedules(3), { seed: 2, numRuns: 60, nodes: 3, checks: SAFETY });
    expect(r.failure).toBeUndefined();
    expect(r.runs).toBe(60);
  });
});
