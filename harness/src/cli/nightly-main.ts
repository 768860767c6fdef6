/**
 * `npm run nightly [-- --runtime R] [--seed S] [--report-dir DIR] [--only a,b] [--bug NAME]`:
 * runs every named scenario, a few random schedules on the runtime and thousands on the
 * simulated runtime with one date-derived seed (same night, same choices), writes every
 * report, `reports/index.html` and one combined `reports/junit.xml`, prints a summary table,
 * and exits non-zero if any run was invalid (1) or unknown (2), or if nothing ran at all (2).
 *
 * Ctrl-C (SIGINT or SIGTERM) as in `npm run scenario`: the run under way heals, tears down and
 * writes its report marked interrupted; what is left is not run; the table, the index and the
 * combined JUnit are still written, and the exit code is at least 2 (unknown). A second signal
 * exits at once (130).
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { scenarios } from '../../../scenarios/index.js';
import { worstVerdict, exitCodeFor, type Verdict } from '../checkers/types.js';
import { combineJUnit } from '../report/junit-combine.js';
import { writeIndex } from '../report/index-page.js';
import { runScenario } from '../runner/run-scenario.js';
import { unsupportedOn } from '../scenario/load.js';
import { optionalWholeNumber } from '../../../common/src/cli-numbers.js';
import { runMain, parseOptions } from './run-main.js';
import { parseScenarioArgs, RUNTIMES } from './scenario-args.js';
import { runRandom } from '../random/random-main.js';
import type { SearchCounts } from '../random/search.js';
import { isBugName, BUG_NAMES } from '../../../node/src/core/bugs.js';
import { spawn } from 'node:child_process';
import { nightlyShare } from '../mutation/mutation-main.js';

const USAGE = `Usage: npm run nightly [-- options]
  --runtime R        auto | process | docker (default auto)
  --seed S           seed for every run (default: derived from today's UTC date, e.g. 20261128)
  --report-dir DIR   where reports go (default reports/)
  --only a,b         run only these scenarios
  --bug NAME         run every scenario with a deliberate node bug (repeatable)
  --random-runs N    also N random fault schedules on the runtime (default 5; 0 for none)
  --sim-runs N       also N random schedules on the simulated runtime, a failure replayed on
                     processes or Docker (default 2000; 0 for none)
  --mutation-shares N  also the mutation score of one of N shares of the election code's files
                     (day of year mod N; npm run mutation -- --share K/N); it reports, never
                     fails the night unless it could not run (default 5; 0 for none)
Exit code: 0 every run valid, 1 some run invalid, 2 some run unknown, nothing ran, or interrupted.`;

/** The seed of a night: its UTC date as a number (20261128), so a night's runs replay together. */
export function nightlySeed(now = new Date()): number {
  return now.getUTCFullYear() * 10_000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

async function main(argv: string[]): Promise<number> {
  const values = parseOptions(
    argv,
    {
      runtime: { type: 'string' },
      seed: { type: 'string' },
      'report-dir': { type: 'string' },
      only: { type: 'string' },
      bug: { type: 'string', multiple: true },
      'random-runs': { type: 'string' },
      'sim-runs': { type: 'string' },
      'mutation-shares': { type: 'string' },
    },
    USAGE,
  );
  if (!values) return 0;
  const runtime = values.runtime ?? 'auto';
  if (!(RUNTIMES as readonly string[]).includes(runtime)) throw new ConfigError(`--runtime must be one of ${RUNTIMES.join(', ')}, got "${runtime}"`);
  const seed = optionalWholeNumber(values.seed, '--seed', 0, 2 ** 32 - 1) ?? nightlySeed();
  const reportDir = resolve(values['report-dir'] ?? 'reports');
  const bugs = (values.bug ?? []).flatMap((b) => b.split(',')).filter(Boolean);
  for (const b of bugs) if (!isBugName(b)) throw new ConfigError(`--bug "${b}" is not a known bug; known: ${BUG_NAMES.join(', ')}`);
  const only = values.only?.split(',').filter(Boolean);
  const unknownOnly = only?.filter((n) => !scenarios.some((s) => s.name === n)) ?? [];
  if (unknownOnly.length > 0) throw new ConfigError(`--only names unknown scenarios: ${unknownOnly.join(', ')}`);
  const chosen = scenarios.filter((s) => !only || only.includes(s.name));
  const randomRuns = optionalWholeNumber(values['random-runs'], '--random-runs', 0, 10_000) ?? (only ? 0 : 5);
  const simRuns = optionalWholeNumber(values['sim-runs'], '--sim-runs', 0, 1_000_000) ?? (only ? 0 : 2000);
  const mutationShares = optionalWholeNumber(values['mutation-shares'], '--mutation-shares', 0, 100) ?? (only ? 0 : 5);

  // Ctrl-C: the first signal lets the run under way finish its teardown and report (the
  // runner's own abort), the second exits at once. `on`, not `once`: a second signal must find
  // this handler, or it would kill the harness before anything is written. A repeat within half
  // a second is the same Ctrl-C: tsx (the npm scripts' runner) sends it again when this process
  // was busy for 30 ms.
  const controller = new AbortController();
  let running = ''; // the scenario whose `name ... ` is written, its verdict not yet
  let signals = 0;
  let firstSignalAt = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signals > 0 && performance.now() - firstSignalAt < 500) return;
    if (signals === 0) firstSignalAt = performance.now();
    signals += 1;
    if (signals > 1) {
      console.error(`raft-chaos nightly: ${sig} again: exiting now`);
      process.exit(130);
    }
    const current = running ? `${running} finishes its teardown and report, ` : '';
    console.log(`${running ? '\n' : ''}nightly: ${sig}: ${current}the rest is not run (again to force)`);
    controller.abort(new Error(`${sig} received`));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const nightStart = Date.now();
  console.log(`nightly: ${chosen.length} scenarios, seed ${seed}, runtime ${runtime}${bugs.length ? `, bugs ${bugs.join(',')}` : ''}`);
  const rows: Row[] = [];
  const notRun: string[] = []; // cut by Ctrl-C
  for (const scenario of chosen) {
    if (controller.signal.aborted) {
      notRun.push(scenario.name);
      continue;
    }
    const why = unsupportedOn(scenario, runtime);
    if (why) {
      console.log(`  ${scenario.name.padEnd(18)} ... skipped: ${why}`);
      continue;
    }
    const t0 = performance.now();
    const line = `  ${scenario.name.padEnd(18)} ... `;
    process.stdout.write(line);
    running = scenario.name;
    let verdict: Verdict = 'unknown';
    let failed = '';
    let dir = '';
    try {
      const r = await runScenario(scenario, { runtime, seed, reportDir, bugs, signal: controller.signal });
      verdict = r.verdict;
      dir = r.dir;
      failed = [
        ...(r.interrupted ? ['interrupted'] : []),
        ...r.results.filter((c) => c.verdict !== 'valid' && !(r.interrupted && c.name === 'run')).map((c) => `${c.name} ${c.verdict}`),
      ].join(', ');
    } catch (err) {
      failed = `could not run: ${(err as Error).message}`;
    }
    const seconds = (performance.now() - t0) / 1000;
    // After a Ctrl-C message the verdict starts a line of its own, so it names the scenario again.
    const prefix = signals > 0 ? line : '';
    running = '';
    console.log(`${prefix}${verdict.toUpperCase().padEnd(7)} ${seconds.toFixed(1)} s${failed ? `  (${failed})` : ''}`);
    rows.push({ scenario: scenario.name, verdict, seconds, failed, dir });
  }

  if (randomRuns > 0 && controller.signal.aborted) notRun.push(`random (${randomRuns} schedules)`);
  if (randomRuns > 0 && !controller.signal.aborted) {
    // Random schedules (fast-check) with the same seed; a failure is shrunk and written out,
    // within three minutes.
    rows.push(
      await randomRow(`random (${randomRuns} schedules)`, 'random', ['random', '--seed', String(seed), '--runs', String(randomRuns), '--runtime', runtime, '--report-dir', reportDir, '--log-level', 'warn', '--time-limit', '180', ...bugs.flatMap((b) => ['--bug', b])]),
    );
  }

  if (simRuns > 0 && controller.signal.aborted) notRun.push(`random on sim (${simRuns} schedules)`);
  if (simRuns > 0 && !controller.signal.aborted) {
    // The same search in memory on virtual time: thousands of schedules in seconds, judged under
    // run seeds; a failure is shrunk and replayed on processes (Docker when the night runs there).
    const replayOn = runtime === 'docker' ? 'docker' : 'process';
    rows.push(
      await randomRow(`random on sim (${simRuns} schedules)`, 'random on sim', ['random', '--runtime', 'sim', '--seed', String(seed), '--runs', String(simRuns), '--replay-on', replayOn, '--report-dir', reportDir, '--time-limit', '300', ...bugs.flatMap((b) => ['--bug', b])]),
    );
  }

  if (mutationShares > 0 && controller.signal.aborted) notRun.push('mutation score');
  if (mutationShares > 0 && !controller.signal.aborted) rows.push(await mutationRow(nightlyShare(new Date(), mutationShares)));

  // Every run report written tonight (the scenarios', and each random schedule's).
  const junits = readdirSync(reportDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(reportDir, d.name, 'junit.xml')))
    .map((d) => join(reportDir, d.name, 'junit.xml'))
    .filter((f) => statSync(f).mtimeMs >= nightStart)
    .map((f) => readFileSync(f, 'utf8'));
  const junitFile = join(reportDir, 'junit.xml');
  writeFileSync(junitFile, combineJUnit(junits));
  const index = await writeIndex(reportDir);

  console.log('\n| scenario | verdict | time | not valid |');
  console.log('|---|---|---|---|');
  for (const r of rows) console.log(`| ${r.scenario} | ${r.verdict} | ${r.seconds.toFixed(1)} s | ${r.failed || '—'} |`);
  for (const name of notRun) console.log(`| ${name} | not run | — | interrupted |`);
  // An interrupted night is at best unknown, whatever the runs it finished said.
  const interrupted = controller.signal.aborted ? String((controller.signal.reason as Error).message) : undefined;
  const verdict = rows.length === 0 ? 'unknown' : worstVerdict([...rows.map((r) => r.verdict), ...(interrupted ? ['unknown' as const] : [])]);
  const counts = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  console.log(`\nnightly: ${rows.length} runs: ${counts('valid')} valid, ${counts('invalid')} invalid, ${counts('unknown')} unknown`);
  if (interrupted) console.log(`nightly: INTERRUPTED (${interrupted}); ${notRun.length} not run${notRun.length ? `: ${notRun.join(', ')}` : ''}`);
  if (rows.length === 0) console.log('nightly: NO scenario ran; that is a failure, not a pass');
  console.log(`index:  ${relative(process.cwd(), index.file)}\njunit:  ${relative(process.cwd(), junitFile)}`);
  const asked = [
    ...(only ? ['--only', only.join(',')] : []),
    ...(values['random-runs'] !== undefined ? ['--random-runs', String(randomRuns)] : []),
    ...(values['sim-runs'] !== undefined ? ['--sim-runs', String(simRuns)] : []),
    ...(values['mutation-shares'] !== undefined ? ['--mutation-shares', String(mutationShares)] : []),
    ...bugs.flatMap((b) => ['--bug', b]),
  ];
  console.log(`replay: npm run nightly -- --seed ${seed} --runtime ${runtime}${asked.map((a) => ` ${a}`).join('')}`);
  return exitCodeFor(verdict);
}

