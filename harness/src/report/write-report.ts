import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CheckResult } from '../checkers/types.js';
import type { HistoryEntry } from '../history/types.js';
import { buildJUnit } from './junit.js';
import { buildModel } from './model.js';
import { renderReportPage } from './page.js';
import type { RunSummary } from './summary.js';

/** What a report is made of. `summary` is written as given (the runner owns its content). */
export interface ReportInput {
  history: readonly HistoryEntry[];
  results: readonly CheckResult[];
  summary: RunSummary | Record<string, unknown>;
}

/** The files `writeReport` wrote. */
export interface ReportFiles {
  html: string;
  junit: string;
  summary: string;
}

/**
 * Writes `index.html` (the self-contained report page), `junit.xml` (one test case per check)
 * and `summary.json` into `dir`, creating it if needed. Does not write or touch
 * `history.jsonl`. Overwrites existing files of those names.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    html: join(dir, 'index.html'),
    junit: join(dir, 'junit.xml'),
    summary: join(dir, 'summary.json'),
  };
  await Promise.all([
    writeFile(files.html, renderReportHtml(input.history, input.results)),
    writeFile(files.junit, buildJUnit(input.history, input.results)),
    writeFile(files.summary, `${JSON.stringify(input.summary, null, 2)}\n`),
  ]);
  return files;
}

/** The report page of a run as one HTML string. */
export function renderReportHtml(history: readonly HistoryEntry[], results: readonly CheckResult[]): string {
  return renderReportPage(buildModel(history, results));
}
