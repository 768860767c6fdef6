import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { EnvironmentError } from '../../../common/src/errors.js';

/** Where Debian's chromium lives (`apt-get install -y chromium`, or `bash .ci/chromium.sh`). */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** The flags this project's machines need for headless Chromium (see ENVIRONMENT.md). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** True when a Chromium binary is installed where `launchChromium` looks. */
export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

/** A headless Chromium with a fresh profile; `close()` ends it and removes the profile. */
export interface HeadlessBrowser {
  context: BrowserContext;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts headless Chromium (playwright-core, Debian's binary) with a fresh `--user-data-dir`.
 * Throws EnvironmentError when the binary is missing. Callers must `close()` it.
 */
export async function launchChromium(options: { width?: number; height?: number } = {}): Promise<HeadlessBrowser> {
  if (!chromiumAvailable()) {
    throw new EnvironmentError(`No Chromium at ${CHROMIUM_PATH}: run \`bash .ci/chromium.sh\` (or apt-get install -y chromium), or set CHROMIUM_PATH.`);
  }
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'raft-chaos-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: options.width ?? 1400, height: options.height ?? 900 },
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw new EnvironmentError(`Chromium at ${CHROMIUM_PATH} did not start: ${(err as Error).message}`, { cause: err });
  }
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await context.close().catch(() => undefined);
    await rm(profile, { recursive: true, force: true });
  };
  return { context, close, [Symbol.asyncDispose]: close };
}
