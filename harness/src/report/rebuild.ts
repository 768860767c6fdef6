import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { checkAll, defaultCheckers, type Checker, type CheckResult, type Verdict } from '../checkers/index.js';
import { readHistory } from '../history/index.js';
import type { HistoryEntry, RunStartEntry } from '../history/types.js';
import { buildSummary } from './summary.js';
import { writeReport, type ReportFiles } from './write-report.js';

/** What `rebuildReport` did. */
export interface RebuildResult {
  verdict: Verdict;
  results: CheckResult[];
  files: ReportFiles;
  history: HistoryEntry[];
}

/**
 * Re-reads a `history.jsonl`, re-runs the checkers (the current ones, minus those the run
 * recorded as skipped in `run-start.meta.skipChecks`), and rewrites `index.html`, `junit.xml`
 * and `summary.json` in `outDir` (default: beside the history). An existing `summary.json`
 * there keeps its other fields; verdict, checks, failovers and elections are replaced.
 * Throws ConfigError when the file is not a raft-chaos history (no run-start entry).
 */
export async function rebuildReport(
  historyPath: string,
  options: { outDir?: string; checkers?: readonly Checker[] } = {},
): Promise<RebuildResult> {
  const history = await readHistory(historyPath, { allowTruncatedTail: true });
  const start = history.find((e): e is RunStartEntry => e.type === 'run-start');
  if (!start) {
    throw new ConfigError(`${historyPath} has no run-start entry, so it is not a raft-chaos history; pass the history.jsonl of a run directory.`);
  }
  const skip = skippedChecks(start);
  const checkers = (options.checkers ?? defaultCheckers).filter((c) => !skip.has(c.name));
  const { verdict, results } = checkAll(history, { nodes: start.nodes, config: start.config, ...(start.subject ? { subject: start.subject } : {}) }, checkers);
  const outDir = options.outDir ?? dirname(historyPath);

  let previous: Record<string, unknown> = {};
  try {
    previous = JSON.parse(await readFile(join(outDir, 'summary.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    previous = {};
  }
  const summary = { ...previous, ...buildSummary(history, results) };
  const files = await writeReport(outDir, { history, results, summary });
  return { verdict, results, files, history };
}

/** Checker names a run recorded as skipped: `meta.skipChecks` as a name→reason map or a list. */
function skippedChecks(start: RunStartEntry): Set<string> {
  const s = start.meta?.['skipChecks'];
  if (Array.isArray(s)) return new Set(s.filter((x): x is string => typeof x === 'string'));
  if (s && typeof s === 'object') return new Set(Object.keys(s));
  return new Set();
}
