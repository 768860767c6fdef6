import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INSTRUMENTER_CONSTANTS, type StrykerOptions } from '@stryker-mutator/api/core';
import { DryRunStatus, MutantRunStatus, type MutantRunOptions } from '@stryker-mutator/api/test-runner';
import { chunks, electionFiles, nightlyShare, selectFiles, SERVER_FILES } from './mutation-main.js';
import { killsOnly, REUSED_KILL } from '../mutation/reuse.js';
import { DEFAULT_PLAN, parsePlan } from './mutant-main.js';
import { RaftHarnessTestRunner, summarize, type SummaryMutant } from '../mutation/stryker-plugin.js';

/** The test runner on a shell command, as Stryker would build it. */
function runner(command: string) {
  return new RaftHarnessTestRunner({ commandRunner: { command } } as StrykerOptions);
}
const mutant = (id: string) => ({ activeMutant: { id } }) as unknown as MutantRunOptions;

describe('raft-harness test runner: the harness exit code as a verdict', () => {
  it('exit 1 is killed, exit 0 survived, exit 2, a crash or a signal an error (never a kill)', async () => {
    expect((await runner('exit 1').mutantRun(mutant('3'))).status).toBe(MutantRunStatus.Killed);
    expect((await runner('exit 0').mutantRun(mutant('3'))).status).toBe(MutantRunStatus.Survived);
    const two = await runner('echo could not run >&2; exit 2').mutantRun(mutant('3'));
    expect(two).toMatchObject({ status: MutantRunStatus.Error });
    expect((two as { errorMessage: string }).errorMessage).toMatch(/exit 2.*could not run/s);
    expect((await runner('exit 134').mutantRun(mutant('3'))).status).toBe(MutantRunStatus.Error);
    expect((await runner('kill -9 $$').mutantRun(mutant('3'))).status).toBe(MutantRunStatus.Error);
  });

  it('hands the active mutant to the command, and none on the dry run', async () => {
    const v = INSTRUMENTER_CONSTANTS.ACTIVE_MUTANT_ENV_VARIABLE;
    const r = runner(`test "$${v}" = 42 && exit 1 || exit 0`);
    expect((await r.mutantRun(mutant('42'))).status).toBe(MutantRunStatus.Killed);
    expect((await r.mutantRun(mutant('41'))).status).toBe(MutantRunStatus.Survived);
    expect((await runner(`test -z "$${v}"`).dryRun()).status).toBe(DryRunStatus.Complete);
  });

  it('a dry run that finds a failure on the correct code is a failed test; one that cannot run is an error', async () => {
    const failed = await runner('exit 1').dryRun();
    expect(failed.status).toBe(DryRunStatus.Complete);
    expect(failed.status === DryRunStatus.Complete && failed.tests[0]!.status).toBe(1); // TestStatus.Failed
    expect((await runner('exit 2').dryRun()).status).toBe(DryRunStatus.Error);
  });
});

describe('summary', () => {
  it('scores killed and timed out over tested (errors apart) and lists survivors', () => {
    const m = (id: string, status: string): SummaryMutant => ({ id, status, file: '/x/.stryker-tmp/s/node/src/core/quorum.ts', mutatorName: 'EqualityOperator', replacement: 'a  <\n b', location: { start: { line: 7 } } });
    const lines = summarize([m('1', 'Killed'), m('2', 'Killed'), m('3', 'Timeout'), m('4', 'Survived'), m('5', 'RuntimeError')], 10_000, 1);
    expect(lines[1]).toMatch(/score: 75\.0% of 4 tested mutant\(s\) \(2 killed, 1 timed out, 1 survived; 1 error/);
    expect(lines[2]).toMatch(/5 mutant\(s\) in 10 s: 2\.00 s per mutant/);
    expect(lines.at(-1)).toBe('    #4 node/src/core/quorum.ts:7 EqualityOperator: a < b');
  });
});

describe('--reuse: earlier kills taken, the rest tested again', () => {
  it('keeps only killed and timed-out mutants of each report, marked reused, and merges a file split across shares', () => {
    const report = (mutants: { id: string; status: string }[]) => JSON.stringify({ files: { 'node/src/core/q.ts': { language: 'typescript', source: 'S', mutants } } });
    const reports: Record<string, string> = {
      'a.json': report([{ id: '1', status: 'Killed' }, { id: '2', status: 'Survived' }, { id: '3', status: 'RuntimeError' }]),
      'b.json': report([{ id: '4', status: 'Timeout' }, { id: '5', status: 'NoCoverage' }]),
    };
    const seed = killsOnly(['a.json', 'b.json'], (f) => reports[f]!);
    const ms = seed.files['node/src/core/q.ts']!.mutants as { id: string; status: string; statusReason: string }[];
    expect(ms.map((m) => m.id)).toEqual(['1', '4']);
    expect(ms.every((m) => m.statusReason.startsWith(REUSED_KILL))).toBe(true);
  });

  it('a report that cannot be read is a usage error naming it', () => {
    expect(() => killsOnly(['x.json'], () => '{"nope":1}')).toThrow(/--reuse: cannot read mutation report x\.json/);
    expect(() => killsOnly(['y.json'], () => 'not json')).toThrow(/y\.json/);
  });

  it('the summary counts reused kills in the score but times only the mutants run now', () => {
    const m = (id: string, status: string, statusReason?: string): SummaryMutant => ({ id, status, statusReason, file: 'node/src/core/q.ts', mutatorName: 'X', location: { start: { line: 1 } } });
    const lines = summarize([m('1', 'Killed', `${REUSED_KILL} found`), m('2', 'Killed'), m('3', 'Survived')], 4_000, 2);
    expect(lines[1]).toMatch(/score: 66\.7% of 3 tested/);
    expect(lines[2]).toMatch(/1 reused from earlier runs, 2 run now\) in 4 s: 2\.00 s per mutant run/);
  });
});

