import { describe, expect, it } from 'vitest';
import { scenarios } from '../../../scenarios/index.js';
import type { Scenario } from '../scenario/types.js';
import { nightItems, partSeed, planNight, searchArgv, shareOf, SIM_PART, sizeMisfit, type ScenarioItem, type SearchItem } from './plan.js';
import { parseShard, parseSizes, takeShard } from './shard-args.js';

const night = { scenarios, seed: 20261206, randomRuns: 5, simRuns: 2000 };

describe('nightItems', () => {
  it('lists every scenario, then the random search on the runtime, then the simulated search in parts', () => {
    const items = nightItems(night);
    expect(items.slice(0, scenarios.length).map((i) => i.label)).toEqual(scenarios.map((s) => s.name));
    const searches = items.slice(scenarios.length) as SearchItem[];
    expect(searches.map((s) => [s.on, s.runs])).toEqual([['runtime', 5], ['sim', 500], ['sim', 500], ['sim', 500], ['sim', 500]]);
    expect(searches.reduce((n, s) => n + (s.on === 'sim' ? s.runs : 0), 0)).toBe(2000);
    expect(new Set(items.map((i) => i.label)).size).toBe(items.length);
  });

  it('keeps a search of one part on the night seed under its old label, and gives later parts other seeds', () => {
    const one = nightItems({ ...night, simRuns: 300 }).at(-1) as SearchItem;
    expect(one).toMatchObject({ label: 'random on sim (300 schedules)', seed: 20261206, runs: 300 });
    const parts = nightItems({ ...night, simRuns: SIM_PART * 2 + 1 }).filter((i): i is SearchItem => i.kind === 'search' && i.on === 'sim');
    expect(parts.map((p) => p.runs)).toEqual([SIM_PART, SIM_PART, 1]);
    expect(parts[0]!.seed).toBe(20261206);
    expect(new Set(parts.map((p) => p.seed)).size).toBe(3);
    expect(parts[2]!.label).toBe(`random on sim (1 schedules, part 3 of 3, seed ${parts[2]!.seed})`);
    // Tomorrow's first part is not tonight's second.
    expect(partSeed(20261206, 1)).not.toBe(20261207);
    expect(partSeed(20261206, 1)).toBe(partSeed(20261206, 1));
    expect(partSeed(20261206, 1)).toBeLessThan(2 ** 32);
  });

  it('is empty of searches when both counts are 0', () => {
    expect(nightItems({ ...night, randomRuns: 0, simRuns: 0 }).every((i) => i.kind === 'scenario')).toBe(true);
  });
});

describe('sizes', () => {
  // A scenario that kills n5 by name: it fits 5 nodes and more, not 3.
  const killN5: Scenario = { name: 'kill-n5', description: 'kills n5', steps: [{ fault: { kind: 'kill', target: 'n5' }, holdMs: 100 }] };

  it('runs every scenario on every size it fits, by scenario then size, and names the pairs left out', () => {
    const o = { scenarios: [scenarios[0]!, killN5], seed: 1, randomRuns: 0, simRuns: 0, sizes: [3, 5, 7] };
    const items = nightItems(o) as ScenarioItem[];
    expect(items.map((i) => [i.label, i.nodes])).toEqual([
      [`${scenarios[0]!.name} (3 nodes)`, 3], [`${scenarios[0]!.name} (5 nodes)`, 5], [`${scenarios[0]!.name} (7 nodes)`, 7],
      ['kill-n5 (5 nodes)', 5], ['kill-n5 (7 nodes)', 7],
    ]);
    expect(planNight(o, undefined).misfits).toEqual(['kill-n5 (3 nodes)']);
    expect(sizeMisfit(killN5, 3)).toContain('names n5, but the cluster has 3 node(s)');
    expect(sizeMisfit(killN5, 5)).toBeNull();
    // Without sizes, each scenario runs once on its own size, under its own name.
    expect((nightItems({ ...o, sizes: undefined }) as ScenarioItem[]).map((i) => [i.label, i.nodes])).toEqual([[scenarios[0]!.name, undefined], ['kill-n5', undefined]]);
  });

  it('parses --sizes sorted and once each, refusing sizes below 3 or above 15', () => {
    expect(parseSizes('7,3,5,3')).toEqual([3, 5, 7]);
    expect(takeShard(['--sizes', '5,3', '--shard=2/2', '--seed', '1'])).toEqual({ shard: { k: 2, n: 2 }, sizes: [3, 5], rest: ['--seed', '1'] });
    for (const bad of ['2,3', '16', 'x', '3,,5', '3.5', '']) {
      expect(() => parseSizes(bad)).toThrow(`--sizes must be cluster sizes from 3 to 15, comma-separated (e.g. --sizes 3,5,7), got "${bad}"`);
    }
    expect(() => takeShard(['--sizes'])).toThrow('--sizes needs a value such as 3,5,7');
  });
});

