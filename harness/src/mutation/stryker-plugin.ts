/**
 * Local Stryker plugins for `npm run mutation`:
 * - test runner `raft-harness`: runs `commandRunner.command` (the per-mutant command,
 *   mutant-main.ts) with the active mutant in its environment and maps the harness's exit code
 *   faithfully: 0 survived, 1 killed, anything else (2: could not run, a crash, a signal) an
 *   error. Stryker's own `command` runner counts every non-zero exit as a kill, which would
 *   score a mutant that merely broke the harness as caught.
 * - reporter `raft-summary`: prints the score, the counts and the time per mutant, and lists
 *   the survivors (file:line, mutator, replacement) for triage.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { commonTokens, declareClassPlugin, PluginKind, tokens } from '@stryker-mutator/api/plugin';
import { INSTRUMENTER_CONSTANTS, type MutantResult, type schema, type StrykerOptions } from '@stryker-mutator/api/core';
import {
  DryRunStatus,
  MutantRunStatus,
  TestStatus,
  type DryRunResult,
  type MutantRunOptions,
  type MutantRunResult,
  type TestRunner,
  type TestRunnerCapabilities,
} from '@stryker-mutator/api/test-runner';
import type { Reporter } from '@stryker-mutator/api/report';
import { REUSED } from './reuse.js';

/** What one run of the command gave: its exit code (null after a signal), output and time. */
export interface CommandOutcome {
  code: number | null;
  output: string;
  ms: number;
}

/** The harness's exit code as Stryker's verdict on a mutant: 1 killed, 0 survived, else an error. */
export function mutantResultOf(o: CommandOutcome): MutantRunResult {
  if (o.code === 1) return { status: MutantRunStatus.Killed, killedBy: ['harness'], failureMessage: tail(o.output), nrOfTests: 1, duration: o.ms };
  if (o.code === 0) return { status: MutantRunStatus.Survived, nrOfTests: 1, duration: o.ms };
  return { status: MutantRunStatus.Error, errorMessage: `the harness could not run (exit ${o.code ?? 'by signal'}): ${tail(o.output)}` };
}

/** The dry run on unmutated code must pass (exit 0); a failure there is a false alarm of the harness. */
export function dryRunResultOf(o: CommandOutcome): DryRunResult {
  if (o.code === 0) return { status: DryRunStatus.Complete, tests: [{ id: 'harness', name: 'simulated search', status: TestStatus.Success, timeSpentMs: o.ms }] };
  if (o.code === 1) {
    return {
      status: DryRunStatus.Complete,
      tests: [{ id: 'harness', name: 'simulated search', status: TestStatus.Failed, failureMessage: `the correct node fails the harness: ${tail(o.output)}`, timeSpentMs: o.ms }],
    };
  }
  return { status: DryRunStatus.Error, errorMessage: `the harness could not run on the unmutated code (exit ${o.code ?? 'by signal'}): ${tail(o.output)}` };
}

function tail(s: string): string {
  return s.trim().split('\n').slice(-16).join('\n');
}

/** Test runner that runs the per-mutant command and maps its exit code (see the file's doc). */
export class RaftHarnessTestRunner implements TestRunner {
  static inject = tokens(commonTokens.options);
  private child: ChildProcess | undefined;
  private readonly command: string;

  constructor(options: StrykerOptions) {
    this.command = options.commandRunner.command;
  }

  capabilities(): TestRunnerCapabilities {
    // Every run is a new process, so static mutants (module-level code) are tested too.
    return { reloadEnvironment: true };
  }

  async dryRun(): Promise<DryRunResult> {
    return dryRunResultOf(await this.run(undefined));
  }

  async mutantRun(options: MutantRunOptions): Promise<MutantRunResult> {
    return mutantResultOf(await this.run(options.activeMutant.id));
  }

  /** Stryker calls this after a timeout too: end our child's process group (ours only, by id). */
  async dispose(): Promise<void> {
    const pid = this.child?.pid;
    if (pid !== undefined && this.child?.exitCode === null) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    this.child = undefined;
  }

