import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import { runRandom } from '../cli/random-command.js';

const root = mkdtempSync(join(tmpdir(), 'rc-random-sim-replay-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
beforeEach(() => {
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => vi.restoreAllMocks());

/**
 * The simulated search's promise, end to end: `npm run scenario random -- --runtime sim` finds a
 * safety bug in memory, shrinks it to a schedule that fails under most run seeds (counting only
 * violations after the faults began), and replays that minimal schedule on real processes,
 * where it fails too. Measured here: majority-off-by-one's minimal schedule (a black hole on
 * every link, healed, then a 2|2 partition: both halves elect in the same term) failed in 5 and
 * 3 of 6 process runs; majority-half's in 5 of 5 (leader-has-votes). So 5 replays each here: at
 * a rate of one half, all five pass 3% of the time; at the measured rates, under 1%.
 * forget-vote's minimal (one kill) is replayed by random.int.test.ts. vote-twice's minimal is a
 * weak failure of a timing race (5 of 10 sim seeds) that reproduced 0 of 5 on processes after
 * today's changes: the bench's fidelity figure (`npm run bench -- fidelity`) carries it.
 */
describe('a minimal schedule found in simulation fails on processes too', () => {
  const cases = [
    { bug: 'majority-off-by-one', nodes: 4 },
    { bug: 'majority-half', nodes: 3 },
  ];
  for (const { bug, nodes } of cases) {
    it(`${bug} (${nodes} nodes): replayed 5 times on processes, it fails at least once`, async () => {
      const dir = join(root, bug);
      const argv = ['random', '--runtime', 'sim', '--seed', '1', '--nodes', String(nodes), '--bug', bug, '--checks', 'safety', '--replay-on', 'process', '--replay-runs', '5', '--report-dir', dir];
      expect(await runRandom(parseScenarioArgs(argv))).toBe(1);
      const searchDir = readdirSync(dir).map((d) => join(dir, d)).find((d) => existsSync(join(d, 'search.json')))!;
      const s = JSON.parse(readFileSync(join(searchDir, 'search.json'), 'utf8'));
      expect(s.replayedOn).toMatchObject({ runtime: 'process', runs: 5 });
      expect(s.replayedOn.reproduced, JSON.stringify(s.replayedOn)).toBeGreaterThanOrEqual(1);
    }, 240_000);
  }
});
