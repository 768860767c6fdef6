import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sweepTables } from './output.js';
import { runSweep, writeSweep } from './sweep.js';
import { parseSweepArgs } from './sweep-args.js';

const out = mkdtempSync(join(tmpdir(), 'rc-sweep-int-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe.each(['sim', 'process'] as const)('a tiny sweep on %s', (runtime) => {
  it('measures both ranges and writes the table, the chart with both curves, CSV and JSON', async () => {
    const dir = join(out, runtime);
    const args = parseSweepArgs(['--election-timeout', '100-200,150-300', '--nodes', '3', '--trials', '3', '--runtime', runtime, '--seed', '3', '--out', dir, '--time-limit', '45s']);
    const lines: string[] = [];
    const result = await runSweep(args, { onProgress: (l) => lines.push(l) });
    const files = await writeSweep(dir, result);
    expect(result.ranges.map((r) => r.label)).toEqual(['100-200', '150-300']);
    for (const r of result.ranges) {
      expect(r.trials.length).toBeGreaterThanOrEqual(1);
      expect(r.elected.n).toBeGreaterThanOrEqual(1);
      expect(r.elected.min).toBeGreaterThan(r.range.min / 2);
      // The trials came from scenario runs whose histories are kept beside the sweep's files.
      expect(r.runs.length).toBeGreaterThanOrEqual(1);
      for (const run of r.runs) expect(existsSync(join(dir, run, 'history.jsonl'))).toBe(true);
    }
    expect(lines.some((l) => /trial +1\/3/.test(l))).toBe(true);
    expect(sweepTables(result)).toMatch(/150-300 ms · heartbeat 50 ms/);
    const page = readFileSync(files.html, 'utf8');
    expect(page).toContain('data-series="100-200 ms measured');
    expect(page).toContain('data-series="150-300 ms measured');
    expect(readFileSync(files.csv, 'utf8').trim().split('\n').length).toBe(1 + result.ranges.reduce((a, r) => a + r.trials.length, 0));
    expect(JSON.parse(readFileSync(files.json, 'utf8')).ranges).toHaveLength(2);
  }, 60_000);
});