/** A row of the night's table. */
interface Row {
  scenario: string;
  verdict: Verdict;
  seconds: number;
  failed: string;
  dir: string;
}

/**
 * One random search of the night as a row: its verdict from the exit code (a found failure is
 * invalid), and how many schedules could not tell, which do not fail the night but are shown.
 */
async function randomRow(name: string, tag: string, argv: string[]): Promise<Row> {
  const t0 = performance.now();
  console.log(`  ${name} ...`);
  let counts: SearchCounts | undefined;
  const code = await runRandom(parseScenarioArgs(argv), (c) => (counts = c));
  const verdict: Verdict = code === 0 ? 'valid' : code === 1 ? 'invalid' : 'unknown';
  const seconds = (performance.now() - t0) / 1000;
  console.log(`  ${tag.padEnd(18)} ... ${verdict.toUpperCase().padEnd(7)} ${seconds.toFixed(1)} s`);
  const notes = [code === 0 ? '' : `random search exit ${code}`, counts?.unknown ? `${counts.unknown} of ${counts.runs} schedule(s) unknown` : ''];
  return { scenario: name, verdict, seconds, failed: notes.filter(Boolean).join('; '), dir: '' };
}

/**
 * Tonight's share of the mutation score (`npm run mutation -- --share K/N`, in a child process)
 * as a row: valid when it ran, whatever the score (the score is printed and in
 * reports/mutation/), unknown when it could not run.
 */
async function mutationRow(share: string): Promise<Row> {
  const t0 = performance.now();
  const name = `mutation score (share ${share})`;
  console.log(`  ${name} ...`);
  const out: string[] = [];
  const code = await new Promise<number | null>((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/src/mutation/mutation-main.ts', '--share', share], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.on('data', (c: Buffer) => out.push(c.toString()));
    child.on('close', done);
  });
  const text = out.join('');
  const score = /raft-chaos mutation score: (.*)/.exec(text)?.[1] ?? '';
  const seconds = (performance.now() - t0) / 1000;
  const verdict: Verdict = code === 0 ? 'valid' : 'unknown';
  console.log(`  ${'mutation'.padEnd(18)} ... ${verdict.toUpperCase().padEnd(7)} ${seconds.toFixed(1)} s  ${score}`);
  return { scenario: name, verdict, seconds, failed: code === 0 ? `score ${score}` : `npm run mutation exit ${code ?? 'by signal'}`, dir: '' };
}

runMain('raft-chaos nightly', () => main(process.argv.slice(2)));
