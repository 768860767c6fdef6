import { describe } from 'vitest';
import type { NodeSettings } from '../runtime/types.js';
import { httpGet } from './containers.js';
import { detectDocker } from './engine.js';

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
  return {
    electionTimeoutMin: 150,
    electionTimeoutMax: 300,
    heartbeatInterval: 50,
    rpcTimeout: 75,
    preVote: true,
    checkQuorum: true,
    bugs: [],
    logLevel: 'info',
    seed: 7,
    ...overrides,
  };
}

export interface StatusView {
  id: string;
  state: string;
  term: number;
  leader: string | null;
}

/** One `/status` of every node (null for nodes that do not answer). */
export async function statuses(urls: Record<string, string>): Promise<Record<string, StatusView | null>> {
  const out: Record<string, StatusView | null> = {};
  await Promise.all(
    Object.entries(urls).map(async ([node, url]) => {
      try {
        const res = await httpGet(`${url}/status`, 500);
        out[node] = JSON.parse(res.body) as StatusView;
      } catch {
        out[node] = null;
      }
    }),
  );
  return out;
}

/**
 * Polls `/status` until one node leads a term that a majority of the whole cluster reports
 * with that leader (and satisfies `accept`), or throws after `timeoutMs` with the last view.
 */
export async function waitForLeader(
  urls: Record<string, string>,
  options: { timeoutMs?: number; accept?: (leader: string, term: number) => boolean } = {},
): Promise<{ leader: string; term: number }> {
  const deadline = Date.now() + (options.timeoutMs ?? 15_000);
  const majority = Math.floor(Object.keys(urls).length / 2) + 1;
  let last: Record<string, StatusView | null> = {};
  while (Date.now() < deadline) {
    last = await statuses(urls);
    for (const s of Object.values(last)) {
      if (s?.state !== 'leader') continue;
      const followers = Object.values(last).filter((o) => o?.term === s.term && o.leader === s.id).length;
      if (followers >= majority && (options.accept?.(s.id, s.term) ?? true)) return { leader: s.id, term: s.term };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`no settled leader within ${options.timeoutMs ?? 15_000} ms; last view: ${JSON.stringify(last)}`);
}
