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
 *
 * Sharding (harness/src/nightly/): `--shard K/N` runs a fixed share of the night's items,
 * every night writes its manifest `nightly.json`, and `--merge DIR...` puts shards together.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { didYouMean } from '../../../common/src/did-you-mean.js';
import { ConfigError } from '../../../common/src/errors.js';
import { scenarios } from '../../../scenarios/index.js';
import { worstVerdict, exitCodeFor, type Verdict } from '../checkers/types.js';
import { combineJUnit } from '../report/junit-combine.js';
import { writeIndex } from '../report/index-page.js';
import { runScenario } from '../runner/run-scenario.js';
import { unsupportedOn } from '../scenario/load.js';
import { optionalWholeNumber } from '../../../common/src/cli-numbers.js';
import { commandPrefix, runMain } from './run-main.js';
import { parseScenarioArgs } from './scenario-args.js';
import { parseTable, usageOf, type OptionSpec } from '../../../common/src/option-table.js';
import { quoteArg, readRunFlags, runOptionSpecs } from '../runner/run-flags.js';
import { subjectArgs } from '../subject/resolve.js';
import { runRandom } from './random-command.js';
import type { SearchCounts } from '../random/search.js';
import { handleInterrupts } from './interrupts.js';
import { planNight, searchArgv } from '../nightly/plan.js';
import { takeShard } from '../nightly/shard-args.js';
import { runsSince, writeManifest } from '../nightly/manifest.js';
import { mergeMain } from '../nightly/merge-main.js';
import { spawn } from 'node:child_process';
import { nightlyShare } from './mutation-main.js';

/** Nightly's own options; the shared run options come from the table in run-flags.ts. */
const OWN: readonly OptionSpec[] = [
  { name: 'only', type: 'string', usage: '--only a,b', help: 'run only these scenarios' },
  { name: 'random-runs', type: 'string', usage: '--random-runs N', help: 'also N random fault schedules on the runtime (default 5; 0 for none)' },
  {
    name: 'sim-runs', type: 'string', usage: '--sim-runs N',
    help: 'also N random schedules on the simulated runtime, a failure replayed on\nprocesses or Docker (default 2000; 0 for none)',
  },
  {
    name: 'mutation-shares', type: 'string', usage: '--mutation-shares N',
    help: "also the mutation score of one of N shares of the election code's files\n(day of year mod N; npm run mutation -- --share K/N; not on a sharded\nnight: the workflow runs it as a job of its own); it reports, never fails the night unless it could not run\n(default 5; 0 for none)",
  },
  { name: 'help', type: 'boolean', short: 'h', usage: '--help', help: 'this text' },
];
const SHARED = ['runtime', 'seed', 'report-dir', 'bug', 'subject', 'node-command'] as const;
const SPECS: readonly OptionSpec[] = [
  ...runOptionSpecs(SHARED).map((o) =>
    o.name === 'seed' ? { ...o, help: "seed for every run (default: today's UTC date, e.g. 20261128, not\nrandom as for a scenario: a night's runs replay together)" } : o.name === 'bug' ? { ...o, help: 'run every scenario with a deliberate node bug (repeatable)' } : o,
  ),
  ...OWN,
];

// --sizes, --shard and --merge are taken out of the arguments before the table parses them (nightly/shard-args.ts).
const USAGE = `Usage: npm run nightly [-- options]
${usageOf(SPECS, 21)}
  --sizes 3,5,7        run every scenario on each of these cluster sizes it fits (default: its own)
  --shard K/N          run only shard K of N of the night's items (item i goes to shard i mod N + 1)
  --merge DIR...       merge shards' report directories into --report-dir (see --merge --help)
Exit code: 0 every run valid, 1 some run invalid, 2 some run unknown, nothing ran, or interrupted.`;

