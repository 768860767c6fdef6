import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

interface Step { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, unknown> }

describe('.github/workflows/nightly.yml', async () => {
  const text = await readFile(new URL('../../../.github/workflows/nightly.yml', import.meta.url), 'utf8');
  const wf = parse(text) as { on: Record<string, unknown>; jobs: Record<string, { 'runs-on': string; steps: Step[] }> };
  const jobs = Object.values(wf.jobs);
  const steps = jobs[0]!.steps;

  it('runs on a schedule and by hand', () => {
    expect(Array.isArray(wf.on['schedule'])).toBe(true);
    expect((wf.on['schedule'] as Array<{ cron: string }>)[0]!.cron).toMatch(/^\S+ \S+ \S+ \S+ \S+$/);
    expect(wf.on).toHaveProperty('workflow_dispatch');
    expect(jobs).toHaveLength(1);
  });

  it('checks out, sets up Node 20, installs with npm ci, starts Docker, runs the nightly on Docker', () => {
    const idx = (pred: (s: Step) => boolean): number => steps.findIndex(pred);
    const checkout = idx((s) => s.uses?.startsWith('actions/checkout@') ?? false);
    const node = idx((s) => s.uses?.startsWith('actions/setup-node@') ?? false);
    const ci = idx((s) => /^npm ci\b/m.test(s.run ?? ''));
    const docker = idx((s) => /docker/i.test(s.name ?? '') && /docker info/.test(s.run ?? ''));
    const nightly = idx((s) => /npm run nightly -- --runtime/.test(s.run ?? ''));
    expect([checkout, node, ci, docker, nightly].every((i) => i >= 0)).toBe(true);
    expect(checkout < node && node < ci && ci < docker && docker < nightly).toBe(true);
    expect(String(steps[node]!.with?.['node-version'])).toBe('20');
    expect(steps[nightly]!.run).toMatch(/'docker'/);
  });

  it('uploads reports/ as an artifact even when the run fails', () => {
    const upload = steps.find((s) => s.uses?.startsWith('actions/upload-artifact@'));
    expect(upload).toBeDefined();
    expect(upload!.if).toBe('always()');
    expect(upload!.with?.['path']).toBe('reports/');
    expect(steps.indexOf(upload!)).toBe(steps.length - 1);
  });
});
