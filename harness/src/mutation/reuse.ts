/**
 * Re-measuring after a change without re-running every kill (`npm run mutation -- --reuse`):
 * the kills of earlier reports become Stryker's incremental file, so only the rest is tested.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../common/src/errors.js';

/** How a result taken from an earlier run is marked: its status reason starts so. */
export const REUSED = 'reused:';

/** How a kill taken from an earlier run is marked (starts with REUSED). */
export const REUSED_KILL = `${REUSED} killed in an earlier run.`;

/** A mutation report's files as Stryker's JSON reporter writes them (the parts read here). */
interface ReportFiles {
  files: Record<string, { language?: string; source: string; mutants: { status: string; statusReason?: string }[] }>;
}

/**
 * Stryker's incremental file made of the kills (killed or timed out) of earlier reports
 * (`reports/mutation/mutation.json` of earlier runs, e.g. one per share), marked as reused.
 * Fed to Stryker's incremental mode, it makes a run re-test only what those runs did not kill
 * (survivors, errors, new or changed mutants); Stryker matches mutants across edits by their
 * code, not their line. Throws ConfigError naming a report that cannot be read.
 */
export function killsOnly(reports: readonly string[], read: (f: string) => string = (f) => readFileSync(f, 'utf8')): ReportFiles & { schemaVersion: string; thresholds: object } {
  const files: ReportFiles['files'] = {};
  for (const path of reports) {
    let r: ReportFiles;
    try {
      r = JSON.parse(read(path)) as ReportFiles;
      if (typeof r.files !== 'object' || r.files === null) throw new Error('no "files" object');
    } catch (e) {
      throw new ConfigError(`--reuse: cannot read mutation report ${path}: ${(e as Error).message}`);
    }
    for (const [name, f] of Object.entries(r.files)) {
      const kills = f.mutants.filter((m) => m.status === 'Killed' || m.status === 'Timeout').map((m) => ({ ...m, statusReason: `${REUSED_KILL} ${m.statusReason ?? ''}`.trim() }));
      const into = (files[name] ??= { language: f.language, source: f.source, mutants: [] });
      // A file split across shares: the same source, each report holding its own range's mutants.
      if (into.source === f.source) into.mutants.push(...kills);
    }
  }
  return { schemaVersion: '1.0', thresholds: { high: 80, low: 60 }, files };
}
