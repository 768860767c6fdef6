/**
 * Renders the report of a synthetic partition-leader run (or of a given history) and saves a
 * PNG screenshot of it:
 * `npx tsx harness/src/cli/screenshot-main.ts [--html index.html] [--seed S] [--out FILE] [--width W] [--full] [--jump TEXT] [--element CSS]`
 * (`--jump` picks the first entry of the timeline's jump list containing TEXT; `--element`
 * shoots only the first element matching CSS, e.g. `#timeline`).
 * Default output: docs/report-screenshot.png.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launchChromium } from '../report/browser.js';
import { checkAll } from '../checkers/index.js';
import type { RunStartEntry } from '../history/types.js';
import { synthRun } from '../report/synthetic-history.js';
import { renderReportHtml } from '../report/write-report.js';

const args = process.argv.slice(2);
const flag = (name: string): string | undefined => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const out = resolve(flag('--out') ?? 'docs/report-screenshot.png');
const width = Number(flag('--width') ?? 1280);
const html = flag('--html');

let file: string;
if (html) file = resolve(html);
else {
  const run = synthRun({ seed: Number(flag('--seed') ?? 7), faults: [{ kind: 'isolate-leader', holdMs: 3000 }] });
  const dir = await mkdtemp(join(tmpdir(), 'raft-chaos-shot-'));
  file = join(dir, 'index.html');
  const start = run.history[0] as RunStartEntry;
  const { results } = checkAll(run.history, { nodes: start.nodes, config: start.config, ...(start.subject ? { subject: start.subject } : {}) });
  await writeFile(file, renderReportHtml(run.history, results));
}
const browser = await launchChromium({ width, height: 900 });
try {
  const page = await browser.context.newPage();
  page.on('console', (m) => console.log(`[console.${m.type()}] ${m.text()}`));
  page.on('pageerror', (e) => console.log(`[pageerror] ${e.message}`));
  await page.goto(pathToFileURL(file).href);
  // A run report draws its timeline by script; the index of all runs is static.
  if (await page.locator('#report-data').count()) await page.waitForSelector('html[data-rendered="1"]');
  const jump = flag('--jump');
  if (jump) {
    const label = await page.locator('#tl-jump option', { hasText: jump }).first().textContent();
    if (label) await page.selectOption('#tl-jump', { label });
    await page.waitForTimeout(100);
  }
  await mkdir(dirname(out), { recursive: true });
  const element = flag('--element');
  if (element) await page.locator(element).first().screenshot({ path: out, type: 'png' });
  else await page.screenshot({ path: out, fullPage: args.includes('--full'), type: 'png' });
  console.log(`wrote ${out} from ${file}`);
} finally {
  await browser.close();
}
