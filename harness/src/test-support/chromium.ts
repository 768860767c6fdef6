import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, type HeadlessBrowser } from '../report/browser.js';

/**
 * The gate of the browser tests: whether Chromium is here. Without it they are skipped with a
 * visible message naming `what`, except under `CI=true`, where the suite `suite` gets one test
 * that fails saying Chromium is needed (a silent skip would look green and test nothing).
 */
export function chromiumGate(suite: string, what: string): boolean {
  if (chromiumAvailable()) return true;
  const msg = `${what}: no Chromium at ${CHROMIUM_PATH}; run \`bash .ci/chromium.sh\``;
  if (process.env['CI'] === 'true') {
    describe(suite, () => {
      it('needs Chromium under CI', () => {
        throw new Error(msg);
      });
    });
  } else console.warn(`SKIPPED ${msg}`);
  return false;
}

/**
 * Opens `url` in a new page of `browser` and waits (15 s at most) for `ready`: the page with the
 * console errors and warnings and the page errors it gave (`watch` adds listeners of its own
 * before the page loads).
 */
export async function openWatched(
  browser: HeadlessBrowser,
  url: string,
  opts: { ready?: string; watch?: (page: Page) => void } = {},
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  opts.watch?.(page);
  await page.goto(url);
  await page.waitForSelector(opts.ready ?? 'html[data-rendered="1"]', { timeout: 15_000 });
  return { page, errors };
}

/**
 * A headless Chromium of this window size, launched before the tests of the enclosing
 * `describe` and closed after them: call it inside the describe, read `browser` inside tests.
 */
export function withChromium(size: { width: number; height: number }): { readonly browser: HeadlessBrowser } {
  let browser: HeadlessBrowser | undefined;
  beforeAll(async () => {
    browser = await launchChromium(size);
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('Chromium is not launched yet: read browser inside a test');
      return browser;
    },
  };
}
