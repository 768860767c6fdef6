import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { timeoutRange } from './timeout-range.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-timeout-range-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('timeout-range', () => {
  it('valid: timeouts at both ends of 150-300 ms', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 150 }, 10);
    h.event('n2', 'become-follower', 1, { leader: 'n1', reason: 'higher-term', electionTimeoutMs: 300 }, 12).end(100);
    const r = timeoutRange.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/All 2 election timeouts drawn lay in 150-300 ms/);
  });

  it('invalid: a timeout past the maximum, with its event as witness', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-pre-candidate', 0, { reason: 'election-timeout', electionTimeoutMs: 200 }, 10);
    h.event('n3', 'become-follower', 0, { leader: null, reason: 'pre-vote-lost', electionTimeoutMs: 412 }, 30).end(100);
    const r = timeoutRange.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/1 election timeout\(s\) outside 150-300 ms: n3 drew 412 ms \(become-follower, term 0, at 30 ms\)/);
    expect(r.witnesses).toHaveLength(1);
  });

  it('vacuous-pass guard: no reported timeout is not judged', () => {
    const h = new HistoryBuilder(nodes).start().event('n1', 'become-candidate', 1, { reason: 'x' }, 10).end(100);
    expect(timeoutRange.check(h.entries, h.ctx()).details?.['judged']).toBe(false);
  });

  it('--bug timeout-past-max: invalid in simulation (split-vote, seed 1)', async () => {
    const r = await runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, bugs: ['timeout-past-max'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'timeout-range')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/election timeout\(s\) outside \d+-\d+ ms: n\d drew/);
  });
});