  private run(activeMutant: string | undefined): Promise<CommandOutcome> {
    const started = performance.now();
    return new Promise((resolve) => {
      const env = { ...process.env };
      if (activeMutant === undefined) delete env[INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE];
      else env[INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE] = activeMutant;
      const child = spawn(this.command, { shell: true, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      const out: string[] = [];
      child.stdout!.on('data', (c: Buffer) => out.push(c.toString()));
      child.stderr!.on('data', (c: Buffer) => out.push(c.toString()));
      child.on('error', (err) => resolve({ code: null, output: `${out.join('')}\n${err.message}`, ms: performance.now() - started }));
      child.on('close', (code) => resolve({ code, output: out.join(''), ms: performance.now() - started }));
    });
  }
}

/** Reporter: score, counts, time per mutant, and the survivors, printed at the end. */
export class RaftSummaryReporter implements Reporter {
  static inject = tokens(commonTokens.options);
  private readonly started = performance.now();
  private readonly concurrency: number;

  constructor(options: StrykerOptions) {
    this.concurrency = Number(options.concurrency ?? 1);
  }

  /** Each survivor as it is found (a long run can be triaged while it goes on). */
  onMutantTested(r: Readonly<MutantResult>): void {
    if (r.status === 'Survived') {
      console.log(`  survived #${r.id} ${r.fileName.replace(/^.*?node\/src\//, 'node/src/')}:${r.location.start.line} ${r.mutatorName}: ${(r.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100)}`);
    }
  }

  onMutationTestReportReady(report: Readonly<schema.MutationTestResult>): void {
    const mutants = Object.entries(report.files).flatMap(([file, f]) => f.mutants.map((m) => ({ ...m, file })));
    for (const line of summarize(mutants, performance.now() - this.started, this.concurrency)) console.log(line);
  }
}

/** One mutant as the summary needs it. */
export interface SummaryMutant {
  id: string;
  file: string;
  status: string;
  statusReason?: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number } };
}

/** The summary's lines: score over killed + timed out + survived (errors apart), timing, survivors. */
export function summarize(mutants: readonly SummaryMutant[], elapsedMs: number, concurrency: number): string[] {
  const by = (s: string) => mutants.filter((r) => r.status === s).length;
  const killed = by('Killed');
  const timeout = by('Timeout');
  const survived = by('Survived');
  const errors = by('RuntimeError') + by('CompileError');
  const tested = killed + timeout + survived;
  const score = tested === 0 ? 0 : (100 * (killed + timeout)) / tested;
  // Results reused from earlier runs (`--reuse`) count in the score but cost no time here.
  const reused = mutants.filter((r) => r.statusReason?.startsWith(REUSED)).length;
  const ran = tested + errors - reused;
  const perMutant = ran <= 0 ? 0 : elapsedMs / ran;
  const lines = [
    '',
    `raft-chaos mutation score: ${score.toFixed(1)}% of ${tested} tested mutant(s) (${killed} killed, ${timeout} timed out, ${survived} survived; ` +
      `${errors} error(s), ${by('Ignored')} ignored, ${by('NoCoverage')} not covered)`,
    `  ${mutants.length} mutant(s)${reused > 0 ? ` (${reused} reused from earlier runs, ${ran} run now)` : ''} in ${(elapsedMs / 1000).toFixed(0)} s: ` +
      `${(perMutant / 1000).toFixed(2)} s per mutant run (wall time, concurrency ${concurrency})`,
  ];
  const survivors = mutants.filter((r) => r.status === 'Survived');
  if (survivors.length > 0) lines.push('  survivors (triage: docs/mutation-triage.md):');
  for (const r of survivors) {
    const where = `${r.file.replace(/^.*?node\/src\//, 'node/src/')}:${r.location.start.line}`;
    lines.push(`    #${r.id} ${where} ${r.mutatorName}: ${(r.replacement ?? '').replace(/\s+/g, ' ').slice(0, 100)}`);
  }
  return lines;
}

/** Stryker's plugin list (`plugins: ['./harness/src/mutation/stryker-plugin.ts']`). */
export const strykerPlugins = [
  declareClassPlugin(PluginKind.TestRunner, 'raft-harness', RaftHarnessTestRunner),
  declareClassPlugin(PluginKind.Reporter, 'raft-summary', RaftSummaryReporter),
];
