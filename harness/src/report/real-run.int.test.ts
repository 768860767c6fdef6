import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../runner/run-scenario.js';
import { findScenario } from '../scenario/load.js';
import { chromiumAvailable, launchChromium } from './browser.js';

declare const document: any; // eslint-disable-line @typescript-eslint/no-explicit-any

const reportDir = mkdtempSync(join(tmpdir(), 'rc-real-report-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

// Issue 6's promise, on a real run: after `partition-leader` on processes, its index.html opens
// in Chromium and shows the lanes, the fault band, the new leader and the verdict.
describe.skipIf(!chromiumAvailable() && process.env['CI'] !== 'true')('report of a real partition-leader run', () => {
  it('shows one lane per node, the fault band, the new leader and the verdict, with no console errors', async () => {
    const r = await runScenario(findScenario('partition-leader')!, { runtime: 'process', seed: 5, reportDir });
    expect(r.verdict).toBe('valid');
    const browser = await launchChromium({ width: 1400, height: 900 });
    try {
      const page = await browser.context.newPage();
      const errors: string[] = [];
      page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(pathToFileURL(join(r.dir, 'index.html')).href);
      await page.waitForSelector('html[data-rendered="1"]', { timeout: 15_000 });
      expect(await page.locator('[data-node]').evaluateAll((els) => els.map((e) => e.getAttribute('data-node')))).toEqual(['n1', 'n2', 'n3']);
      expect(await page.locator('[data-fault]').count()).toBeGreaterThanOrEqual(1);
      const text: string = await page.evaluate(() => document.body.innerText);
      expect(text).toContain('VALID');
      const timed = r.results.find((c) => c.name === 'election-time')!.details!['failovers'] as Array<{ kind: string; leader?: string; term?: number }>;
      const newLeader = timed.find((f) => f.kind === 'fault' && f.leader);
      expect(newLeader).toBeDefined();
      expect(text).toContain(`${newLeader!.leader} became leader of term ${newLeader!.term}`);
      expect(errors).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);
});
