import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUG_CASES } from '../../bench/bug-table.js';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from './run-scenario.js';

const reportDir = mkdtempSync(join(tmpdir(), 'rc-bugs-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

// Every check must be shown to catch the bug it exists for, on a real cluster: each node bug,
// run in a scenario that exposes it, must make the run invalid through one of the checks named
// for it. Only the rows measured as reliable (`npm run bench -- bugs`) run here; the others
// are in the README's table with their measured rates. On processes a bug that needs two timers
// to fire within milliseconds (vote-twice) depends on scheduling: measured 8 of 8 on a quiet
// machine, it was missed once in a CI run. So a process row gets up to ATTEMPTS seeds and must
// be caught under one of them; a simulated row is deterministic and gets one.
const reliable = BUG_CASES.filter((c) => c.reliable);
const ATTEMPTS = 3;

describe.each(reliable.map((c) => [`${c.bug} in ${c.scenario}${c.runtime ? ` (${c.runtime})` : ''}`, c] as const))('--bug %s', (_name, c) => {
  it(`is caught by ${c.catchers.join(' or ')}`, async () => {
    const scenario = await loadScenario(c.scenario);
    const runtime = c.runtime ?? 'process';
    const attempts = runtime === 'sim' ? 1 : ATTEMPTS;
    const missed: string[] = [];
    let caughtBy: string[] = [];
    for (let seed = 1; seed <= attempts && caughtBy.length === 0; seed++) {
      const r = await runScenario(scenario, { runtime, seed, bugs: [c.bug], reportDir, writeReport: false, ...c.options });
      const invalid = r.results.filter((x) => x.verdict === 'invalid').map((x) => x.name);
      caughtBy = invalid.filter((n) => c.catchers.includes(n));
      if (caughtBy.length > 0) expect(r.verdict).toBe('invalid');
      else missed.push(`seed ${seed}: ${r.results.map((x) => `${x.name}=${x.verdict}`).join(' ')}; replay: ${r.summary.replay}`);
    }
    expect(caughtBy, `not caught in ${attempts} run(s):\n${missed.join('\n')}`).not.toEqual([]);
  }, 180_000 * ATTEMPTS);
});

it('the table covers every deliberate bug of the node', async () => {
  const { BUG_NAMES } = await import('../../../node/src/core/bugs.js');
  expect(new Set(BUG_CASES.map((c) => c.bug))).toEqual(new Set(BUG_NAMES));
  expect(new Set(reliable.map((c) => c.bug)).size).toBeGreaterThanOrEqual(5);
});
