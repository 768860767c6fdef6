/**
 * `npm run sweep -- --election-timeout 150-155,150-200,150-300 [options]`: the Raft paper's
 * Figure 16 on this machine (see sweep-args.ts for the options). Prints progress and the table,
 * writes the chart page and the raw data. Exit code: 0 done, 2 bad arguments or an error.
 */
import { relative } from 'node:path';
import { commandPrefix, runMain } from './run-main.js';
import { sweepTables } from '../sweep/output.js';
import { runSweep, writeSweep } from '../sweep/sweep.js';
import { parseSweepArgs, SWEEP_USAGE } from '../sweep/sweep-args.js';
import { consoleStamp } from '../util/time-format.js';
import { handleInterrupts } from './interrupts.js';

async function main(argv: readonly string[]): Promise<number> {
  // A usage error is a ConfigError: runMain prints it under the command's prefix and exits 2.
  const args = parseSweepArgs(argv);
  if (args.help) {
    process.stdout.write(SWEEP_USAGE);
    return 0;
  }
  const interrupts = handleInterrupts({
    first: (sig) => console.error(`\n${commandPrefix('sweep')} ${sig}: stopping the run under way (it heals and stops its cluster), writing what was measured (again to force)`),
  });
  const t0 = performance.now();
  const result = await runSweep(args, {
    signal: interrupts.signal,
    onProgress: (line) => console.log(`${consoleStamp(performance.now() - t0)} ${line}`),
  });
  const files = await writeSweep(args.outDir, result);
  console.log(`\n${sweepTables(result)}`);
  const rel = (p: string) => relative(process.cwd(), p) || p;
  console.log(`chart:  ${rel(files.html)}\ndata:   ${rel(files.csv)}, ${rel(files.json)}`);
  return 0;
}

runMain('sweep', () => main(process.argv.slice(2)));
