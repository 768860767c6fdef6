import { describe } from 'vitest';
import type { NodeSettings } from '../runtime/types.js';
import { nodeSettings } from '../runtime/node-settings.js';
import { detectDocker } from '../runtime/docker/engine.js';

/**
 * The gate of the Docker integration tests. Without an engine they are skipped with a visible
 * message, except under `CI=true`, where the suite runs and its first hook fails with the
 * no-engine error (a silent skip would look green and test nothing).
 */
export const engine = await detectDocker();
const ci = process.env.CI === 'true';
if (!engine.available && !ci) {
  console.warn(`\n*** SKIPPING Docker integration tests: ${engine.reason}\n`);
}

/** `describe` for tests that need an engine (see above). */
export function describeDocker(name: string, body: () => void): void {
  if (engine.available || ci) describe(name, body);
  else describe.skip(`${name} [SKIPPED: no Docker engine answers; set CI=true to make this fail]`, body);
}

/** The engine, or the no-engine error (in CI). Call it first in `beforeAll`. */
export function requireEngine() {
  if (!engine.available) throw engine.error;
  return engine.docker;
}

/** Fast, election-friendly settings for tests. */
export function testSettings(overrides: Partial<NodeSettings> = {}): NodeSettings {
  return nodeSettings({ logLevel: 'info', seed: 7, ...overrides });
}

export { statuses, waitForLeader, type StatusView } from '../runtime/docker/status-probe.js';
