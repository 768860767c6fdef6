import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const MAIN = join(import.meta.dirname, 'nightly-main.ts');
const reportDir = mkdtempSync(join(tmpdir(), 'rc-nightly-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

/** Runs `npm run nightly -- ...args` as a user would. */
function nightly(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

it('runs the chosen scenarios and a simulated random search, writes the index and one JUnit file, and prints its replay', async () => {
  const r = await nightly(['--only', 'baseline', '--sim-runs', '300', '--runtime', 'process', '--seed', '7', '--report-dir', reportDir]);
  expect(r.code, r.stdout + r.stderr).toBe(0);
  expect(r.stdout).toMatch(/\| baseline \| valid \|/);
  expect(r.stdout).toMatch(/\| random on sim \(300 schedules\) \| valid \|/);
  expect(r.stdout).toContain('nightly: 2 runs: 2 valid, 0 invalid, 0 unknown');
  expect(r.stdout).toContain('replay: npm run nightly -- --seed 7 --runtime process --only baseline --sim-runs 300');
  // The simulated search ran every schedule it was asked for.
  const search = readdirSync(reportDir).find((d) => existsSync(join(reportDir, d, 'search.json')))!;
  expect(JSON.parse(readFileSync(join(reportDir, search, 'search.json'), 'utf8')).counts.runs).toBe(300);
  expect(readFileSync(join(reportDir, 'junit.xml'), 'utf8')).toContain('baseline');
  expect(existsSync(join(reportDir, 'index.html'))).toBe(true);
}, 120_000);

it('refuses a bad count with the usage and exit 2', async () => {
  const r = await nightly(['--sim-runs', 'lots']);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('--sim-runs must be a whole number from 0 to 1000000, got "lots"');
});
