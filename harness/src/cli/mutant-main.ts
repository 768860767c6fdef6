/**
 * The command Stryker runs once per mutant (and once on the unmutated code, its dry run):
 * `node --import tsx harness/src/cli/mutant-main.ts [--runs N] [--nodes 3,5] [--seed S]
 * [--explore-config] [--no-triggers] [--scenarios a,b]`. It runs a bounded simulated random
 * search per cluster size in turn (stopping at the first failure), then (unless
 * `--no-triggers`) the same searches again with faults triggered by node events, then the
 * named scenarios, all on `--runtime sim`, and exits
 * like the harness:
 * - 0: no failure found (the mutant survives),
 * - 1: a check said invalid (the mutant is killed),
 * - 2: the harness could not run (bad options, every run broke, a crash): an error, never a kill.
 * Stryker chooses the active mutant through an environment variable; this file does not read it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { parseOptions } from './run-main.js';
import { parseScenarioArgs } from './scenario-args.js';
import { runRandom } from './random-command.js';
import { runScenario } from '../runner/run-scenario.js';
import { scenarios } from '../../../scenarios/index.js';

/** What one mutant is tested with (the defaults are `npm run mutation`'s). */
export interface MutantPlan {
  runs: number;
  /** Cluster sizes searched in turn (fixed configuration), e.g. [3, 5]. */
  nodes: number[];
  seed: number;
  /** Schedules also choose cluster size, Pre-Vote, CheckQuorum and timers (one search). */
  exploreConfig: boolean;
  /**
   * After the searches found nothing, the same searches again with faults that node events
   * trigger (`--triggers`: kill the node that just granted a vote, isolate a candidate as it
   * starts, ...): timings that faults at times chosen in advance seldom reach. The plain
   * searches run first and unchanged, so this only adds kills.
   */
  triggers: boolean;
  /**
   * After those found nothing, the same searches once more with faults of the nodes' disks
   * drawn too (`--disk-faults`: a disk that refuses writes, a corrupted state file), failing
   * on the safety checks only (a node stopped by its disk slows elections, which the timing
   * checks would count against the correct node). Only adds kills.
   */
  diskFaults: boolean;
  /** Named scenarios run once each on the simulator after the searches. */
  scenarios: string[];
}

/**
 * What `npm run mutation` runs per mutant by default: 300 schedules, seed 1, configuration
 * explored, then (if that found nothing) 300 more with faults triggered by node events, then
 * 300 with disk faults; last, the named scenarios of `scenarios`. The second search is what
 * reaches the persistence and reply path: `--bug reply-before-persist` survives 300 plain
 * schedules and is found by the triggered ones (a node killed as it campaigns comes back with an
 * older term). The named scenarios (session 7) run after every search, so they only add kills,
 * and reach what no searched schedule did: `re-elected-leader`, a leader deposed mid-window that
 * wins again while answers of its earlier leadership are in flight (thesis §6.2: a CheckQuorum
 * window counts only answers to that leadership); `lease-forgotten`, a follower that takes a
 * higher term from a late vote request just after hearing its leader, then gets pre-votes
 * (thesis §9.6: a lease kept for a forgotten leader).
 */
export const DEFAULT_PLAN: MutantPlan = { runs: 300, nodes: [3, 5], seed: 1, exploreConfig: true, triggers: true, diskFaults: true, scenarios: ['re-elected-leader', 'lease-forgotten'] };

const USAGE = `Usage: node --import tsx harness/src/cli/mutant-main.ts [options]
  --runs N            schedules per search (default ${DEFAULT_PLAN.runs})
  --nodes LIST        cluster sizes searched in turn with the fixed configuration (default 3,5)
  --seed S            the search's seed (default 1)
  --explore-config    one search whose schedules also choose size 3-7, Pre-Vote, CheckQuorum, timers (default)
  --no-explore-config searches on the fixed default configuration, per size in --nodes
  --no-triggers       no second round of the searches with faults triggered by node events
  --no-disk-faults    no last round with disk faults drawn (--disk-faults, safety checks)
  --scenarios LIST    named scenarios to run on the simulator after the searches (comma list;
                      default ${DEFAULT_PLAN.scenarios.join(',')}; none or "": no scenario)
Exit code: 0 nothing failed (mutant survives), 1 a check failed (killed), 2 could not run.`;

