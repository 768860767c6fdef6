import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { isAlive } from '../runtime/process/pidfile.js';

const MAIN = join(import.meta.dirname, 'nightly-main.ts');
const reportDir = mkdtempSync(join(tmpdir(), 'rc-nightly-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

/**
 * Runs `npm run nightly -- ...args` as a user would. `interruptWhen` is checked as the night
 * goes on; once true, SIGINT goes to the night's whole process group, as a terminal's Ctrl-C does.
 */
function nightly(args: string[], interruptWhen?: (stdout: string) => boolean): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], detached: interruptWhen !== undefined });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const watch = interruptWhen && setInterval(() => {
      if (!interruptWhen(stdout)) return;
      clearInterval(watch);
      process.kill(-child.pid!, 'SIGINT');
    }, 50);
    child.on('error', reject);
    child.on('close', (code) => {
      clearInterval(watch);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The history of the one run under `dir` whose name has `scenario`, as entries. */
function historyOf(dir: string, scenario: string): Array<Record<string, unknown>> {
  const run = readdirSync(dir).find((d) => d.includes(scenario) && existsSync(join(dir, d, 'history.jsonl')));
  if (!run) return [];
  return readFileSync(join(dir, run, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

it('runs the chosen scenarios and a simulated random search, writes the index and one JUnit file, and prints its replay', async () => {
  const r = await nightly(['--only', 'baseline', '--sim-runs', '300', '--runtime', 'process', '--seed', '7', '--report-dir', reportDir]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/\| baseline \| valid \|/);
  expect(r.stdout).toMatch(/\| random on sim \(300 schedules\) \| valid \| [\d.]+ s \| (—|\d+ of 300 schedule\(s\) unknown) \|/);
  expect(r.stdout).toContain('nightly: 2 runs: 2 valid, 0 invalid, 0 unknown');
  expect(r.stdout).toContain('replay: npm run nightly -- --seed 7 --runtime process --only baseline --sim-runs 300');
  // The simulated search ran every schedule it was asked for.
  const search = readdirSync(reportDir).find((d) => existsSync(join(reportDir, d, 'search.json')))!;
  expect(JSON.parse(readFileSync(join(reportDir, search, 'search.json'), 'utf8')).counts.runs).toBe(300);
  expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).toContain('baseline');
  expect(existsSync(join(reportDir, 'index.html'))).toBe(true);
}, 120_000);

it('on Ctrl-C finishes the run under way with its report, skips the rest, and still writes the table, index and JUnit', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-nightly-int-'));
  try {
    // SIGINT once the first scenario is into its faults (its Toxiproxy has links to heal).
    const r = await nightly(
      ['--only', 'partition-leader,kill-leader', '--sim-runs', '10', '--runtime', 'process', '--seed', '5', '--report-dir', dir],
      (out) => out.includes('partition-leader   ... ') && historyOf(dir, 'partition-leader').some((e) => e['phase'] === 'faults'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stdout).toContain('nightly: SIGINT: partition-leader finishes its teardown and report, the rest is not run');
    expect(r.stdout).toMatch(/\| partition-leader \| unknown \| [\d.]+ s \| interrupted/);
    expect(r.stdout).toContain('| kill-leader | not run | — | interrupted |');
    expect(r.stdout).toContain('| random on sim (10 schedules) | not run | — | interrupted |');
    expect(r.stdout).toContain('nightly: INTERRUPTED (SIGINT received); 2 not run: kill-leader, random on sim (10 schedules)');
    // The interrupted run: healed without errors (its Toxiproxy outlived the Ctrl-C), torn down,
    // reported as interrupted; nothing of it left running.
    const history = historyOf(dir, 'partition-leader');
    expect(history.at(-1)).toMatchObject({ type: 'run-end', interrupted: 'SIGINT received' });
    expect(history.filter((e) => e['type'] === 'note' && e['level'] === 'error')).toEqual([]);
    const pids = history.filter((e) => e['type'] === 'process' && e['action'] === 'start').map((e) => e['pid'] as number);
    expect(pids.length).toBeGreaterThanOrEqual(3);
    expect(pids.filter(isAlive)).toEqual([]);
    const run = readdirSync(dir).find((d) => d.includes('partition-leader'))!;
    expect(readdirSync(join(dir, run))).toEqual(expect.arrayContaining(['index.html', 'summary.json', 'junit.xml']));
    expect(readdirSync(dir).some((d) => d.includes('kill-leader'))).toBe(false);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toContain('partition-leader');
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toContain(run);
    // The manifest tells a --merge what was cut.
    expect(JSON.parse(readFileSync(join(dir, 'nightly.json'), 'utf8'))).toMatchObject({ interrupted: 'SIGINT received', exitCode: 2, notRun: ['kill-leader', 'random on sim (10 schedules)'], runs: [run] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 120_000);

it('refuses a bad count with the usage and exit 2', async () => {
  const r = await nightly(['--sim-runs', 'lots']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--sim-runs must be a whole number from 0 to 1000000, got "lots"');
});
