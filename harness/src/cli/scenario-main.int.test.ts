import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive } from '../runtime/process/pidfile.js';

const MAIN = join(import.meta.dirname, 'scenario-main.ts');
const reportDir = mkdtempSync(join(tmpdir(), 'rc-cli-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

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
    expect(r.stderr).toMatch(/unknown scenario "partition-leeder". Known scenarios: baseline, partition-leader/);
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

  it('on Ctrl-C stops, cleans up every node, and still writes the history and report', async () => {
    const r = await cli(['partition-leader', '--runtime', 'process', '--seed', '3', '--report-dir', reportDir], 'phase  faults');
    expect(r.stderr).toMatch(/SIGINT: stopping the run/);
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/verdict: UNKNOWN \(interrupted\)/);
    // Healed through a Toxiproxy that outlived the Ctrl-C: no errors; and the leader display
    // stops when teardown begins.
    expect(r.stdout).not.toMatch(/\] error:/);
    expect(r.stdout.slice(r.stdout.indexOf('phase  teardown'))).not.toMatch(/\n\[ *[\d.]+s\]/);
    const [run] = readdirSync(reportDir).filter((d) => d.includes('partition-leader'));
    expect(run).toBeDefined();
    const lines = readFileSync(join(reportDir, run!, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.at(-1)).toMatchObject({ type: 'run-end', interrupted: 'SIGINT received' });
    const pids = lines.filter((e) => e.type === 'process' && e.action === 'start').map((e) => e.pid as number);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(lines.filter((e) => e.type === 'note' && e.level === 'error')).toEqual([]);
    expect(readdirSync(join(reportDir, run!))).toEqual(expect.arrayContaining(['index.html', 'summary.json', 'junit.xml']));
  }, 120_000);
});