/** Parses the command line into a plan; ConfigError names the bad option. */
export function parsePlan(argv: readonly string[]): MutantPlan | undefined {
  const v = parseOptions(
    argv,
    {
      runs: { type: 'string' },
      nodes: { type: 'string' },
      seed: { type: 'string' },
      'explore-config': { type: 'boolean' },
      'no-explore-config': { type: 'boolean' },
      'no-triggers': { type: 'boolean' },
      'no-disk-faults': { type: 'boolean' },
      scenarios: { type: 'string' },
    },
    USAGE,
  );
  if (!v) return undefined;
  const whole = (raw: string | undefined, name: string, min: number, max: number, dflt: number) => {
    if (raw === undefined) return dflt;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return n;
  };
  const nodes = v.nodes === undefined ? DEFAULT_PLAN.nodes : v.nodes.split(',').map((x) => whole(x.trim(), '--nodes', 3, 15, 3));
  const known = scenarios.map((s) => s.name);
  const named =
    v.scenarios === undefined ? [...DEFAULT_PLAN.scenarios] : ['', 'none'].includes(v.scenarios.trim()) ? [] : v.scenarios.split(',').map((x) => x.trim()).filter(Boolean);
  const bad = named.filter((x) => !known.includes(x));
  if (bad.length > 0) throw new ConfigError(`--scenarios: unknown scenario(s) ${bad.join(', ')}; known: ${known.join(', ')}`);
  if (v['explore-config'] && v['no-explore-config']) throw new ConfigError('--explore-config and --no-explore-config exclude each other');
  return {
    runs: whole(v.runs, '--runs', 1, 1_000_000, DEFAULT_PLAN.runs),
    nodes,
    seed: whole(v.seed, '--seed', 0, 2 ** 32 - 1, DEFAULT_PLAN.seed),
    exploreConfig: v['no-explore-config'] ? false : DEFAULT_PLAN.exploreConfig,
    triggers: v['no-triggers'] ? false : DEFAULT_PLAN.triggers,
    diskFaults: v['no-disk-faults'] ? false : DEFAULT_PLAN.diskFaults,
    scenarios: named,
  };
}

/**
 * Runs the plan and gives the exit code (0 survived, 1 killed, 2 could not run). The searches'
 * own output is kept and printed only for the step that decided, so a killed mutant's report
 * in Stryker names the schedule and the check that caught it.
 */
export async function testMutant(plan: MutantPlan, print: (line: string) => void = console.log): Promise<0 | 1 | 2> {
  const dir = mkdtempSync(join(tmpdir(), 'raft-mutant-'));
  const log = console.log;
  const kept: string[] = [];
  console.log = (...xs: unknown[]) => void kept.push(xs.map(String).join(' '));
  try {
    const sizes = plan.exploreConfig ? [undefined] : plan.nodes;
    const searches = [
      ...sizes.map((nodes) => ({ nodes, triggers: false, disk: false })),
      ...(plan.triggers ? sizes.map((nodes) => ({ nodes, triggers: true, disk: false })) : []),
      ...(plan.diskFaults ? sizes.map((nodes) => ({ nodes, triggers: false, disk: true })) : []),
    ];
    for (const { nodes, triggers, disk } of searches) {
      kept.length = 0;
      // One shrink run, not 0: a verdict needs no minimal schedule, and today a search with
      // --max-shrinks 0 can end in exit 0 after a weak failure (issue 14, fixed separately).
      const argv = ['random', '--runtime', 'sim', '--runs', String(plan.runs), '--seed', String(plan.seed), '--max-shrinks', '1', '--replay-on', 'none', '--report-dir', dir];
      if (nodes !== undefined) argv.push('--nodes', String(nodes));
      if (plan.exploreConfig) argv.push('--explore-config');
      if (triggers) argv.push('--triggers');
      if (disk) argv.push('--disk-faults', '--checks', 'safety');
      const code = await runRandom(parseScenarioArgs(argv));
      const what = `${nodes === undefined ? 'random search, configuration explored' : `random search, ${nodes} nodes`}${triggers ? ', faults triggered by node events' : ''}${disk ? ', disk faults, safety checks' : ''}`;
      if (code !== 0) {
        print(`${what}: exit ${code}`);
        for (const line of kept.slice(-14)) print(line);
        return code === 1 ? 1 : 2;
      }
      print(`${what}: no failure in ${plan.runs} schedules`);
    }
    for (const name of plan.scenarios) {
      const scenario = scenarios.find((s) => s.name === name)!;
      const r = await runScenario(scenario, { runtime: 'sim', seed: plan.seed, reportDir: dir, writeReport: false });
      const bad = r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name} ${c.verdict}`);
      print(`scenario ${name}: ${r.verdict}${bad.length ? ` (${bad.join(', ')})` : ''}`);
      // An unknown scenario verdict is no evidence either way: it neither kills nor errs.
      if (r.verdict === 'invalid') return 1;
    }
    return 0;
  } finally {
    console.log = log;
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let plan: MutantPlan | undefined;
  try {
    plan = parsePlan(argv);
  } catch (err) {
    console.error(`mutant: ${(err as Error).message}`);
    return 2;
  }
  if (!plan) return 0;
  return testMutant(plan);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      // A crash (e.g. a mutant that throws where the harness does not expect it) is an error, not a kill.
      console.error('mutant: the harness crashed:', err);
      process.exit(2);
    },
  );
}
