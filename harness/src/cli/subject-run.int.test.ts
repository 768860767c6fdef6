import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsMain, type Ran } from '../test-support/run-process.js';
import { TINY_COURSE_NODE } from '../subject/fixtures/tiny-course-node.js';

/**
 * Issue 15's "a node not in the repository": a tiny course-protocol node written to a temp dir
 * and tested through `npm run scenario partition-leader -- --subject course --node-command
 * "python3 node.py"` as a course reader would type it (the relative path resolved against the
 * user's directory, INIT_CWD as npm sets it), on processes. Then the bad inputs: a command that
 * exits at once, a status body the map cannot read, and `--runtime sim`.
 */
const MAIN = join(import.meta.dirname, 'scenario-main.ts');
const ROOT = join(import.meta.dirname, '..', '..', '..');
const home = mkdtempSync(join(tmpdir(), 'rc-subject-'));
const reportDir = join(home, 'reports');
afterAll(() => rmSync(home, { recursive: true, force: true }));
writeFileSync(join(home, 'node.py'), TINY_COURSE_NODE);

/** The scenario CLI run from the repository, as `npm run` does, for a user whose directory is `home`. */
function cli(args: string[]): Promise<Ran> {
  return runTsMain(MAIN, args, { cwd: ROOT, env: { ...process.env, INIT_CWD: home } });
}

function summaryOf(stdout: string): Record<string, any> {
  const dir = /report:\s+(\S+)\/index\.html/.exec(stdout)?.[1];
  expect(dir, stdout).toBeDefined();
  return JSON.parse(readFileSync(join(ROOT, dir!, 'summary.json'), 'utf8'));
}

describe('a subject outside the repository, through --node-command on processes', () => {
  it('partition-leader on a tiny Python course node: valid, the checks it cannot feed shown not applicable, the replay carries the subject', async () => {
    const r = await cli(['partition-leader', '--subject', 'course', '--node-command', 'python3 node.py', '--runtime', 'process', '--seed', '3', '--report-dir', reportDir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/ok\s+election-safety/);
    expect(r.stdout).toMatch(/n\/a\s+one-vote-per-term: Not applicable: subject course shows no votes/);
    expect(r.stdout).toMatch(/n\/a\s+step-down: Not applicable: subject course has no CheckQuorum/);
    expect(r.stdout).toContain('--subject course --node-command "python3 node.py"');
    const summary = summaryOf(r.stdout);
    expect(summary['subject']).toBe('course');
    expect(summary['checks']['one-vote-per-term']).toMatchObject({ verdict: 'valid', judgement: 'not applicable' });
    expect(summary['checks']['leader-has-votes']).toMatchObject({ judgement: 'not applicable' });
    expect(summary['checks']['election-safety'].judgement).toBe('ok');
    const page = readFileSync(join(ROOT, /report:\s+(\S+)/.exec(r.stdout)![1]!), 'utf8');
    expect(page).toMatch(/<span class="badge na" data-judgement="not applicable">not applicable<\/span><\/td><td class="name">one-vote-per-term/);
    const history = readFileSync(join(ROOT, /report:\s+(\S+)\/index\.html/.exec(r.stdout)![1]!, 'history.jsonl'), 'utf8').split('\n');
    const start = JSON.parse(history[0]!);
    expect(start.subject).toMatchObject({ name: 'course', capabilities: { events: false, votedFor: false, preVote: false, checkQuorum: false } });
    // Status polls only: 20 a second a node asked for, no /events read.
    expect(history.some((l) => l.includes('"type":"node-event"'))).toBe(false);
    expect(history.filter((l) => l.includes('"type":"poll"') && l.includes('"outcome":"ok"')).length).toBeGreaterThan(3 * 20 * 5);
  });

  it('a command that exits at once: a clear error with the tail of its output, exit 3 (could not run), nothing left running', async () => {
    writeFileSync(join(home, 'dies.py'), 'import sys\nprint("no PEERS for me", flush=True)\nsys.exit(3)\n');
    const r = await cli(['partition-leader', '--subject', 'course', '--node-command', 'python3 dies.py', '--runtime', 'process', '--seed', '1', '--report-dir', reportDir]);
    expect(r.code).toBe(3);
    const out = r.stdout + r.stderr;
    expect(out).toMatch(/node n\d .*exited \(code 3\) while starting/);
    expect(out).toContain('no PEERS for me');
  });

  it('a status body the map cannot read: observation unknown, quoting what came back; no crash', async () => {
    const bad = TINY_COURSE_NODE.replace(/"state":\s*s\["state"\]/, '"state": "WEIRD" if ME == "n2" else s["state"]');
    expect(bad).not.toBe(TINY_COURSE_NODE);
    writeFileSync(join(home, 'weird.py'), bad);
    // The polls are what is judged here, so a short run with no fault: no wait for a leader that
    // cannot be seen (partition-leader's fault waited 6 s for one, its warmup 5 s).
    const polls = { name: 'polls', description: 'A second of polls, no fault.', steps: [{ wait: 1000 }], warmupMs: 1000, recoveryMs: 1000 };
    writeFileSync(join(home, 'polls.json'), JSON.stringify(polls));
    const r = await cli([join(home, 'polls.json'), '--subject', 'course', '--node-command', 'python3 weird.py', '--runtime', 'process', '--seed', '1', '--report-dir', reportDir]);
    // n2 is never seen, so timing checks may fail too: not valid, and no crash.
    expect([1, 2], r.stdout + r.stderr).toContain(r.code);
    expect(r.stdout).toMatch(/unknown\s+observation: .*could not be read, e\.g\. n\d: \/status has state "WEIRD"/);
  });

  it('--runtime sim with a subject that is not our node: refused, exit 2, nothing written', async () => {
    const empty = join(home, 'sim-reports');
    const r = await cli(['partition-leader', '--subject', 'course', '--node-command', 'python3 node.py', '--runtime', 'sim', '--report-dir', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr + r.stdout).toMatch(/--runtime sim runs only the project's own node \(raft-chaos\), not subject course/);
    expect(existsSync(empty) ? readdirSync(empty) : []).toEqual([]);
  });
});
