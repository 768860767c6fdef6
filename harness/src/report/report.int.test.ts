import { mkdtemp, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { checkAll, defaultCheckers } from '../checkers/index.js';
import type { RunStartEntry } from '../history/types.js';
import { chromiumGate, openWatched, withChromium } from '../test-support/chromium.js';
import { buildSummary } from './summary.js';
import { synthRun, type SynthOptions } from './synthetic-history.js';
import { writeReport } from './write-report.js';

// Real headless Chromium. Without it: skipped with a message, except under CI=true (fails).
const haveChromium = chromiumGate('report in Chromium', 'report browser tests');

const XSS = '<img src=x onerror=alert(1)>';

// Callbacks passed to page.evaluate/waitForFunction run in the page, where these exist; the
// project's tsconfig has no DOM lib.
declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any

async function reportOf(options: SynthOptions): Promise<{ url: string; dir: string; run: ReturnType<typeof synthRun> }> {
  const run = synthRun(options);
  const start = run.history[0] as RunStartEntry;
  const { results } = checkAll(run.history, { nodes: start.nodes, config: start.config });
  const dir = await mkdtemp(join(tmpdir(), 'report-int-'));
  await writeFile(join(dir, 'history.jsonl'), run.history.map((e) => JSON.stringify(e)).join('\n') + '\n');
  const files = await writeReport(dir, { history: run.history, results, summary: buildSummary(run.history, results) });
  return { url: pathToFileURL(files.html).href, dir, run };
}

interface Watched { page: Page; errors: string[]; requests: string[]; dialogs: string[] }

describe.skipIf(!haveChromium)('report in Chromium', () => {
  const chromium = withChromium({ width: 1400, height: 900 });

  async function open(url: string): Promise<Watched> {
    const requests: string[] = [];
    const dialogs: string[] = [];
    const opened = await openWatched(chromium.browser, url, {
      watch: (page) => {
        page.on('dialog', (d) => {
          dialogs.push(d.message());
          void d.dismiss();
        });
        page.on('request', (r) => {
          if (!r.url().startsWith('file:')) requests.push(r.url());
        });
      },
    });
    return { ...opened, requests, dialogs };
  }

  it('renders a partition-leader run: no console errors, one lane per node, a fault band, the verdict', async () => {
    const { url } = await reportOf({ seed: 7 });
    const w = await open(url);
    const { page } = w;
    expect(await page.locator('[data-node]').count()).toBe(3);
    expect(await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual(['n1', 'n2', 'n3']);
    expect(await page.locator('[data-fault]').count()).toBe(1);
    expect(await page.locator('[data-fault] text').first().textContent()).toMatch(/isolate leader n\d/);
    expect(await page.locator('[data-verdict]').textContent()).toMatch(/^VALID/);
    expect(await page.locator('[data-violation]').count()).toBe(0);
    expect(await page.locator('.leader-change').count()).toBe(2);
    expect(await page.locator('#replay').textContent()).toBe('npm run scenario partition-leader -- --seed 7 --nodes 3');
    expect(await page.locator('table.checks tbody tr').count()).toBe(defaultCheckers.length);
    expect(w.errors).toEqual([]);
    expect(w.requests).toEqual([]);
    await page.close();
  });

  it('zooms, pans, jumps and shows the sample under the pointer', async () => {
    const { url } = await reportOf({ seed: 7 });
    const { page, errors } = await open(url);
    const range = page.locator('#tl-range');
    const whole = await range.textContent();
    await page.click('#tl-in');
    await page.waitForFunction((before) => document.getElementById('tl-range')!.textContent !== before, whole);
    expect(await range.textContent()).toMatch(/of 6\d{3}(\.\d)? ms/);
    // Jump to the fault: the view narrows to it.
    const zoomed = await range.textContent();
    const faultOption = (await page.locator('#tl-jump option', { hasText: 'fault f1' }).textContent())!;
    await page.selectOption('#tl-jump', { label: faultOption });
    await page.waitForFunction((b) => document.getElementById('tl-range')!.textContent !== b, zoomed);
    expect(await range.textContent()).toMatch(/\(3\d{3}(\.\d)? ms of 6\d{3}(\.\d)? ms\)/);
    const atFault = await range.textContent();
    // Wheel zoom at the pointer into a ~200 ms window. The checks table above the timeline
    // pushes it below a 900 px window: bring it into view, or the pointer misses it.
    await page.locator('#timeline').scrollIntoViewIfNeeded();
    const box = (await page.locator('#timeline').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 150);
    for (let i = 0; i < 6; i++) await page.mouse.wheel(0, -300);
    await page.waitForTimeout(100);
    const span = await range.textContent();
    expect(span).toMatch(/\(\d+(\.\d)? ms of/);
    expect(span).not.toBe(atFault);
    // Drag pans.
    const before = await range.textContent();
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 - 200, box.y + 150, { steps: 5 });
    await page.mouse.up();
    await page.waitForTimeout(50);
    expect(await range.textContent()).not.toBe(before);
    // Hover over the n1 lane shows its sample.
    await page.click('#tl-fit');
    await page.waitForTimeout(50);
    const lane = (await page.locator('[data-node="n1"] rect').first().boundingBox())!;
    await page.mouse.move(lane.x + lane.width * 0.8, lane.y + lane.height / 2);
    const tip = page.locator('#tip');
    await expect.poll(async () => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/^n1 {2}at [\d.]+ ms\n(leader|follower|candidate|pre-candidate) · term \d+ · leader \S+ · votedFor (n\d+|none)/);
    expect(await tip.textContent()).toMatch(/identical polls?, /);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('marks a split brain on both leaders’ lanes with the explanation and witnesses', async () => {
    const { url, run } = await reportOf({ seed: 3, splitBrain: { atMs: 2000, holdMs: 400 } });
    const { page, errors } = await open(url);
    expect(await page.locator('[data-verdict]').textContent()).toMatch(/^INVALID/);
    const marks = page.locator('[data-violation="election-safety"]');
    expect(await marks.count()).toBeGreaterThanOrEqual(1);
    // Each mark line sits on a lane: find which lanes the marks cover.
    const lanesHit = await page.evaluate(() => {
      const lanes = [...document.querySelectorAll('[data-node]')].map((g) => {
        const r = g.querySelector('rect')!.getBoundingClientRect();
        return { node: g.getAttribute('data-node')!, top: r.top, bottom: r.bottom };
      });
      const hit = new Set<string>();
      for (const line of document.querySelectorAll('[data-violation] line')) {
        const r = line.getBoundingClientRect();
        const mid = (r.top + r.bottom) / 2;
        for (const l of lanes) if (mid >= l.top - 6 && mid <= l.bottom + 6) hit.add(l.node);
      }
      return [...hit].sort();
    });
    expect(lanesHit).toEqual([...run.splitBrain!.nodes].sort());
    const card = page.locator('.violation-card', { hasText: 'election-safety' });
    expect(await card.textContent()).toMatch(/term 2 had 2 leaders/i);
    expect(await card.locator('pre').textContent()).toMatch(/become-leader term 2/);
    expect(await page.locator('table.checks tr[data-check="election-safety"] .badge').textContent()).toBe('invalid');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a hostile node id as text and runs none of it', async () => {
    const { url } = await reportOf({ seed: 7, nodes: [XSS, 'n2', '"><script>alert(2)</script>'] });
    const page = await chromium.browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.addInitScript(() => {
      (window as unknown as { __alerts: string[] }).__alerts = [];
      window.alert = (m?: unknown) => void (window as unknown as { __alerts: string[] }).__alerts.push(String(m));
    });
    await page.goto(url);
    await page.waitForSelector('html[data-rendered="1"]');
    expect(await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual([XSS, 'n2', '"><script>alert(2)</script>']);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('header .facts').textContent()).toContain(XSS);
    expect(await page.locator(`[data-node="${XSS.replace(/"/g, '\\"')}"] title`).textContent()).toBe(XSS);
    expect(await page.evaluate(() => document.querySelectorAll('script').length)).toBe(2);
    await page.waitForTimeout(200);
    expect(await page.evaluate(() => (window as unknown as { __alerts: string[] }).__alerts)).toEqual([]);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('opens a 10-minute, 5-node run (60 000 polls) in a couple of seconds', async () => {
    const faults = Array.from({ length: 40 }, (_, i) => ({ kind: (['isolate-leader', 'kill-leader', 'pause-leader'] as const)[i % 3]!, holdMs: 3000 }));
    const { url, dir, run } = await reportOf({ nodes: 5, seed: 11, faults, gapMs: 11_800, recoveryMs: 4000 });
    expect(run.history.filter((e) => e.type === 'poll').length).toBeGreaterThan(55_000);
    const size = (await stat(join(dir, 'index.html'))).size;
    const t0 = performance.now();
    const { page, errors } = await open(url);
    const wallMs = performance.now() - t0;
    const [renderMs, readyAt] = await page.evaluate(() => {
      const w = window as unknown as { __reportRenderMs: number; __reportRenderedAt: number };
      return [w.__reportRenderMs, w.__reportRenderedAt];
    });
    console.log(
      `10-minute report: ${(size / 1024).toFixed(0)} KiB; drawn ${readyAt.toFixed(0)} ms after navigation start ` +
        `(timeline script ${renderMs.toFixed(0)} ms); ${wallMs.toFixed(0)} ms including opening a tab`,
    );
    expect(size).toBeLessThan(2_000_000);
    expect(readyAt).toBeLessThan(2000);
    expect(wallMs).toBeLessThan(6000);
    expect(await page.locator('[data-node]').count()).toBe(5);
    expect(await page.locator('[data-fault]').count()).toBe(40);
    // Zooming stays fast too.
    const z0 = performance.now();
    for (let i = 0; i < 5; i++) await page.click('#tl-in');
    await page.waitForTimeout(30);
    expect(performance.now() - z0).toBeLessThan(2000);
    expect(errors).toEqual([]);
    await page.close();
  });
});
