import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BUG_CASES } from '../../bench/bug-table.js';
import { findScenario } from '../scenario/load.js';
import { runScenario } from './run-scenario.js';

const reportDir = mkdtempSync(join(tmpdir(), 'rc-bugs-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

// Every check must be shown to catch the bug it exists for, on a real cluster: each node bug,
// run in a scenario that exposes it, must make the run invalid through one of the checks named
// for it. Only the rows measured as reliable (`npm run bench -- bugs`) run here; the others
// are in the README's table with their measured rates.
const reliable = BUG_CASES.filter((c) => c.reliable);

describe.each(reliable.map((c) => [`${c.bug} in ${c.scenario}${c.runtime ? ` (${c.runtime})` : ''}`, c] as const))('--bug %s', (_name, c) => {
  it(`is caught by ${c.catchers.join(' or ')}`, async () => {
    const scenario = findScenario(c.scenario)!;
    const r = await runScenario(scenario, { runtime: c.runtime ?? 'process', seed: 1, bugs: [c.bug], reportDir, writeReport: false, ...c.options });
    const invalid = r.results.filter((x) => x.verdict === 'invalid').map((x) => x.name);
    expect(invalid, `checks: ${r.results.map((x) => `${x.name}=${x.verdict}`).join(' ')}; replay: ${r.summary.replay}`).toEqual(
      expect.arrayContaining([expect.toSatisfy((n: string) => c.catchers.includes(n))]),
    );
    expect(r.verdict).toBe('invalid');
  }, 180_000);
});

it('the table covers every deliberate bug of the node', async () => {
  const { BUG_NAMES } = await import('../../../node/src/core/bugs.js');
  expect(new Set(BUG_CASES.map((c) => c.bug))).toEqual(new Set(BUG_NAMES));
  expect(new Set(reliable.map((c) => c.bug)).size).toBeGreaterThanOrEqual(5);
});
