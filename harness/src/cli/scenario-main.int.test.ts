import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runProcess, type Ran } from '../test-support/run-process.js';
import { isAlive } from '../runtime/process/pidfile.js';

const MAIN = join(import.meta.dirname, 'scenario-main.ts');
const ROOT = join(import.meta.dirname, '..', '..', '..');
const reportDir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

/**
 * Runs the CLI as a user would; `interruptOn` sends SIGINT once stdout shows that text, to the
 * CLI's whole process group, as a terminal's Ctrl-C does.
 */
function cli(args: string[], interruptOn?: string): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: interruptOn !== undefined });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (interruptOn && !sent && stdout.includes(interruptOn)) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run scenario', () => {
  it('names the known scenarios for an unknown one and exits 2', async () => {
    const r = await cli(['partition-leeder']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown scenario "partition-leeder" \(did you mean "partition-leader"\?\)\. Known scenarios: baseline, partition-leader/);
  });

  it('names a bad option and exits 2', async () => {
    const r = await cli(['baseline', '--nodes', 'many']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--nodes must be a whole number from 3 to 15, got "many"/);
  });

  it.each([
    [['baseline', '--nodes', '1'], /--nodes 1: a cluster needs at least 3 nodes/],
    [['baseline', '--nodes', '2', '--runtime', 'sim'], /--nodes 2: a cluster needs at least 3 nodes/],
    [['baseline', '--nodes', '-1'], /--nodes must be a whole number from 3 to 15, got "-1"/],
    [['baseline', '--seed', '-1'], /--seed must be a whole number from 0 to 4294967295, got "-1"/],
    [['baseline', '--runtime', 'sim', '--report-dir', '/proc/self/reports'], /--report-dir "\/proc\/self\/reports": is under \/proc/],
    [['random', '--runtime', 'sim', '--report-dir', '/proc/x'], /--report-dir "\/proc\/x": is under \/proc/],
  ])('refuses %j with our message and exit 2, before anything runs', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/ambiguous|at mkdirSync|    at /);
    expect(r.stdout).toBe('');
  }, 30_000);

  it('refuses a report dir behind a file (ENOTDIR) and writes nothing', async () => {
    const file = join(reportDir, 'a-file');
    writeFileSync(file, 'x');
    const r = await cli(['baseline', '--runtime', 'sim', '--report-dir', join(file, 'reports')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is a file, not a directory/);
    expect(readFileSync(file, 'utf8')).toBe('x');
  }, 30_000);

  it('refuses a run the runtime or cluster cannot run with exit 2, before anything is written', async () => {
    for (const args of [['staggered-start', '--runtime', 'docker'], ['partition-leader', '--runtime', 'sim', '--nodes', '1']]) {
      const dir = join(reportDir, `refused-${args[0]}`);
      const r = await cli([...args, '--report-dir', dir]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/^raft-chaos scenario: /);
      expect(r.stdout).not.toMatch(/\bok\b|VALID|report:/);
      expect(existsSync(dir)).toBe(false);
    }
  });

  it('a run that could not start exits 3, not the 2 of unknown, and says why', async () => {
    const r = await cli(['baseline', '--runtime', 'process', '--toxiproxy-url', 'http://127.0.0.1:9', '--report-dir', join(reportDir, 'could-not')]);
    expect(r.code, r.stderr).toBe(3);
    const dir = readdirSync(join(reportDir, 'could-not')).find((d) => d.includes('baseline'))!;
    expect(JSON.parse(readFileSync(join(reportDir, 'could-not', dir, 'summary.json'), 'utf8')).couldNotRun).toMatch(/Toxiproxy at http/);
    expect(r.stdout).toMatch(/verdict: COULD NOT RUN\n  why: {5}run: The run could not finish: Toxiproxy at http:\/\/127\.0\.0\.1:9 did not answer/);
  });

  it('on Ctrl-C stops, cleans up every node, and still writes the history and report', async () => {
    const r = await cli(['partition-leader', '--runtime', 'process', '--seed', '3', '--report-dir', reportDir], 'phase  faults');
    expect(r.stderr).toMatch(/SIGINT: stopping the run/);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/verdict: UNKNOWN \(interrupted\)/);
    // Healed through a Toxiproxy that outlived the Ctrl-C: no errors; and the leader display
    // stops when teardown begins.
    expect(r.stdout).not.toMatch(/\] error:/);
    expect(r.stdout).toMatch(/^\[ +\d+ ms\] phase  teardown/m);
    expect(r.stdout.slice(r.stdout.indexOf('phase  teardown'))).not.toMatch(/\n\[ *[\d.]+ ms\]/);
    // Console times are the history's run times (one origin): the faults phase's line and entry agree.
    const faultsAt = Number(/^\[ +(\d+) ms\] phase  faults/m.exec(r.stdout)![1]);
    const [run] = readdirSync(reportDir).filter((d) => d.includes('partition-leader'));
    expect(run).toBeDefined();
    const lines = readFileSync(join(reportDir, run!, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'run-end', interrupted: 'SIGINT received' });
    const faultsEntry = lines.find((e) => e.type === 'phase' && e.phase === 'faults');
    expect(Math.abs(faultsAt - faultsEntry.t)).toBeLessThan(2);
    const pids = lines.filter((e) => e.type === 'process' && e.action === 'start').map((e) => e.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(lines.filter((e) => e.type === 'note' && e.level === 'error')).toEqual([]);
    expect(readdirSync(join(reportDir, run!))).toEqual(expect.arrayContaining(['index.html', 'summary.json', 'junit.xml']));
  }, 120_000);

  /**
   * `timeout -s SIGNAL N npm run scenario ...` from the repository root, as a user or a CI job
   * would: `timeout` signals its whole process group (npm, the shell, the harness and any child
   * in that group). Resolves once every holder of the output pipes is gone, the harness included
   * (npm may exit before the harness has finished cleaning up).
   */
  function underTimeout(signal: 'TERM' | 'HUP', seconds: number, args: string[]): Promise<Ran> {
    return runProcess('timeout', ['-s', signal, String(seconds), 'npm', 'run', '--silent', 'scenario', '--', ...args], { cwd: ROOT });
  }

  // Issue 16: SIGTERM (a CI job's timeout, `kill`) and SIGHUP (a closed terminal or SSH session)
  // are handled as Ctrl-C is: heal, stop every node and the embedded Toxiproxy, write the report.
  it.each(['TERM', 'HUP'] as const)('timeout -s %s around npm run scenario: no process of the run is left, the report is written and marked interrupted', async (sig) => {
    const dir = mkdtempSync(join(reportDir, `sig${sig}-`));
    const r = await underTimeout(sig, 5, ['partition-leader', '--runtime', 'process', '--seed', '5', '--report-dir', dir]);
    expect(r.stderr).toMatch(new RegExp(`SIG${sig}: stopping the run`));
    expect(r.stderr).not.toMatch(/again: exiting now/);
    expect(r.stdout).toMatch(/verdict: UNKNOWN \(interrupted\)/);
    const [run] = readdirSync(dir).filter((d) => d.includes('partition-leader'));
    expect(run).toBeDefined();
    const lines = readFileSync(join(dir, run!, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'run-end', interrupted: `SIG${sig} received` });
    const pids = lines.filter((e) => e.type === 'process' && e.action === 'start').map((e) => e.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(isAlive)).toEqual([]);
    // Healed through a Toxiproxy that outlived the signal: nothing failed on the way out.
    expect(lines.filter((e) => e.type === 'note' && (e.level === 'error' || e.level === 'warn'))).toEqual([]);
    expect(readdirSync(join(dir, run!))).toEqual(expect.arrayContaining(['index.html', 'summary.json', 'junit.xml', 'history.jsonl']));
    expect(readdirSync(join(dir, run!)).filter((f) => f.includes('pid'))).toEqual([]);
    // The embedded Toxiproxy (its own session, so the signal did not stop it early) is gone too.
    const proxy = lines.map((e) => /embedded Toxiproxy at (http:\/\/[\d.:]+)/.exec(e.message ?? '')?.[1]).find(Boolean);
    expect(proxy).toBeDefined();
    await expect(fetch(`${proxy}/version`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  }, 120_000);

  // A real hang-up: the terminal goes away (here: `script`, which owns the pty, is killed), so
  // the harness gets SIGHUP and every later write to the terminal fails with EIO. The cleanup
  // must still heal, stop every process of the run and write the report.
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)('a closed terminal (SIGHUP, then EIO on every write) still ends in a clean, interrupted report', async () => {
    const dir = mkdtempSync(join(reportDir, 'hangup-'));
    const errFile = join(dir, 'stderr.txt');
    const cmd = `npm run --silent scenario -- partition-leader --runtime process --seed 6 --report-dir ${dir} 2>${errFile}`;
    const term = spawn('script', ['-qfec', cmd, '/dev/null'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let seen = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no "phase  faults" within 60 s: ${seen}`)), 60_000);
      term.stdout.on('data', (d: Buffer) => {
        seen += d;
        if (seen.includes('phase  faults')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    term.kill('SIGKILL'); // the terminal emulator is gone: the kernel hangs up the pty
    const run = await waitForFile(dir, 60_000);
    const lines = readFileSync(join(dir, run, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'run-end', interrupted: 'SIGHUP received' });
    const err = readFileSync(errFile, 'utf8');
    expect(err).toMatch(/SIGHUP: stopping the run/);
    expect(err).not.toMatch(/Unhandled 'error' event|EIO/);
    expect(lines.filter((e) => e.type === 'note' && (e.level === 'error' || e.level === 'warn'))).toEqual([]);
    const pids = lines.filter((e) => e.type === 'process' && e.action === 'start').map((e) => e.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    await new Promise((r) => setTimeout(r, 1000));
    expect(pids.filter(isAlive)).toEqual([]);
    const proxy = lines.map((e) => /embedded Toxiproxy at (http:\/\/[\d.:]+)/.exec(e.message ?? '')?.[1]).find(Boolean);
    await expect(fetch(`${proxy}/version`, { signal: AbortSignal.timeout(2000) })).rejects.toThrow();
  }, 150_000);
});

/** Waits until a run under `dir` has its summary.json; returns the run's folder name. */
async function waitForFile(dir: string, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = readdirSync(dir).find((d) => d.includes('partition-leader'));
    if (run && existsSync(join(dir, run, 'summary.json'))) return run;
    if (Date.now() > deadline) throw new Error(`no summary.json under ${dir} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
