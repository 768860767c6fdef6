import { checkAll, defaultCheckers, type CheckResult, type Verdict } from '../checkers/index.js';
import { exerciseFigures } from '../exercises/index.js';
import type { MemorySink, Recorder } from '../history/index.js';
import type { HistoryEntry } from '../history/types.js';
import { buildSummary, writeIndex, writeReport, type RunSummary } from '../report/index.js';
import type { Scenario } from '../scenario/types.js';
import type { RunSettings } from './options.js';

/** What a run produced. */
export interface RunResult {
  runId: string;
  /** `reports/<run-id>/`: history.jsonl, summary.json, index.html, junit.xml, node logs. */
  dir: string;
  verdict: Verdict;
  results: CheckResult[];
  summary: RunSummary & Record<string, unknown>;
  history: HistoryEntry[];
  /** Set when the run could not run to its end (the verdict is then at best unknown). */
  error?: Error;
  interrupted?: string;
}

/** How a run ended, for `concludeRun`. */
export interface RunEnding {
  scenario: Scenario;
  settings: RunSettings;
  runId: string;
  dir: string;
  /** Where `reports/index.html` is refreshed. */
  reportRoot: string;
  recorder: Recorder;
  memory: MemorySink;
  runtimeReason: string;
  error?: Error;
  interrupted?: string;
  /** Write the HTML/JUnit report and refresh the index (default true). */
  writeReport?: boolean;
}

/**
 * The end of every run, real or simulated: the exercise figure (if the scenario has one) and
 * `run-end` go into the history, the history is closed and checked (the scenario's skipped
 * checks left out; a run that could not finish adds an `unknown`), and the summary and report
 * are written.
 */
export async function concludeRun(end: RunEnding): Promise<RunResult> {
  const { recorder, memory, error, interrupted } = end;
  // The seed chapter's exercises: their figure goes into the history (the report's notes) and summary.exercise.
  const exercise = exerciseFigures(memory.entries);
  if (exercise) recorder.record({ type: 'note', level: 'info', message: `exercise: ${exercise.text}`, data: { ...exercise } });
  recorder.record({ type: 'run-end', durationMs: recorder.now(), ...(interrupted ? { interrupted } : {}) });
  await recorder.close();

  const history = memory.entries;
  const skip = end.scenario.skipChecks ?? {};
  const checkers = defaultCheckers.filter((ch) => !(ch.name in skip));
  const start = history.find((e) => e.type === 'run-start');
  const subject = start?.type === 'run-start' ? start.subject : undefined;
  const results = [...checkAll(history, { nodes: end.settings.nodes, config: end.settings.config, ...(subject ? { subject } : {}) }, checkers).results];
  if (error || interrupted) {
    results.push({
      name: 'run',
      verdict: 'unknown',
      message: error ? `The run could not finish: ${error.message}` : `The run was interrupted (${interrupted}); the history ends early.`,
      witnesses: [],
    });
  }
  const summary = {
    ...buildSummary(history, results),
    runtimeReason: end.runtimeReason,
    reportDir: end.dir,
    skippedChecks: skip,
    // Set when the run could not start or finish (setup failed, environment): the CLI exits 3.
    ...(error ? { couldNotRun: error.message.split('\n')[0] } : {}),
    ...(exercise ? { exercise } : {}),
  };
  if (end.writeReport !== false) {
    await writeReport(end.dir, { history, results, summary });
    await writeIndex(end.reportRoot).catch(() => undefined);
  }
  return {
    runId: end.runId,
    dir: end.dir,
    verdict: summary.verdict,
    results,
    summary,
    history,
    ...(error ? { error } : {}),
    ...(interrupted ? { interrupted } : {}),
  };
}