describe('npm run mutation options', () => {
  it('mutates the election code without tests, helpers or the simulator', () => {
    const files = electionFiles();
    expect(files).toContain('node/src/core/raft-core.ts');
    expect(files).toContain('node/src/core/quorum.ts');
    expect(files.some((f) => f.endsWith('.test.ts') || f.includes('testing/') || f.endsWith('test-helpers.ts'))).toBe(false);
    // The server's persistence and reply path runs in the simulation: mutated by default.
    expect(files).toEqual(expect.arrayContaining(['node/src/server/driver.ts', 'node/src/server/storage.ts']));
    expect(files).not.toContain('node/src/server/raft-node.ts');
  });

  it('--files picks by name, --server adds the server files, --share splits the rest', () => {
    const all = ['a/a.ts', 'a/b.ts', 'a/c.ts', 'a/d.ts', 'a/e.ts'];
    expect(selectFiles({ files: 'b.ts,raft-node.ts' }, all)).toEqual(['a/b.ts', 'node/src/server/raft-node.ts']);
    expect(selectFiles({ files: 'c.ts:1-20,a/a.ts' }, all)).toEqual(['a/c.ts:1-20', 'a/a.ts']);
    expect(selectFiles({ server: true }, all)).toEqual([...all, ...SERVER_FILES]);
    // a/c.ts: 250 lines whose top-level declarations or class members end at lines 80 and 170.
    const text = (n: number, ends: number[]) => Array.from({ length: n }, (_, i) => (ends.includes(i + 1) ? '  }' : '    x();')).join('\n');
    const source = (f: string) => (f === 'a/c.ts' ? text(250, [80, 170]) : text(40, []));
    expect(selectFiles({ share: '1/2' }, all, source)).toEqual(['a/b.ts', 'a/c.ts:81-170', 'a/d.ts']);
    const shares = [0, 1, 2].flatMap((k) => selectFiles({ share: `${k}/3` }, all, source));
    expect(shares.sort()).toEqual(['a/a.ts', 'a/b.ts', 'a/c.ts:1-80', 'a/c.ts:171-250', 'a/c.ts:81-170', 'a/d.ts', 'a/e.ts']);
    // Cut only where a declaration ends (a function's body is never split across two ranges:
    // Stryker would mutate it in neither); a file with no such line stays whole.
    expect(chunks('x.ts', text(420, [84, 90, 170, 250, 300, 336]))).toEqual(['x.ts:1-84', 'x.ts:85-170', 'x.ts:171-250', 'x.ts:251-336', 'x.ts:337-420']);
    expect(chunks('x.ts', text(420, []))).toEqual(['x.ts']);
    const core = readFileSync('node/src/core/raft-core.ts', 'utf8').split('\n');
    for (const piece of chunks('raft-core.ts', core.join('\n'))) {
      const to = Number(/-(\d+)$/.exec(piece)?.[1] ?? core.length);
      if (to < core.length) expect(core[to - 1], piece).toMatch(/^ {0,2}\}/);
    }
    expect(() => selectFiles({ files: 'nope.ts' }, all)).toThrow(/--files: no such mutable file nope\.ts/);
    expect(() => selectFiles({ share: '3/3' }, all)).toThrow(/--share must be K\/N/);
  });

  it('the nightly share is the day of year modulo N', () => {
    expect(nightlyShare(new Date(Date.UTC(2026, 0, 1, 3)), 5)).toBe('0/5');
    expect(nightlyShare(new Date(Date.UTC(2026, 0, 7)), 5)).toBe('1/5');
    expect(nightlyShare(new Date(Date.UTC(2026, 11, 6)), 5)).toBe(`${339 % 5}/5`);
  });

  it('the per-mutant plan: defaults, and bad options named', () => {
    expect(parsePlan([])).toEqual(DEFAULT_PLAN);
    expect(parsePlan(['--no-explore-config', '--nodes', '3,5,7', '--runs', '50'])).toEqual({ ...DEFAULT_PLAN, exploreConfig: false, nodes: [3, 5, 7], runs: 50 });
    expect(DEFAULT_PLAN.triggers).toBe(true);
    expect(parsePlan(['--no-triggers'])).toEqual({ ...DEFAULT_PLAN, triggers: false });
    expect(() => parsePlan(['--nodes', '2'])).toThrow(/--nodes must be a whole number from 3/);
    expect(() => parsePlan(['--scenarios', 'nope'])).toThrow(/unknown scenario\(s\) nope/);
    expect(DEFAULT_PLAN.scenarios).toEqual(['re-elected-leader', 'lease-forgotten']);
    expect(parsePlan(['--scenarios', 'none'])?.scenarios).toEqual([]);
    expect(parsePlan(['--scenarios', ''])).toEqual({ ...DEFAULT_PLAN, scenarios: [] });
    expect(parsePlan(['--scenarios', 'flapping,re-elected-leader'])?.scenarios).toEqual(['flapping', 're-elected-leader']);
    expect(parsePlan(['--scenarios', 'bridge,lease-forgotten'])?.scenarios).toEqual(['bridge', 'lease-forgotten']);
  });
});
