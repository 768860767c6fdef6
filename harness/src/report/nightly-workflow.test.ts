import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { nightlyShare } from '../cli/mutation-main.js';

interface Step { name?: string; id?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown>; env?: Record<string, string>; 'continue-on-error'?: boolean }
interface Job {
  'runs-on': string;
  'timeout-minutes'?: number;
  needs?: string | string[];
  if?: string;
  strategy?: { 'fail-fast'?: boolean; matrix?: Record<string, unknown> };
  outputs?: Record<string, string>;
  steps: Step[];
}

describe('.github/workflows/nightly.yml', async () => {
  const text = await readFile(new URL('../../../.github/workflows/nightly.yml', import.meta.url), 'utf8');
  const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, Job> };
  const { seed, shard, merge, mutation } = wf.jobs;
  const idx = (steps: Step[], pred: (s: Step) => boolean): number => steps.findIndex(pred);
  const needs = (j: Job | undefined) => [j?.needs ?? []].flat();

  it('runs on a schedule and by hand, as a seed job, a matrix of shards, a merge job and a mutation job', () => {
    expect(Array.isArray(wf.on['schedule'])).toBe(true);
    expect((wf.on['schedule'] as Array<{ cron: string }>)[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(Object.keys(wf.jobs).sort()).toEqual(['merge', 'mutation', 'seed', 'shard']);
    for (const j of Object.values(wf.jobs)) expect(j['runs-on']).toBe('ubuntu-latest');
  });

  it('fixes one date seed for the night before the shards start', () => {
    expect(seed!.outputs?.['seed']).toBe('${{ steps.seed.outputs.seed }}');
    const step = seed!.steps.find((s) => s.id === 'seed');
    expect(step?.run).toMatch(/seed=\$\(date -u \+%Y%m%d\)" >> "\$GITHUB_OUTPUT"/);
    expect(needs(shard)).toEqual(['seed']);
  });

  it('shards: a matrix 1..N that does not stop at the first failure', () => {
    const list = shard!.strategy?.matrix?.['shard'] as number[];
    expect(Array.isArray(list)).toBe(true);
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list).toEqual(list.map((_, i) => i + 1));
    expect(shard!.strategy?.['fail-fast']).toBe(false);
  });

  it('each shard checks out, sets up Node 20, installs with npm ci, starts Docker, runs its share on Docker with the night seed', () => {
    const steps = shard!.steps;
    const checkout = idx(steps, (s) => s.uses?.startsWith('actions/checkout@') ?? false);
    const node = idx(steps, (s) => s.uses?.startsWith('actions/setup-node@') ?? false);
    const ci = idx(steps, (s) => /^npm ci\b/m.test(s.run ?? ''));
    const docker = idx(steps, (s) => /docker/i.test(s.name ?? '') && /docker info/.test(s.run ?? ''));
    const nightly = idx(steps, (s) => /npm run nightly -- --runtime/.test(s.run ?? ''));
    expect([checkout, node, ci, docker, nightly].every((i) => i >= 0)).toBe(true);
    expect(checkout < node && node < ci && ci < docker && docker < nightly).toBe(true);
    expect(String(steps[node]!.with?.['node-version'])).toBe('20');
    const run = steps[nightly]!.run!;
    expect(run).toMatch(/'docker'/);
    // K/N from the matrix: N is the matrix's size, so adding a shard needs no other edit.
    expect(run).toContain('--shard ${{ matrix.shard }}/${{ strategy.job-total }}');
    expect(run).toContain('--seed "$NIGHT_SEED"');
    expect(steps[nightly]!.env?.['NIGHT_SEED']).toBe('${{ needs.seed.outputs.seed }}');
  });

  it('each shard uploads its reports/ as an artifact named by its shard, even when it fails', () => {
    const steps = shard!.steps;
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toBeDefined();
    expect(upload!.if).toBe('always()');
    expect(upload!.with?.['path']).toBe('reports/');
    expect(upload!.with?.['name']).toBe('nightly-shard-${{ matrix.shard }}');
    expect(steps.indexOf(upload!)).toBe(steps.length - 1);
  });

  it('the merge job runs after every shard, whatever they did, downloads their artifacts and merges them', () => {
    expect(needs(merge)).toEqual(['shard']);
    expect(merge!.if).toBe('always()');
    const steps = merge!.steps;
    const ci = idx(steps, (s) => /^npm ci\b/m.test(s.run ?? ''));
    const download = idx(steps, (s) => s.uses?.startsWith('actions/download-artifact@') ?? false);
    const merging = idx(steps, (s) => /npm run nightly -- --merge /.test(s.run ?? ''));
    const upload = idx(steps, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false);
    expect([ci, download, merging, upload].every((i) => i >= 0)).toBe(true);
    expect(ci < merging && download < merging && merging < upload).toBe(true);
    // The download pattern matches the shards' artifact names, each into shards/<name>/.
    const pattern = String(steps[download]!.with?.['pattern']);
    expect(new RegExp(`^${pattern.replace('*', '.*')}$`).test('nightly-shard-3')).toBe(true);
    expect(steps[download]!.with?.['path']).toBe('shards/');
    expect(steps[download]!.with?.['merge-multiple']).toBeUndefined();
    expect(steps[merging]!.run).toMatch(/shards\/\*\//);
    expect(steps[merging]!.run).toContain('--report-dir reports');
    // The merged night is kept and summarised even when the merge fails.
    expect(steps[upload]!.if).toBe('always()');
    expect(steps[upload]!.with?.['path']).toBe('reports/');
    expect(upload).toBe(steps.length - 1);
    // Earlier nights' reports come back from the cache before the merge and go back after it
    // (pruned to 30 days), so the index's trends span nights.
    const restore = idx(steps, (s) => s.uses?.startsWith('actions/cache/restore@') ?? false);
    const save = idx(steps, (s) => s.uses?.startsWith('actions/cache/save@') ?? false);
    expect(restore >= 0 && restore < merging && merging < save).toBe(true);
    expect(steps[restore]!.with?.['path']).toBe('reports/');
    expect(String(steps[restore]!.with?.['restore-keys'])).toMatch(/^nightly-reports-/);
    expect(steps[save]!.with).toMatchObject({ path: 'reports/', key: steps[restore]!.with?.['key'] });
    expect(steps[save]!.if).toBe('always()');
    const summary = steps.find((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ''));
    expect(summary?.if).toBe('always()');
    expect(summary?.run).toContain('reports/nightly-summary.md');
  });

  it("the mutation job runs tonight's share of the mutation score beside the shards (a sharded night leaves it out)", () => {
    expect(needs(mutation)).toEqual(['seed']);
    expect(mutation!.strategy).toBeUndefined();
    expect(mutation!['timeout-minutes']).toBeGreaterThan(0);
    const steps = mutation!.steps;
    const ci = idx(steps, (s) => /^npm ci\b/m.test(s.run ?? ''));
    const pick = idx(steps, (s) => s.id === 'share');
    const run = idx(steps, (s) => /npm run mutation -- --share "\$SHARE"/.test(s.run ?? ''));
    const upload = idx(steps, (s) => s.uses?.startsWith('actions/upload-artifact@') ?? false);
    expect([ci, pick, run, upload].every((i) => i >= 0)).toBe(true);
    expect(ci < run && pick < run && run < upload).toBe(true);
    // The share comes from the night's seed (its date), not the clock of the job.
    expect(steps[pick]!.env?.['NIGHT_SEED']).toBe('${{ needs.seed.outputs.seed }}');
    expect(steps[run]!.env?.['SHARE']).toBe('${{ steps.share.outputs.share }}');
    // The run's exit code reaches the job through the tee, so a mutation run that could not run fails it.
    expect(steps[run]!.run).toMatch(/set -o pipefail/);
    // Simulated searches only: no Docker in this job.
    expect(steps.some((s) => /docker/i.test(`${s.name ?? ''} ${s.run ?? ''}`))).toBe(false);
    expect(steps[upload]!.if).toBe('always()');
    expect(steps[upload]!.with?.['path']).toBe('reports/mutation/');
    expect(steps.find((s) => /GITHUB_STEP_SUMMARY/.test(s.run ?? ''))?.if).toBe('always()');
  });

  it("the mutation job's share is the one an unsharded night picks for that date (day of year mod 5)", () => {
    const pick = mutation!.steps.find((s) => s.id === 'share')!.run!;
    const dir = mkdtempSync(join(tmpdir(), 'rc-nightly-share-'));
    try {
      for (const day of ['2026-01-01', '2026-01-05', '2026-01-06', '2026-03-01', '2026-12-06', '2028-12-31']) {
        const output = join(dir, day);
        execFileSync('bash', ['-c', pick], { env: { ...process.env, NIGHT_SEED: day.replace(/-/g, ''), GITHUB_OUTPUT: output } });
        expect(readFileSync(output, 'utf8').trim(), day).toBe(`share=${nightlyShare(new Date(`${day}T03:17:00Z`), 5)}`);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

