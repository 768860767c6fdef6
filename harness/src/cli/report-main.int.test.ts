import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { defaultCheckers } from '../checkers/index.js';
import { rebuildReport } from '../report/rebuild.js';
import { synthRun, type SynthOptions } from '../report/synthetic-history.js';

const MAIN = fileURLToPath(new URL('./report-main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));

async function historyFile(options: SynthOptions): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'report-main-'));
  const file = join(dir, 'history.jsonl');
  await writeFile(file, synthRun(options).history.map((e) => JSON.stringify(e)).join('\n') + '\n');
  return { dir, file };
}

describe('rebuildReport', () => {
  it('re-checks a history and rewrites the report beside it, keeping the runner’s other summary fields', async () => {
    const { dir, file } = await historyFile({ seed: 7 });
    await writeFile(join(dir, 'summary.json'), JSON.stringify({ verdict: 'invalid', runnerField: 42 }));
    const r = await rebuildReport(file);
    expect(r.verdict).toBe('valid');
    const summary = JSON.parse(await readFile(join(dir, 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ verdict: 'valid', runnerField: 42, scenario: 'partition-leader', seed: 7 });
    expect(await readFile(join(dir, 'index.html'), 'utf8')).toContain('data-verdict="valid"');
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain(`tests="${defaultCheckers.length}" failures="0" errors="0"`);
  });

  it('refuses a file that is not a history of a run', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'report-main-'));
    await writeFile(join(dir, 'h.jsonl'), '{"type":"poll","t":1,"wall":1,"node":"n1","outcome":"ok","latencyMs":1}\n');
    await expect(rebuildReport(join(dir, 'h.jsonl'))).rejects.toThrow(/no run-start entry/);
  });
});

describe('npm run report (report-main.ts)', () => {
  const run = (args: string[]) => execa(TSX, [MAIN, ...args], { reject: false, timeout: 60_000 });

  it('exits 0 for a valid run and 1 for a split brain, writing into --out', async () => {
    const ok = await historyFile({ seed: 7 });
    const r0 = await run([ok.file]);
    expect(r0.exitCode).toBe(0);
    expect(r0.stdout).toMatch(/verdict: VALID/);
    expect(r0.stdout).toContain(join(ok.dir, 'index.html'));

    const bad = await historyFile({ seed: 3, splitBrain: { atMs: 2000, holdMs: 400 } });
    const out = await mkdtemp(join(tmpdir(), 'report-out-'));
    const r1 = await run([bad.file, '--out', out]);
    expect(r1.exitCode).toBe(1);
    expect(r1.stdout).toMatch(/invalid\s+election-safety: Split brain: term 2/);
    expect(await readFile(join(out, 'index.html'), 'utf8')).toContain('data-verdict="invalid"');
  });

  it('exits 2 with a usage message for bad arguments or a missing file', async () => {
    const none = await run([]);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toMatch(/missing the history file[\s\S]*usage: npm run report/);
    const bad = await run(['x.jsonl', '--frobnicate']);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/unknown option --frobnicate/);
    const missing = await run(['/nonexistent/history.jsonl']);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/no such file/);
    const empty = await mkdtemp(join(tmpdir(), 'report-empty-'));
    const noHistory = await run([empty]);
    expect(noHistory.exitCode).toBe(2);
    expect(noHistory.stderr).toMatch(/no such file: .*history\.jsonl/);
  });

  it('takes a run directory for its history', async () => {
    const ok = await historyFile({ seed: 7 });
    const r = await run([ok.dir]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(join(ok.dir, 'index.html'));
  });
});
