import { mkdtemp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../checkers/types.js';
import { buildJUnit } from './junit.js';
import { combineJUnit, writeCombinedJUnit } from './junit-combine.js';
import { synthRun } from './synthetic-history.js';

const run = synthRun({ seed: 7, nodes: ['<img src=x onerror=alert(1)>', 'n2', 'n3'] });
const results: CheckResult[] = [
  { name: 'election-safety', verdict: 'invalid', message: 'term 2 had two leaders: <n1> & "n3"', witnesses: run.history.filter((e) => e.type === 'poll').slice(0, 2) },
  { name: 'election-time', verdict: 'unknown', message: 'no leader to remove', witnesses: [] },
  { name: 'observation', verdict: 'valid', message: 'fine', witnesses: [] },
];

describe('buildJUnit', () => {
  const xml = buildJUnit(run.history, results);
  it('has one testcase per check: invalid is a failure, unknown an error, valid passes', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3);
    expect(xml).toMatch(/<testcase [^>]*name="election-safety"[^>]*>\s*<failure type="invalid"/);
    expect(xml).toMatch(/<testcase [^>]*name="election-time"[^>]*>\s*<error type="unknown"/);
    expect(xml).toMatch(/<testcase [^>]*name="observation"[^>]*><\/testcase>/);
    expect(xml).toMatch(/<testsuite name="raft-chaos.partition-leader" tests="3" failures="1" errors="1"/);
    expect(xml).toContain('replay: npm run scenario partition-leader');
  });
  it('escapes messages and witnesses', () => {
    expect(xml).toContain('term 2 had two leaders: &lt;n1&gt; &amp; &quot;n3&quot;');
    expect(xml).not.toContain('<img');
    expect(xml).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
  it('makes a run with no checks an error, not a silent pass', () => {
    expect(buildJUnit(run.history, [])).toMatch(/<error type="unknown" message="no checker ran">/);
  });
});

describe('combineJUnit', () => {
  it('keeps every suite and sums the totals', () => {
    const a = buildJUnit(run.history, results);
    const b = buildJUnit(run.history, [results[2]!]);
    const all = combineJUnit([a, b]);
    expect(all.match(/<testsuite /g)).toHaveLength(2);
    expect(all).toMatch(/<testsuites name="raft-chaos" tests="4" failures="1" errors="1"/);
  });
  it('fails loudly when nothing ran', () => {
    expect(combineJUnit([])).toMatch(/errors="1"[\s\S]*no scenario ran/);
  });
  it('writes reports/junit.xml from the run directories', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'junit-'));
    for (const [name, rs] of [['r1', results], ['r2', [results[2]!]]] as const) {
      await mkdir(join(dir, name));
      await writeFile(join(dir, name, 'junit.xml'), buildJUnit(run.history, rs));
    }
    await mkdir(join(dir, 'empty'));
    const r = await writeCombinedJUnit(dir);
    expect(r).toMatchObject({ runs: 2, failures: 1, errors: 1 });
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('tests="4"');
  });
});

describe('buildJUnit timestamp', () => {
  it('is when the harness ran the run: a simulated run is stamped by its folder, not its virtual 2000-01-01', () => {
    const sim = run.history.map((e) => (e.type === 'run-start' ? { ...e, runtime: 'sim', wall: Date.UTC(2000, 0, 1) } : e));
    expect(buildJUnit(sim, results, '20261206-010203045-partition-leader-s7-sim0abc12')).toContain('timestamp="2026-12-06T01:02:03"');
    expect(buildJUnit(sim, results)).not.toContain('timestamp="2000');
    expect(buildJUnit(run.history, results)).toContain('timestamp="2025-01-15T02:00:00"');
  });
});
