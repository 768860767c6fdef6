// Benchmarks: `npm run bench -- [name...]`; no name runs every registered bench in turn.
// To add one, export a `() => Promise<unknown>` that prints its figures and register it below.
import { didYouMean } from '../../common/src/did-you-mean.js';
import { benchBugTable } from './bug-table.js';
import { benchCheckers } from './checkers-bench.js';
import { benchStartup } from './docker-bench.js';
import { benchFailover } from './failover-bench.js';
import { benchFidelity } from './fidelity-bench.js';
import { proxyBench } from './proxy-bench.js';
import { benchRandom } from './random-bench.js';
import { benchSim } from './sim-bench.js';
import { benchSubject } from './subject-bench.js';

/** A named benchmark: prints its own figures; throws to fail the run. */
export interface Bench {
  readonly description: string;
  readonly run: () => Promise<unknown>;
}

/** Every bench, by subcommand name. Later: failover, checkers, docker, sim. */
export const BENCHES: Readonly<Record<string, Bench>> = {
  proxy: { description: 'embedded Toxiproxy: throughput ratio and added latency vs direct loopback', run: proxyBench },
  failover: { description: '5-node failover over 50 leader kills vs the Raft paper, and the poller cost', run: benchFailover },
  docker: { description: '5-node start to settled leader, and partition-leader wall time: processes vs Docker', run: benchStartup },
  checkers: { description: 'checkers on a generated 1M-entry history: check rate vs parse rate', run: benchCheckers },
  bugs: { description: 'each deliberate node bug against its scenarios: how often it is caught (BUG_RUNS, BUG_ONLY)', run: benchBugTable },
  random: { description: 'random schedules on processes: schedules per minute, time to find forget-vote and vote-twice', run: benchRandom },
  sim: { description: 'simulated runtime: simulated time / wall time on 5 nodes under random faults, schedules per second, time to a bug', run: benchSim },
  subject: { description: 'poller cost and failover (by polls) of a status-only subject (the course TS node) beside our node (SUBJECT_KILLS)', run: benchSubject },
  fidelity: { description: 'simulated vs real: partition-leader timing (FIDELITY_RUNS), and minimal safety failures found in simulation replayed on processes (FIDELITY_BUGS as bug, bug:nodes or bug+triggers, FIDELITY_REPLAYS default 10, FIDELITY_JITTER default 3; FIDELITY_PART=timing|replay)', run: benchFidelity },
};

/** `npm run bench -- --help`: how to call it and every bench with what it measures. */
export function benchUsage(): string {
  const lines = Object.entries(BENCHES).map(([name, bench]) => `  ${name.padEnd(10)} ${bench.description}`);
  return `Usage: npm run bench [-- name...]   (no name: every bench in turn; they take minutes each)\n\nBenches:\n${lines.join('\n')}\n`;
}

async function main(names: string[]): Promise<number> {
  if (names.includes('--help') || names.includes('-h')) {
    process.stdout.write(benchUsage());
    return 0;
  }
  const unknown = names.filter((n) => !Object.hasOwn(BENCHES, n));
  if (unknown.length > 0) {
    const hints = unknown.map((n) => `"${n}"${n.startsWith('-') ? '' : didYouMean(n, Object.keys(BENCHES))}`).join(', ');
    const what = unknown.some((n) => n.startsWith('-')) ? 'unknown bench or option' : 'unknown bench';
    process.stderr.write(`raft-chaos bench: ${what} ${hints}\n\n${benchUsage()}`);
    return 2;
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    console.log(`== bench ${name}: ${BENCHES[name]!.description}`);
    await BENCHES[name]!.run();
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error('raft-chaos bench: unexpected error:', error);
    process.exit(1);
  },
);
