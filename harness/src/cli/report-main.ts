/**
 * `npm run report <history.jsonl> [--out DIR]`: rebuilds a run's report from its history with
 * the current checkers and report code. Writes index.html, junit.xml and summary.json beside
 * the history (or in DIR). Exit code: 0 valid, 1 invalid, 2 unknown or could not run.
 */
import { existsSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { RaftChaosError } from '../../../common/src/errors.js';
import { exitCodeFor } from '../checkers/types.js';
import { rebuildReport } from '../report/rebuild.js';
import { commandPrefix } from './run-main.js';

const USAGE = `usage: npm run report -- <history.jsonl | run directory> [--out DIR]

Re-reads a run's history, re-runs the current checkers and rewrites its report
(index.html, junit.xml, summary.json) beside the history, or in DIR.
Exit code: 0 valid, 1 invalid, 2 unknown or could not run.`;

function parseArgs(argv: readonly string[]): { history: string; out?: string } | string {
  let history: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return 'help';
    if (a === '--out') {
      out = argv[++i];
      if (!out) return 'option --out needs a directory';
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a.startsWith('-')) return `unknown option ${a} (known: --out DIR, --help)`;
    else if (history) return `one history at a time (got ${history} and ${a})`;
    else history = a;
  }
  if (!history) return 'missing the history file (reports/<run-id>/history.jsonl)';
  return out === undefined ? { history } : { history, out };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (args === 'help') {
    console.log(USAGE);
    return 0;
  }
  if (typeof args === 'string') {
    console.error(`${commandPrefix('report')} ${args}\n\n${USAGE}`);
    return 2;
  }
  // A run directory names its history.
  const given = resolve(args.history);
  const history = existsSync(given) && statSync(given).isDirectory() ? join(given, 'history.jsonl') : given;
  try {
    const r = await rebuildReport(history, args.out ? { outDir: resolve(args.out) } : {});
    for (const c of r.results) console.log(`${c.verdict.padEnd(8)} ${c.name}: ${c.message}`);
    console.log(`\nverdict: ${r.verdict.toUpperCase()}`);
    console.log(`report:  ${r.files.html}`);
    console.log(`junit:   ${r.files.junit}`);
    return exitCodeFor(r.verdict);
  } catch (err) {
    if (err instanceof RaftChaosError) console.error(`${commandPrefix('report')} ${err.message}`);
    else if ((err as NodeJS.ErrnoException).code === 'ENOENT') console.error(`${commandPrefix('report')} no such file: ${relative(process.cwd(), history) || history}`);
    else console.error(`${commandPrefix('report')} failed:`, err);
    return 2;
  }
}

process.exitCode = await main();