describe('shareOf and planNight', () => {
  it('deals item i to shard i mod N + 1: the shares are disjoint, cover the night, and do not depend on the run', () => {
    const items = nightItems(night).map((i) => i.label);
    for (const n of [1, 2, 3, 7]) {
      const shares = Array.from({ length: n }, (_, k) => shareOf(items, { k: k + 1, n }));
      expect(shares.flat().sort()).toEqual([...items].sort());
      expect(Math.max(...shares.map((s) => s.length)) - Math.min(...shares.map((s) => s.length))).toBeLessThanOrEqual(1);
    }
    expect(shareOf(items, { k: 2, n: 3 })).toEqual(items.filter((_, i) => i % 3 === 1));
    expect(planNight(night, { k: 2, n: 3 }).mine.map((i) => i.label)).toEqual(planNight(night, { k: 2, n: 3 }).mine.map((i) => i.label));
    expect(planNight(night, undefined).mine).toHaveLength(items.length);
  });

  it('refuses more shards than the night has items', () => {
    const small = { ...night, scenarios: scenarios.slice(0, 2), randomRuns: 0, simRuns: 0 };
    expect(() => planNight(small, { k: 3, n: 3 })).toThrow('--shard 3/3: the night has only 2 item(s); use at most 2 shards');
    expect(planNight(small, { k: 2, n: 2 }).mine.map((i) => i.label)).toEqual([scenarios[1]!.name]);
  });
});

describe('parseShard and takeShard', () => {
  it('takes K/N', () => {
    expect(parseShard('2/3')).toEqual({ k: 2, n: 3 });
    expect(parseShard('1/1')).toEqual({ k: 1, n: 1 });
    expect(takeShard(['--seed', '7', '--shard', '3/3', '--only', 'baseline'])).toEqual({ shard: { k: 3, n: 3 }, rest: ['--seed', '7', '--only', 'baseline'] });
    expect(takeShard(['--shard=1/2']).shard).toEqual({ k: 1, n: 2 });
    expect(takeShard(['--seed', '7']).shard).toBeUndefined();
  });

  it.each(['0/3', '4/3', 'x', '1/0', '2', '-1/3', '1/3/4', '1.5/3', '1/257'])('refuses --shard %s naming it', (bad) => {
    expect(() => parseShard(bad)).toThrow(`--shard must be K/N with 1 <= K <= N <= 256 (e.g. --shard 2/3), got "${bad}"`);
  });

  it('refuses --shard without a value or twice', () => {
    expect(() => takeShard(['--shard'])).toThrow('--shard needs a value K/N');
    expect(() => takeShard(['--shard', '--seed', '7'])).toThrow('--shard needs a value K/N');
    expect(() => takeShard(['--shard', '1/2', '--shard', '2/2'])).toThrow('--shard given twice');
  });
});

describe('searchArgv', () => {
  it('runs a part with its own seed and count, replaying a simulated failure on Docker only for a Docker night', () => {
    const [, sim] = nightItems({ ...night, scenarios: [], simRuns: 700 }).filter((i): i is SearchItem => i.kind === 'search' && i.on === 'sim');
    const argv = searchArgv(sim!, { runtime: 'docker', reportDir: '/r', bugs: ['vote-twice'] });
    expect(argv).toEqual(['random', '--runtime', 'sim', '--seed', String(sim!.seed), '--runs', '200', '--report-dir', '/r', '--replay-on', 'docker', '--time-limit', '300s', '--bug', 'vote-twice']);
    const real = nightItems({ ...night, scenarios: [] })[0] as SearchItem;
    expect(searchArgv(real, { runtime: 'process', reportDir: '/r', bugs: [] })).toEqual(['random', '--seed', '20261206', '--runs', '5', '--report-dir', '/r', '--runtime', 'process', '--log-level', 'warn', '--time-limit', '180s']);
  });

  it("carries a night's subject into its searches", () => {
    const real = nightItems({ ...night, scenarios: [] })[0] as SearchItem;
    const argv = searchArgv(real, { runtime: 'process', reportDir: '/r', bugs: [], subject: ['--subject', 'course', '--node-command', 'python3 node.py'] });
    expect(argv.slice(-4)).toEqual(['--subject', 'course', '--node-command', 'python3 node.py']);
  });
});
