import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { scenarios } from '../../../scenarios/index.js';
import { EXIT_CODES, exitCodeForRun } from '../checkers/types.js';
import { runScenario } from './run-scenario.js';
import { parseScenarioArgs, runOptionsFrom } from '../cli/scenario-args.js';

const staggered = scenarios.find((s) => s.name === 'staggered-start')!;
const partitionLeader = scenarios.find((s) => s.name === 'partition-leader')!;
const dirs: string[] = [];
const freshDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'refusals-'));
  dirs.push(d);
  return join(d, 'reports');
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('runs that cannot run are refused before anything is written', () => {
  it('a staggered start on Docker (no late starts) is a ConfigError; no report directory is made', async () => {
    const reportDir = freshDir();
    const run = runScenario(staggered, { runtime: 'docker', reportDir, seed: 1 });
    await expect(run).rejects.toThrow(ConfigError);
    await expect(runScenario(staggered, { runtime: 'docker', reportDir, seed: 1 })).rejects.toThrow(/startDelaysMs .*not docker/);
    expect(() => readdirSync(reportDir)).toThrow(/ENOENT/);
  });

  it('a cluster too small for its faults is refused the same way', async () => {
    const reportDir = freshDir();
    await expect(runScenario(partitionLeader, { runtime: 'sim', nodes: 1, reportDir, seed: 1 })).rejects.toThrow(/--nodes 1 is not a cluster size/);
    expect(() => readdirSync(reportDir)).toThrow(/ENOENT/);
  });

  it('--disk for another subject (a test mode of our node only) is refused the same way', async () => {
    const reportDir = freshDir();
    const options = runOptionsFrom(parseScenarioArgs(['partition-leader', '--subject', 'course', '--node-command', 'python3 node.py', '--runtime', 'process', '--disk', 'lossy']));
    await expect(runScenario(partitionLeader, { ...options, runtime: 'process', reportDir, seed: 1 })).rejects.toThrow(/--disk lossy is a test mode of the project's own node.*subject course/);
    expect(() => readdirSync(reportDir)).toThrow(/ENOENT/);
  });

  it('disk faults on Docker, or for another subject, are refused the same way, naming the fault and why', async () => {
    const diskFail = { name: 'disk', description: 'd', steps: [{ repeat: 1, steps: [{ fault: { kind: 'disk-fail' as const, target: 'n1' }, holdMs: 100 }] }] };
    const reportDir = freshDir();
    await expect(runScenario(diskFail, { runtime: 'docker', reportDir, seed: 1 })).rejects.toThrow(/disk: disk-fail need a runtime that reaches each node's disk \(process or sim\); docker cannot/);
    const corrupt = { name: 'c', description: 'd', steps: [{ fault: { kind: 'corrupt-state' as const, target: 'n1' }, holdMs: 100 }] };
    const options = runOptionsFrom(parseScenarioArgs(['partition-leader', '--subject', 'course', '--node-command', 'python3 node.py', '--runtime', 'process']));
    await expect(runScenario(corrupt, { ...options, runtime: 'process', reportDir, seed: 1 })).rejects.toThrow(/corrupt-state fail or corrupt the disk of the project's own node.*subject course keeps its own disk/);
    expect(() => readdirSync(reportDir)).toThrow(/ENOENT/);
  });

  it('the same staggered start runs on the simulation', async () => {
    const reportDir = freshDir();
    const r = await runScenario(staggered, { runtime: 'sim', reportDir, seed: 1 });
    expect(r.error).toBeUndefined();
    expect(readdirSync(reportDir).length).toBeGreaterThan(0);
  });
});

describe('exit codes', () => {
  it('0 valid, 1 invalid, 2 unknown, 3 could not run; a violation seen wins over an error', () => {
    expect(exitCodeForRun({ verdict: 'valid' })).toBe(0);
    expect(exitCodeForRun({ verdict: 'invalid' })).toBe(1);
    expect(exitCodeForRun({ verdict: 'unknown' })).toBe(2);
    expect(exitCodeForRun({ verdict: 'unknown', error: new Error('port taken') })).toBe(3);
    expect(exitCodeForRun({ verdict: 'invalid', error: new Error('x') })).toBe(1);
    expect(new Set([EXIT_CODES.valid, EXIT_CODES.invalid, EXIT_CODES.unknown, EXIT_CODES.couldNotRun]).size).toBe(4);
  });
});
