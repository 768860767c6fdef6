import fc from 'fast-check';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import { validateScenario } from '../scenario/validate.js';
import { clusterConfigArb, CONFIG_RANGES, DEFAULT_CLUSTER_CONFIG, isDefaultConfig, type ClusterConfig } from './config-arbitrary.js';
import { runRandom } from '../cli/random-command.js';
import type { RunOne } from './run-record.js';
import { exploringScheduleArb } from './schedule-arbitrary.js';
import { searchRandom } from './search.js';
import { toScenario } from './to-scenario.js';
import { captureConsole } from '../test-support/capture-console.js';

/** fast-check's counterexample of `fails` over `arb` (seeded): what shrinking kept. */
function shrunk<T>(arb: fc.Arbitrary<T>, fails: (x: T) => boolean, seed = 5): T {
  const d = fc.check(fc.property(arb, (x) => !fails(x)), { seed, numRuns: 1000 });
  expect(d.failed).toBe(true);
  return d.counterexample![0];
}

describe('clusterConfigArb', () => {
  const sample = fc.sample(clusterConfigArb(), { seed: 1, numRuns: 2000 });

  it('produces every size 3-7, both Pre-Vote and CheckQuorum settings, and the default configuration', () => {
    expect(new Set(sample.map((c) => c.nodes))).toEqual(new Set([3, 4, 5, 6, 7]));
    expect(new Set(sample.map((c) => c.preVote))).toEqual(new Set([true, false]));
    expect(new Set(sample.map((c) => c.checkQuorum))).toEqual(new Set([true, false]));
    expect(sample.some(isDefaultConfig)).toBe(true);
    expect(new Set(sample.map((c) => c.electionTimeout[0])).size).toBeGreaterThan(50);
    expect(new Set(sample.map((c) => c.heartbeatInterval)).size).toBeGreaterThan(20);
  });

  it('keeps timers sane: range at least half its lower end, heartbeat at most a third of it', () => {
    for (const c of sample) {
      const [min, max] = c.electionTimeout;
      expect(min).toBeGreaterThanOrEqual(CONFIG_RANGES.timeoutMin[0]);
      expect(min).toBeLessThanOrEqual(CONFIG_RANGES.timeoutMin[1]);
      expect(max - min).toBeGreaterThanOrEqual(Math.ceil(min / 2));
      expect(c.heartbeatInterval).toBeGreaterThanOrEqual(CONFIG_RANGES.heartbeat[0]);
      expect(c.heartbeatInterval).toBeLessThanOrEqual(Math.max(CONFIG_RANGES.heartbeat[0], Math.floor(min / 3)));
    }
  });

  it('shrinks to the default configuration when the failure needs none of it', () => {
    expect(shrunk(clusterConfigArb(), () => true)).toEqual(DEFAULT_CLUSTER_CONFIG);
  });

  it('shrinks toward the defaults, keeping only what the failure needs', () => {
    const c = shrunk(clusterConfigArb(), (x) => x.nodes >= 5 && !x.preVote);
    expect(c).toEqual({ ...DEFAULT_CLUSTER_CONFIG, nodes: 5, preVote: false });
    const t = shrunk(clusterConfigArb(), (x) => x.electionTimeout[0] < 100);
    expect(t.electionTimeout[0]).toBe(99);
    expect({ ...t, electionTimeout: DEFAULT_CLUSTER_CONFIG.electionTimeout, heartbeatInterval: 50 }).toEqual(DEFAULT_CLUSTER_CONFIG);
  });
});

describe('exploringScheduleArb', () => {
  it('draws faults for the chosen size, and the scenario carries the whole configuration', () => {
    for (const s of fc.sample(exploringScheduleArb(), { seed: 2, numRuns: 300 })) {
      const c = s.config!;
      const scenario = validateScenario(toScenario(s.items, { seed: 2, index: 1, nodes: 3, config: c }));
      expect(scenario).toMatchObject({ nodes: c.nodes, preVote: c.preVote, checkQuorum: c.checkQuorum, heartbeatInterval: c.heartbeatInterval });
      expect(scenario.electionTimeout).toEqual(c.electionTimeout);
      // Node ids named by the faults exist in that cluster.
      const ids = [...JSON.stringify(scenario.steps).matchAll(/"n(\d+)"/g)].map((m) => Number(m[1]));
      expect(ids.every((i) => i >= 1 && i <= c.nodes)).toBe(true);
    }
  });

  it('a search shrinks the configuration toward the defaults: the minimal scenario keeps what the failure needs', async () => {
    // A "bug" that shows only on 5 nodes or more with Pre-Vote off, whatever the faults.
    const runOne: RunOne = async (scenario) =>
      (scenario.nodes ?? 3) >= 5 && scenario.preVote === false
        ? { verdict: 'invalid', failing: ['one-vote-per-term'], dir: '' }
        : { verdict: 'valid', failing: [], dir: '' };
    const r = await searchRandom({ seed: 3, runs: 200, constraints: { nodes: 3 }, exploreConfig: true, maxShrinks: 500, confirmRuns: 1, greedyTries: 1 }, runOne);
    expect(r.failure).toBeDefined();
    const min = r.failure!.minimize.scenario;
    expect(r.failure!.shrunk.config).toEqual<ClusterConfig>({ ...DEFAULT_CLUSTER_CONFIG, nodes: 5, preVote: false });
    expect(min).toMatchObject({ nodes: 5, preVote: false, checkQuorum: true, electionTimeout: [150, 300], heartbeatInterval: 50 });
  });
});

describe('npm run scenario random -- --explore-config', () => {
  const root = mkdtempSync(join(tmpdir(), 'rc-explore-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const captured = captureConsole();

  it('refuses options that fix what it explores (exit 2, naming them)', async () => {
    const code = await runRandom(parseScenarioArgs(['random', '--runtime', 'sim', '--explore-config', '--nodes', '5', '--no-pre-vote', '--report-dir', root]));
    expect(code).toBe(2);
    expect(captured.lines.join('\n')).toMatch(/--explore-config .*drop --nodes, --no-pre-vote/);
  });

  it('finds a bug in simulation and writes a minimal scenario carrying its configuration, with a replay command that explores again', async () => {
    const dir = join(root, 'vote-twice');
    const code = await runRandom(
      parseScenarioArgs(['random', '--runtime', 'sim', '--explore-config', '--seed', '3', '--runs', '300', '--bug', 'vote-twice', '--checks', 'safety', '--replay-on', 'none', '--report-dir', dir]),
    );
    expect(code).toBe(1);
    const text = captured.lines.join('\n');
    expect(text).toMatch(/configuration explored: sizes 3-7/);
    expect(text).toMatch(/    configuration: \d nodes, Pre-Vote (on|off)/);
    expect(text).toMatch(/replay search: .*--explore-config/);
    const file = /minimal scenario: (\S+)/.exec(text)![1]!;
    const scenario = JSON.parse(readFileSync(file, 'utf8'));
    for (const k of ['nodes', 'electionTimeout', 'heartbeatInterval', 'preVote', 'checkQuorum']) expect(scenario).toHaveProperty(k);
    // The direct replay command gives no option that would override the file's configuration.
    const direct = /run it on processes: (.*)/.exec(text)![1]!;
    expect(direct).not.toMatch(/--nodes|--election-timeout|--pre-vote|--no-pre-vote|--check-quorum|--heartbeat/);
  }, 60_000);
});
