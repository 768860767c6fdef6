import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario } from '../src/runner/run-scenario.js';
import { loadScenario } from '../src/scenario/load.js';
import type { RunOptions } from '../src/runner/options.js';

/**
 * One row of the bug table: a deliberate node bug, a scenario (with options) that must call it
 * invalid, and the checks expected to catch it. The same table drives the CI test
 * (`bugs.int.test.ts` keeps the rows measured reliable) and this measurement.
 */
export interface BugCase {
  bug: string;
  /** A named scenario, or the path of a scenario file (from the repository root). */
  scenario: string;
  options?: Pick<RunOptions, 'nodes' | 'electionTimeout' | 'preVote' | 'checkQuorum' | 'rpcTimeout'>;
  /** Where it runs (default processes). The simulated runtime is deterministic: same seed, same catch. */
  runtime?: 'process' | 'sim';
  /** Checks that should report it (any one invalid is a catch). */
  catchers: string[];
  /** Measured as caught in every run here: run in CI. */
  reliable: boolean;
}

/** Every bug with the scenarios that expose it (see README "Bugs and the checks that catch them"). */
export const BUG_CASES: readonly BugCase[] = [
  { bug: 'forget-vote', scenario: 'crash-restart', catchers: ['monotonic-terms', 'one-vote-per-term'], reliable: true },
  { bug: 'forget-vote', scenario: 'kill-leader', catchers: ['monotonic-terms', 'one-vote-per-term'], reliable: false },
  { bug: 'vote-twice', scenario: 'partition-leader', catchers: ['election-safety', 'one-vote-per-term'], reliable: false },
  { bug: 'vote-twice', scenario: 'split-vote', catchers: ['election-safety'], reliable: true },
  { bug: 'majority-off-by-one', scenario: 'partition-halves', options: { nodes: 4 }, catchers: ['step-down', 'election-safety'], reliable: true },
  { bug: 'fixed-timeout', scenario: 'partition-leader', catchers: ['election-time', 'liveness-after-heal'], reliable: false },
  // Caught 3/3 on a loaded machine, missed on a quiet one: whether the followers' timers stay
  // in step depends on scheduling noise. In simulation the lock-step is exact.
  { bug: 'fixed-timeout', scenario: 'partition-leader', options: { nodes: 5 }, catchers: ['election-time', 'liveness-after-heal'], reliable: false },
  { bug: 'fixed-timeout', scenario: 'partition-leader', options: { nodes: 5 }, runtime: 'sim', catchers: ['election-time', 'liveness-after-heal'], reliable: true },
  { bug: 'candidate-no-retry', scenario: 'split-vote', catchers: ['election-time', 'liveness-after-heal', 'candidate-retries'], reliable: true },
  { bug: 'candidate-no-retry', scenario: 'partition-leader', options: { nodes: 5 }, catchers: ['election-time', 'liveness-after-heal', 'candidate-retries'], reliable: false },
  { bug: 'candidate-no-retry', scenario: 'partition-leader', options: { nodes: 5 }, runtime: 'sim', catchers: ['candidate-retries'], reliable: true },
  { bug: 'no-step-down', scenario: 'partition-leader', catchers: ['liveness-after-heal', 'election-time', 'stable-leadership'], reliable: true },
  { bug: 'no-step-down', scenario: 'pause-leader', catchers: ['liveness-after-heal', 'election-time', 'stable-leadership'], reliable: false },
  { bug: 'slow-heartbeat', scenario: 'baseline', catchers: ['stable-leadership'], reliable: true },
  // Caught with Pre-Vote off: two candidates of one term, the loser keeps campaigning under the winner.
  { bug: 'candidate-ignores-leader', scenario: 'split-vote', options: { preVote: false }, runtime: 'sim', catchers: ['follows-as-follower', 'liveness-after-heal'], reliable: true },
  { bug: 'pre-vote-ignores-lease', scenario: 'bridge', runtime: 'sim', catchers: ['needless-election'], reliable: true },
  { bug: 'pre-vote-raises-term', scenario: 'rejoin-disruption', runtime: 'sim', catchers: ['cut-off-term', 'needless-election'], reliable: true },
  { bug: 'majority-half', scenario: 'rejoin-disruption', runtime: 'sim', catchers: ['leader-majority', 'election-safety'], reliable: true },
  { bug: 'count-any-reply', scenario: 'split-vote', options: { preVote: false }, runtime: 'sim', catchers: ['leader-has-votes', 'election-safety'], reliable: true },
  // The same five on processes (seeds 1-3, README): measured by `npm run bench -- bugs`, not in CI
  // (each run takes 15-25 s; their CI rows run in simulation). candidate-ignores-leader needs
  // two candidates of one term, a race on processes (2 of 3 here).
  { bug: 'candidate-ignores-leader', scenario: 'split-vote', options: { preVote: false }, catchers: ['follows-as-follower', 'liveness-after-heal'], reliable: false },
  { bug: 'pre-vote-ignores-lease', scenario: 'bridge', catchers: ['needless-election'], reliable: false },
  { bug: 'pre-vote-raises-term', scenario: 'rejoin-disruption', catchers: ['cut-off-term', 'needless-election'], reliable: false },
  { bug: 'majority-half', scenario: 'rejoin-disruption', catchers: ['leader-majority', 'election-safety'], reliable: false },
  { bug: 'count-any-reply', scenario: 'split-vote', options: { preVote: false }, catchers: ['leader-has-votes', 'election-safety'], reliable: false },
  // A node that fails by itself: its driver (NodeDriver) makes a tick asked in the past fatal, so
  // the simulator takes it down and the process exits 1, naming the input.
  { bug: 'stuck-election-timer', scenario: 'split-vote', runtime: 'sim', catchers: ['node-crash'], reliable: true },
  // Needs a RequestVote that arrives late, at a voter already in a higher term where it has not voted yet.
  { bug: 'grant-stale-term', scenario: 'flapping', options: { preVote: false }, runtime: 'sim', catchers: ['vote-term'], reliable: false },
  { bug: 'silent-leader', scenario: 'kill-leader', runtime: 'sim', catchers: ['node-reports'], reliable: true },
  { bug: 'check-quorum-ignores-flag', scenario: 'partition-leader', options: { checkQuorum: false }, runtime: 'sim', catchers: ['check-quorum'], reliable: true },
  { bug: 'quorum-needs-all-but-one', scenario: 'kill-leader', runtime: 'sim', catchers: ['check-quorum'], reliable: true },
  { bug: 'timeout-past-max', scenario: 'split-vote', runtime: 'sim', catchers: ['timeout-range'], reliable: true },
  { bug: 'campaign-at-boot', scenario: 'crash-restart', options: { preVote: false }, runtime: 'sim', catchers: ['boot-wait'], reliable: true },
  // A cluster that never elects: no fault at all, so only the start can be judged.
  { bug: 'refuse-all-votes', scenario: 'baseline', runtime: 'sim', catchers: ['liveness-at-start'], reliable: true },
  { bug: 'refuse-all-votes', scenario: 'baseline', catchers: ['liveness-at-start'], reliable: false },
  // The disk's faults (`disk-fail`, `corrupt-state`) are in example files, not named scenarios:
  // Docker cannot take them, and every named scenario runs there too.
  { bug: 'ignore-write-error', scenario: 'examples/scenarios/disk-fail-follower.json', runtime: 'sim', catchers: ['persist-or-stop'], reliable: true },
  { bug: 'accept-corrupt-state', scenario: 'examples/scenarios/corrupt-state-follower.json', runtime: 'sim', catchers: ['refuse-corrupt-state', 'monotonic-terms'], reliable: true },
  { bug: 'ignore-write-error', scenario: 'examples/scenarios/disk-fail-follower.json', catchers: ['persist-or-stop'], reliable: false },
  { bug: 'accept-corrupt-state', scenario: 'examples/scenarios/corrupt-state-follower.json', catchers: ['refuse-corrupt-state', 'monotonic-terms'], reliable: false },
  // Blind spots 14 and 9: a vote that leaves the timer running (majorities-ring on 5 nodes with
  // Pre-Vote off: nodes hear a term before its vote requests), and vote replies counted in a
  // later election (only with an RPC deadline past the election timeout: the default deadline,
  // half the minimum timeout, gives a reply up before the next election can start).
  { bug: 'vote-keeps-timer', scenario: 'majorities-ring', options: { nodes: 5, preVote: false }, runtime: 'sim', catchers: ['timer-reset'], reliable: true },
  { bug: 'count-stale-votes', scenario: 'latency', options: { preVote: false, rpcTimeout: 1000 }, runtime: 'sim', catchers: ['leader-has-votes', 'election-safety'], reliable: true },
  { bug: 'count-stale-votes', scenario: 'latency', options: { rpcTimeout: 1000 }, runtime: 'sim', catchers: ['pre-vote-won'], reliable: true },
  // Judged on the simulated runtime's delivery records only (processes have none: not judged there).
  { bug: 'quorum-counts-votes', scenario: 'slow-new-leader', runtime: 'sim', catchers: ['quorum-window'], reliable: true },
  // The same seven on processes (seeds 1-3, README): measured by `npm run bench -- bugs`, not in
  // CI (each run takes 15-25 s; their CI rows run in simulation).
  { bug: 'stuck-election-timer', scenario: 'split-vote', catchers: ['node-crash'], reliable: false },
  { bug: 'grant-stale-term', scenario: 'flapping', options: { preVote: false }, catchers: ['vote-term'], reliable: false },
  { bug: 'silent-leader', scenario: 'kill-leader', catchers: ['node-reports'], reliable: false },
  { bug: 'check-quorum-ignores-flag', scenario: 'partition-leader', options: { checkQuorum: false }, catchers: ['check-quorum'], reliable: false },
  { bug: 'quorum-needs-all-but-one', scenario: 'kill-leader', catchers: ['check-quorum'], reliable: false },
  { bug: 'timeout-past-max', scenario: 'split-vote', catchers: ['timeout-range'], reliable: false },
  { bug: 'campaign-at-boot', scenario: 'crash-restart', options: { preVote: false }, catchers: ['boot-wait'], reliable: false },
  // Blind spots 4, 5 and 15 of the mutation triage: the configuration honoured, why a leader
  // steps down, pre-vote rounds decided by their votes (a round is lost at all only on 5+ nodes).
  { bug: 'pre-vote-when-off', scenario: 'split-vote', options: { preVote: false }, runtime: 'sim', catchers: ['pre-vote-off'], reliable: true },
  { bug: 'yield-to-same-term', scenario: 'split-vote', options: { preVote: false }, runtime: 'sim', catchers: ['step-down-cause'], reliable: true },
  { bug: 'pre-vote-stays-lost', scenario: 'majorities-ring', options: { nodes: 6 }, runtime: 'sim', catchers: ['pre-vote-outcome'], reliable: true },
  // The same three on processes (seeds 1-3, README: 3/3 each): `npm run bench -- bugs`, not in CI.
  { bug: 'pre-vote-when-off', scenario: 'split-vote', options: { preVote: false }, catchers: ['pre-vote-off'], reliable: false },
  { bug: 'yield-to-same-term', scenario: 'split-vote', options: { preVote: false }, catchers: ['step-down-cause'], reliable: false },
  { bug: 'pre-vote-stays-lost', scenario: 'majorities-ring', options: { nodes: 6 }, catchers: ['pre-vote-outcome'], reliable: false },
  // What the nodes were told: term-adoption and vote-replies read the simulated runtime's record of
  // delivered messages (no such record on processes); the lease reason is node-reports', from events.
  { bug: 'ignore-reply-term', scenario: 'split-vote', options: { preVote: false }, runtime: 'sim', catchers: ['term-adoption'], reliable: true },
  { bug: 'stale-refusal-logged-granted', scenario: 'split-vote', options: { preVote: false }, runtime: 'sim', catchers: ['vote-replies', 'vote-term', 'one-vote-per-term'], reliable: true },
  { bug: 'lease-never-expires', scenario: 'kill-leader', runtime: 'sim', catchers: ['node-reports'], reliable: true },
  { bug: 'ignore-reply-term', scenario: 'split-vote', options: { preVote: false }, catchers: ['term-adoption'], reliable: false },
  { bug: 'stale-refusal-logged-granted', scenario: 'split-vote', options: { preVote: false }, catchers: ['vote-term', 'one-vote-per-term'], reliable: false },
  { bug: 'lease-never-expires', scenario: 'kill-leader', catchers: ['node-reports'], reliable: false },
  { bug: 'vote-keeps-timer', scenario: 'majorities-ring', options: { nodes: 5, preVote: false }, catchers: ['timer-reset'], reliable: false },
  { bug: 'count-stale-votes', scenario: 'latency', options: { rpcTimeout: 1000 }, catchers: ['pre-vote-won', 'leader-has-votes', 'election-safety'], reliable: false },
  // The server's persistence bugs: seen in simulation only since it runs the server's driver and
  // storage on a simulated disk where a kill loses what was not synced (a kill acts as a power
  // loss there; on processes the kernel keeps the unsynced page cache across a kill -9).
  { bug: 'no-fsync', scenario: 'crash-restart', runtime: 'sim', catchers: ['monotonic-terms', 'one-vote-per-term', 'election-safety'], reliable: true },
  { bug: 'no-fsync', scenario: 'kill-leader', runtime: 'sim', catchers: ['monotonic-terms', 'one-vote-per-term', 'election-safety'], reliable: false },
  { bug: 'no-fsync', scenario: 'crash-restart', catchers: ['monotonic-terms', 'one-vote-per-term', 'election-safety'], reliable: false },
  // Needs a kill inside the voter's write (2-14 ms after it answered). The nemesis fetches a
  // node's events before killing it, which waits for the write on processes and in simulation,
  // so no named scenario lands there; node/src/sim/sim-cluster.test.ts kills voters right after
  // they grant and catches it.
  { bug: 'reply-before-persist', scenario: 'crash-restart', runtime: 'sim', catchers: ['election-safety', 'one-vote-per-term'], reliable: false },
];

