/**
 * `npm run mutation -- [--files LIST] [--share K/N] [--server] [--concurrency C] [--runs N]
 * [--nodes 3,5] [--no-explore-config] [--no-triggers] [--no-disk-faults] [--scenarios LIST] [--reuse LIST]`: StrykerJS mutates the node's election
 * code and tests each mutant with a bounded simulated random search (mutant-main.ts); the
 * score, time per mutant and survivors are printed, and Stryker's HTML report is written to
 * reports/mutation/index.html. Exit code: 0 when it ran (whatever the score), 2 when it could
 * not (bad options, the dry run failed).
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../../../common/src/errors.js';
import { killsOnly } from '../mutation/reuse.js';
import { parseOptions, runMain } from './run-main.js';

/**
 * The server's persistence and reply path that the simulation runs (the driver's order of
 * persisting and replying, the state file's writing and reading, on the simulated disk):
 * mutated by default with the election code.
 */
export const SIMULATED_SERVER_FILES = ['node/src/server/driver.ts', 'node/src/server/storage.ts'] as const;

/**
 * Files Stryker mutates by default: the election code (tests, helpers and simulator excluded)
 * and the server's persistence and reply path the simulation runs.
 */
export function electionFiles(root = 'node/src/core', server: readonly string[] = SIMULATED_SERVER_FILES): string[] {
  const core = readdirSync(root)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'test-helpers.ts' && f !== 'index.ts')
    .sort()
    .map((f) => `${root}/${f}`);
  return [...core, ...server];
}

/**
 * Server code the simulation does not run, mutated only with `--server`: the HTTP node's
 * wiring and the real disk's calls (the simulation swaps in its own network and disk), so
 * only processes could kill these mutants and `npm run mutation` tests on the simulator.
 */
export const SERVER_FILES = ['node/src/server/raft-node.ts', 'node/src/server/disk.ts'] as const;

/**
 * A file as pieces of about `size` lines (Stryker's `file:from-to` ranges), so shares of the
 * code are about even: raft-core.ts alone holds two thirds of the election code's mutants.
 * Stryker mutates only code that lies wholly inside a range, so a piece ends only where a
 * top-level declaration or a class member ends (a line that is a closing brace indented at most
 * two spaces): a cut inside a function would leave its body's mutants in no piece. Pieces are
 * cut at the one of those lines nearest each even split; a file without any stays whole.
 */
export function chunks(file: string, text: string, size = 100): string[] {
  const lines = text.split('\n');
  const count = lines.length;
  if (count <= size) return [file];
  const ends = lines.flatMap((l, i) => (/^ {0,2}\}[;,)]*\s*$/.test(l) ? [i + 1] : [])).filter((n) => n < count);
  const n = Math.ceil(count / size);
  const cuts: number[] = [];
  for (let k = 1; k < n; k++) {
    const target = (k * count) / n;
    const after = cuts.at(-1) ?? 0;
    let best: number | undefined;
    for (const e of ends) if (e > after && (best === undefined || Math.abs(e - target) < Math.abs(best - target))) best = e;
    if (best !== undefined && !cuts.includes(best)) cuts.push(best);
  }
  if (cuts.length === 0) return [file];
  const bounds = [0, ...cuts, count];
  return bounds.slice(1).map((to, i) => `${file}:${bounds[i]! + 1}-${to}`);
}

function readSource(file: string): string {
  return readFileSync(file, 'utf8');
}

/**
 * The files a run mutates: `--files` (names or paths), else all election files; `--share K/N`
 * then keeps every N-th piece of about 100 lines (cut where a declaration ends), starting at the K-th.
 */
export function selectFiles(o: { files?: string; share?: string; server?: boolean }, all = electionFiles(), source: (f: string) => string = readSource): string[] {
  let files = all;
  if (o.files !== undefined) {
    // A name may carry Stryker's line range: `raft-core.ts:1-230`.
    const want = o.files.split(',').map((x) => x.trim()).filter(Boolean).map((x) => /^(.*?)(:\d+-\d+)?$/.exec(x)!);
    const pool = [...all, ...SERVER_FILES];
    const match = (f: string, w: string) => f === w || f.endsWith(`/${w}`);
    const bad = want.filter(([, w]) => !pool.some((f) => match(f, w!))).map(([x]) => x);
    if (want.length === 0 || bad.length > 0) {
      throw new ConfigError(`--files: no such mutable file ${bad.join(', ') || '(empty list)'}; known: ${pool.map((f) => f.split('/').pop()).join(', ')}`);
    }
    files = want.map(([, w, range]) => `${pool.find((f) => match(f, w!))!}${range ?? ''}`);
  } else if (o.server) {
    files = [...all, ...SERVER_FILES];
  }
  if (o.share !== undefined) {
    const m = /^(\d+)\/(\d+)$/.exec(o.share);
    const k = Number(m?.[1]);
    const n = Number(m?.[2]);
    if (!m || n < 1 || k >= n) throw new ConfigError(`--share must be K/N with 0 <= K < N (the K-th of N shares of the files), got "${o.share}"`);
    files = files.flatMap((f) => (/:\d+-\d+$/.test(f) ? [f] : chunks(f, source(f)))).filter((_, i) => i % n === k);
  }
  return files;
}

/** The share of the files a nightly run mutates: day of year modulo `n`, as `K/N`. */
export function nightlyShare(date: Date, n: number): string {
  const start = Date.UTC(date.getUTCFullYear(), 0, 1);
  const day = Math.floor((date.getTime() - start) / 86_400_000);
  return `${day % n}/${n}`;
}

