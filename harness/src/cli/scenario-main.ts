/**
 * `npm run scenario <name|file> [-- options]`: runs one scenario and prints its verdict.
 * Exit code: 0 valid, 1 invalid, 2 unknown (and usage errors, refused before anything runs),
 * 3 could not run (setup failed, environment); see EXIT_CODES.
 */
import { relative } from 'node:path';
import { exitCodeForRun, judgement } from '../checkers/types.js';
import { runScenario, type RunResult } from '../runner/run-scenario.js';
import { loadScenario } from '../scenario/load.js';
import { scenarios } from '../../../scenarios/index.js';
import { runRandom } from './random-command.js';
import { consoleStamp, fmtMs } from '../util/time-format.js';
import { commandPrefix, runMain } from './run-main.js';
import { parseScenarioArgs, runOptionsFrom, SCENARIO_USAGE } from './scenario-args.js';
import { handleInterrupts } from './interrupts.js';

async function main(argv: readonly string[]): Promise<number> {
  // A usage error is a ConfigError: runMain prints it under the command's prefix and exits 2.
  const args = parseScenarioArgs(argv);
  if (args.help) {
    process.stdout.write(SCENARIO_USAGE);
    return 0;
  }
  if (args.list) {
    const width = Math.max(...scenarios.map((s) => s.name.length));
    for (const s of scenarios) console.log(`${s.name.padEnd(width)}  ${s.nodes ?? 3} nodes  ${s.description}`);
    console.log(`${'random'.padEnd(width)}  3 nodes  Random fault schedules (fast-check): --seed S --runs N; shrinks and replays a failure.`);
    return 0;
  }
  if (args.scenario === 'random') return runRandom(args);
  const scenario = await loadScenario(args.scenario!);
  const isFile = scenario.name !== args.scenario;

  const interrupts = handleInterrupts({
    first: (sig) => console.error(`\n${commandPrefix('scenario')} ${sig}: stopping the run, cleaning up and writing what was recorded (again to force)`),
    again: (sig) => console.error(`${commandPrefix('scenario')} ${sig} again: exiting now`),
  });

  const quiet = args.logLevel === 'silent' || args.logLevel === 'error' || args.logLevel === 'warn';
  const result = await runScenario(scenario, {
    ...runOptionsFrom(args),
    runtime: args.runtime,
    ...(args.flags.seed !== undefined ? { seed: args.flags.seed } : {}),
    signal: interrupts.signal,
    onProgress: quiet
      ? undefined
      : (line, atMs) => console.log(`${consoleStamp(atMs)} ${line}`),
    ...(isFile ? { scenarioRef: args.scenario } : {}),
  });
  printResult(result);
  return exitCodeForRun(result);
}

/** The end of a run as a person reads it: each check, failovers, the report and the replay. */
function printResult(r: RunResult): void {
  const mark = { ok: 'ok     ', invalid: 'INVALID', unknown: 'unknown', 'not judged': 'n/a    ', 'not applicable': 'n/a    ' } as const;
  console.log('');
  // A check that did not apply (Pre-Vote off) or had nothing to judge is not shown as ok.
  const label = (c: RunResult['results'][number]) => mark[judgement(c)];
  for (const c of r.results) console.log(`  ${label(c)}  ${c.name}: ${c.message}`);
  const timed = r.results.find((c) => c.name === 'election-time')?.details?.['failovers'];
  if (Array.isArray(timed) && timed.length > 0) {
    console.log('\n  failovers (time to a settled leader):');
    for (const f of timed as Array<{ kind: string; fault: string; ms: number | null; outcome: string; boundMs: number; leader?: string; term?: number }>) {
      const took = (f.ms === null ? f.outcome : fmtMs(f.ms)).padStart(12);
      const who = f.leader ? ` -> ${f.leader} (term ${f.term})` : '';
      console.log(`    ${took}  ${f.kind === 'heal' ? 'heal of ' : ''}${f.fault}${who}`);
    }
  }
  const exercise = r.summary['exercise'] as { text?: string } | undefined;
  if (exercise?.text) console.log(`\n  exercise: ${exercise.text}`);
  const rel = relative(process.cwd(), r.dir) || r.dir;
  const verdict = r.error && r.verdict !== 'invalid' ? 'COULD NOT RUN' : r.verdict.toUpperCase();
  console.log(`\n  verdict: ${verdict}${r.interrupted ? ' (interrupted)' : ''}`);
  // Every verdict but valid says why, in one line (summary.json's `reason`).
  if (r.summary.reason) console.log(`  why:     ${r.summary.reason}`);
  console.log(`  report:  ${rel}/index.html`);
  console.log(`  replay:  ${r.summary.replay}`);
}

runMain('scenario', () => main(process.argv.slice(2)));
