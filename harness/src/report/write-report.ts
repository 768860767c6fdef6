import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { CheckResult } from '../checkers/types.js';
import type { HistoryEntry } from '../history/types.js';
import { buildJUnit } from './junit.js';
import { buildModel, type ReportLinks, type ReportPlace } from './model.js';
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
 * `history.jsonl`. Overwrites existing files of those names. The page links to the index of
 * all runs (`../index.html`), the history, the JUnit file and the node logs found in `dir`
 * (`*.log` in it, `nodes/logs/` and `logs/`): write the report after the logs are saved.
 */
export async function writeReport(dir: string, input: ReportInput): Promise<ReportFiles> {
  await mkdir(dir, { recursive: true });
  const files: ReportFiles = {
    html: join(dir, 'index.html'),
    junit: join(dir, 'junit.xml'),
    summary: join(dir, 'summary.json'),
  };
  await Promise.all([
    writeFile(files.html, renderReportHtml(input.history, input.results, { folder: basename(dir), links: await linksOf(dir) })),
    writeFile(files.junit, buildJUnit(input.history, input.results, basename(dir))),
    writeFile(files.summary, `${JSON.stringify(input.summary, null, 2)}\n`),
  ]);
  return files;
}

/** The report page of a run as one HTML string; `place` says where it is written (folder, links). */
export function renderReportHtml(history: readonly HistoryEntry[], results: readonly CheckResult[], place: ReportPlace = {}): string {
  return renderReportPage(buildModel(history, results, place));
}

/** Relative links from a run's report to the files beside it. */
export async function linksOf(dir: string): Promise<ReportLinks> {
  const logs: ReportLinks['logs'] = [];
  for (const sub of ['', 'logs', join('nodes', 'logs')]) {
    const names = await readdir(join(dir, sub)).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.log')).sort()) {
      const href = [...(sub ? sub.split(/[\\/]/) : []), name].map(encodeURIComponent).join('/');
      logs.push({ name, href });
    }
  }
  return { index: '../index.html', history: 'history.jsonl', junit: 'junit.xml', logs };
}