const USAGE = `Usage: npm run mutation -- [options]
Mutates the node's election code (node/src/core, and the server's driver.ts and storage.ts
that the simulation runs) with StrykerJS and tests each mutant with a
bounded simulated random search; prints the score, time per mutant and survivors; HTML report
in reports/mutation/index.html. Triage of survivors: docs/mutation-triage.md.
  --files LIST        only these files (names or paths, comma list, each with an optional line
                      range), e.g. quorum.ts,roles.ts or raft-core.ts:1-230
  --share K/N         only the K-th of N shares of the code, in pieces of about 100 lines
                      (the nightly runs one share a night)
  --server            add node/src/server/raft-node.ts and disk.ts (the simulation does not run
                      them: their mutants survive)
  --concurrency C     mutants tested at once, 1 or 2 (default 1)
  --runs N            schedules per search per mutant (default 300)
  --nodes LIST        with --no-explore-config: cluster sizes searched in turn (default 3,5)
  --no-explore-config search the fixed default configuration instead of exploring it
  --no-triggers       no second search with faults triggered by node events (by default a
                      mutant the plain search missed is searched again with --triggers)
  --no-disk-faults    no last search with disk faults drawn (--disk-faults, safety checks)
  --scenarios LIST    named scenarios run on the simulator for a mutant the searches missed
                      (default re-elected-leader,lease-forgotten; none or "": no scenario)
  --reuse LIST        mutation.json reports of earlier runs (comma list): their kills are taken
                      as they are and only the rest is tested again (survivors, errors, new
                      mutants): to re-measure after a check lands without re-running every kill
Exit code: 0 it ran (whatever the score), 2 it could not run.`;

async function main(argv: readonly string[]): Promise<number> {
  const v = parseOptions(
    argv,
    {
      files: { type: 'string' },
      share: { type: 'string' },
      server: { type: 'boolean' },
      concurrency: { type: 'string' },
      runs: { type: 'string' },
      nodes: { type: 'string' },
      'no-explore-config': { type: 'boolean' },
      'no-triggers': { type: 'boolean' },
      'no-disk-faults': { type: 'boolean' },
      scenarios: { type: 'string' },
      reuse: { type: 'string' },
    },
    USAGE,
  );
  if (!v) return 0;
  let incremental: { incremental: true; incrementalFile: string } | Record<string, never> = {};
  if (v.reuse !== undefined) {
    const reports = v.reuse.split(',').map((x) => x.trim()).filter(Boolean);
    if (reports.length === 0) throw new ConfigError('--reuse needs at least one mutation.json report');
    const seed = killsOnly(reports);
    const incrementalFile = 'reports/mutation/reuse-incremental.json';
    mkdirSync(dirname(incrementalFile), { recursive: true });
    writeFileSync(incrementalFile, JSON.stringify(seed));
    const n = Object.values(seed.files).reduce((a, f) => a + f.mutants.length, 0);
    console.log(`mutation: reusing ${n} kill(s) of ${reports.join(', ')}`);
    incremental = { incremental: true, incrementalFile };
  }
  const mutate = selectFiles(v);
  if (mutate.length === 0) throw new ConfigError('nothing to mutate: the share is empty');
  const concurrency = v.concurrency === undefined ? 1 : Number(v.concurrency);
  if (concurrency !== 1 && concurrency !== 2) throw new ConfigError(`--concurrency must be 1 or 2 (the machine has 2 cores), got "${v.concurrency}"`);
  const pass = [
    ...(v.runs !== undefined ? ['--runs', v.runs] : []),
    ...(v.nodes !== undefined ? ['--nodes', v.nodes] : []),
    ...(v['no-explore-config'] ? ['--no-explore-config'] : []),
    ...(v['no-triggers'] ? ['--no-triggers'] : []),
    ...(v['no-disk-faults'] ? ['--no-disk-faults'] : []),
    ...(v.scenarios !== undefined ? ['--scenarios', v.scenarios] : []),
  ];
  // Check the per-mutant options here, so a typo is a usage error and not a failed dry run.
  const { parsePlan } = await import('./mutant-main.js');
  parsePlan(pass);
  const command = ['node --import tsx harness/src/cli/mutant-main.ts', ...pass.map(shellWord)].join(' ');
  console.log(`mutation: ${mutate.length} file(s): ${mutate.join(', ')}`);
  console.log(`          per mutant: ${command.replace('node --import tsx harness/src/cli/mutant-main.ts', 'mutant-main')}; concurrency ${concurrency}`);
  const Stryker = await loadStryker();
  const results = await new Stryker({ mutate, concurrency, commandRunner: { command }, ...incremental }).runMutationTest();
  return results.length > 0 ? 0 : 2;
}

/**
 * The Stryker class. StrykerJS 10 declares Node >= 22 and its CLI module refuses older Node at
 * import; the project runs on Node 20, where the mutation run itself works (the version guard
 * sits only in the CLI module), so the class is loaded from its own module, past the guard.
 */
async function loadStryker(): Promise<typeof import('@stryker-mutator/core').Stryker> {
  const pkg = createRequire(import.meta.url).resolve('@stryker-mutator/core/package.json');
  const mod = (await import(pathToFileURL(join(dirname(pkg), 'dist/src/stryker.js')).href)) as { Stryker: typeof import('@stryker-mutator/core').Stryker };
  return mod.Stryker;
}

function shellWord(s: string): string {
  return /^[\w.,/:=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

if (import.meta.url === `file://${process.argv[1]}`) runMain('mutation', () => main(process.argv.slice(2)), { exit: true });