/** The seed of a night: its UTC date as a number (20261128), so a night's runs replay together. */
export function nightlySeed(now = new Date()): number {
  return now.getUTCFullYear() * 10_000 + (now.getUTCMonth() + 1) * 100 + now.getUTCDate();
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--merge')) return mergeMain(args);
  const { shard, sizes, rest: argv } = takeShard(args);
  const { values } = parseTable(argv, SPECS, USAGE);
  if (values['help']) {
    console.log(USAGE);
    return 0;
  }
  const flags = readRunFlags(values, SHARED);
  const runtime = flags.runtime ?? 'auto';
  const seed = flags.seed ?? nightlySeed();
  const reportDir = resolve(flags.reportDir ?? 'reports');
  const bugs = [...(flags.bugs ?? [])];
  const only = (values['only'] as string | undefined)?.split(',').filter(Boolean);
  const unknownOnly = only?.filter((n) => !scenarios.some((s) => s.name === n)) ?? [];
  if (unknownOnly.length > 0) {
    const names = scenarios.map((s) => s.name);
    const hints = unknownOnly.map((n) => `${n}${didYouMean(n, names)}`).join(', ');
    throw new ConfigError(`--only names unknown scenarios: ${hints}; known: ${names.join(', ')}`);
  }
  const chosen = scenarios.filter((s) => !only || only.includes(s.name));
  const randomRuns = optionalWholeNumber(values['random-runs'] as string | undefined, '--random-runs', 0, 10_000) ?? (only ? 0 : 5);
  // The simulation (and so the mutation score) runs our node only: a night of another subject has neither.
  const simRuns = flags.subject ? 0 : (optionalWholeNumber(values['sim-runs'] as string | undefined, '--sim-runs', 0, 1_000_000) ?? (only ? 0 : 2000));
  const mutationShares = flags.subject ? 0 : (optionalWholeNumber(values['mutation-shares'] as string | undefined, '--mutation-shares', 0, 100) ?? (only ? 0 : 5));
  const subject = flags.subject ? subjectArgs(flags.subject, flags.nodeCommand) : [];
  const subjectOptions = flags.subject ? { subject: flags.subject, ...(flags.nodeCommand !== undefined ? { nodeCommand: flags.nodeCommand } : {}) } : {};
  const plan = planNight({ scenarios: chosen, seed, randomRuns, simRuns, ...(sizes ? { sizes } : {}) }, shard);

  // Ctrl-C: the first signal lets the run under way finish its teardown and report (the
  // runner's own abort), the second exits at once.
  let running = ''; // the scenario whose `name ... ` is written, its verdict not yet
  const interrupts = handleInterrupts({
    first: (sig) => {
      const current = running ? `${running} finishes its teardown and report, ` : '';
      console.log(`${running ? '\n' : ''}${commandPrefix('nightly')} ${sig}: ${current}the rest is not run (again to force)`);
    },
    again: (sig) => console.error(`${commandPrefix('nightly')} ${sig} again: exiting now`),
  });

  const nightStart = Date.now();
  const share = shard ? `, shard ${shard.k}/${shard.n}: ${plan.mine.length} of ${plan.night.length} items` : '';
  console.log(`nightly: ${chosen.length} scenarios, seed ${seed}, runtime ${runtime}${bugs.length ? `, bugs ${bugs.join(',')}` : ''}${share}`);
  if (sizes) console.log(`nightly: sizes ${sizes.join(', ')}${plan.misfits.length ? `; left out, naming nodes beyond the size: ${plan.misfits.join(', ')}` : ''}`);
  const rows: Row[] = [];
  const notRun: string[] = []; // cut by Ctrl-C
  const skipped: string[] = []; // not for this runtime
  for (const item of plan.mine) {
    if (interrupts.signal.aborted) {
      notRun.push(item.label);
      continue;
    }
    if (item.kind === 'search') {
      rows.push(await randomRow(item.label, item.tag, searchArgv(item, { runtime, reportDir, bugs, subject })));
      continue;
    }
    const { scenario, label: name } = item; // the label names the size when the night has --sizes
    const why = unsupportedOn(scenario, runtime);
    if (why) {
      console.log(`  ${name.padEnd(18)} ... skipped: ${why}`);
      skipped.push(name);
      continue;
    }
    const t0 = performance.now();
    const line = `  ${name.padEnd(18)} ... `;
    process.stdout.write(line);
    running = name;
    let verdict: Verdict = 'unknown';
    let failed = '';
    let dir = '';
    try {
      const r = await runScenario(scenario, { runtime, seed, reportDir, bugs, ...subjectOptions, signal: interrupts.signal, ...(item.nodes ? { nodes: item.nodes } : {}) });
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
    const prefix = interrupts.count > 0 ? line : '';
    running = '';
    console.log(`${prefix}${verdict.toUpperCase().padEnd(7)} ${seconds.toFixed(1)} s${failed ? `  (${failed})` : ''}`);
    rows.push({ scenario: name, verdict, seconds, failed, dir });
  }

  // The mutation score's share of the night: on an unsharded night (a sharded one runs it as its own job).
  const mutation = mutationShares > 0 && !shard;
  if (mutation && interrupts.signal.aborted) notRun.push('mutation score');
  if (mutation && !interrupts.signal.aborted) rows.push(await mutationRow(nightlyShare(new Date(), mutationShares)));

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
  const interrupted = interrupts.signal.aborted ? String((interrupts.signal.reason as Error).message) : undefined;
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
    ...subject.map((w, i) => (i % 2 === 1 ? quoteArg(w) : w)),
    ...(sizes ? ['--sizes', sizes.join(',')] : []),
    ...(shard ? ['--shard', `${shard.k}/${shard.n}`] : []),
  ];
  const replay = `npm run nightly -- --seed ${seed} --runtime ${runtime}${asked.map((a) => ` ${a}`).join('')}`;
  console.log(`replay: ${replay}`);
  const exitCode = exitCodeFor(verdict);
  // What `--merge` needs of this night (or this shard of it).
  writeManifest(reportDir, {
    shard: shard ?? { k: 1, n: 1 }, seed, runtime, bugs, night: plan.night.map((i) => i.label), items: plan.mine.map((i) => i.label),
    rows: rows.map(({ scenario, verdict, seconds, failed }) => ({ scenario, verdict, seconds, failed })), notRun, skipped,
    ...(interrupted ? { interrupted } : {}), exitCode, runs: runsSince(reportDir, nightStart), replay,
    startedAt: new Date(nightStart).toISOString(), finishedAt: new Date().toISOString(),
  });
  return exitCode;
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
    const child = spawn(process.execPath, ['--import', 'tsx', 'harness/src/cli/mutation-main.ts', '--share', share], { stdio: ['ignore', 'pipe', 'inherit'] });
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

runMain('nightly', () => main(process.argv.slice(2)));
