// Benchmarks: `npm run bench -- [name...]`; no name runs every registered bench in turn.
// To add one, export a `() => Promise<unknown>` that prints its figures and register it below.
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
  fidelity: { description: 'simulated vs real timing: partition-leader failovers and vote rounds on sim and on processes (FIDELITY_RUNS)', run: benchFidelity },
};

async function main(names: string[]): Promise<void> {
  const unknown = names.filter((n) => !(n in BENCHES));
  if (unknown.length > 0) {
    console.error(`unknown bench: ${unknown.join(', ')}\nknown:`);
    for (const [name, bench] of Object.entries(BENCHES)) console.error(`  ${name.padEnd(10)} ${bench.description}`);
    process.exit(2);
  }
  for (const name of names.length > 0 ? names : Object.keys(BENCHES)) {
    console.log(`== bench ${name}: ${BENCHES[name]!.description}`);
    await BENCHES[name]!.run();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