/** How one case fared over repeated runs. */
export interface BugCaseResult {
  case: BugCase;
  runs: number;
  caught: number;
  /** Checks that said invalid, with how many runs each. */
  by: Record<string, number>;
  meanMs: number;
}

/** Runs one case `runs` times (on processes unless it says sim) and counts the invalid runs. */
export async function measureBugCase(c: BugCase, runs: number, seed0 = 1): Promise<BugCaseResult> {
  const scenario = await loadScenario(c.scenario);
  const dir = mkdtempSync(join(tmpdir(), 'rc-bugs-'));
  const by: Record<string, number> = {};
  let caught = 0;
  let total = 0;
  try {
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const r = await runScenario(scenario, {
        runtime: c.runtime ?? 'process',
        seed: seed0 + i,
        bugs: [c.bug],
        reportDir: dir,
        writeReport: false,
        ...c.options,
      });
      total += performance.now() - t0;
      if (r.verdict === 'invalid') caught += 1;
      for (const x of r.results) if (x.verdict === 'invalid') by[x.name] = (by[x.name] ?? 0) + 1;
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { case: c, runs, caught, by, meanMs: total / runs };
}

/** `npm run bench -- bugs`: measures every case (BUG_RUNS runs each, default 3) and prints the table. */
export async function benchBugTable(): Promise<void> {
  const runs = Number(process.env.BUG_RUNS ?? 3);
  const only = process.env.BUG_ONLY?.split(',');
  console.log(`| bug | scenario | caught | checks that said invalid | mean run |`);
  console.log(`|---|---|---|---|---|`);
  for (const c of BUG_CASES) {
    if (only && !only.includes(c.bug)) continue;
    const r = await measureBugCase(c, runs);
    const opts = c.options || c.runtime ? ` (${Object.entries({ ...c.options, ...(c.runtime ? { runtime: c.runtime } : {}) }).map(([k, v]) => `${k} ${Array.isArray(v) ? v.join('-') : v}`).join(', ')})` : '';
    const by = Object.entries(r.by).map(([k, v]) => `${k} ${v}/${runs}`).join(', ') || '—';
    console.log(`| ${c.bug} | ${c.scenario}${opts} | ${r.caught}/${runs} | ${by} | ${(r.meanMs / 1000).toFixed(1)} s |`);
  }
}
