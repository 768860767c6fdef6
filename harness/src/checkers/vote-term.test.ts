import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { voteTerm } from './vote-term.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-vote-term-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vote-term', () => {
  it('valid: votes granted for the term asked, pre-votes for a term above the voter’s; refusals are not judged', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n2', 'vote', 3, { candidate: 'n1', granted: true, preVote: false, requestTerm: 3 }, 10);
    h.event('n3', 'vote', 2, { candidate: 'n1', granted: true, preVote: true, requestTerm: 3 }, 5);
    h.event('n3', 'vote', 5, { candidate: 'n1', granted: false, preVote: false, requestTerm: 3, reason: 'stale-term' }, 20).end(100);
    const r = voteTerm.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/2 votes/);
  });

  it('invalid: a vote granted in term 5 to a RequestVote of term 3 (Figure 2, RequestVote rule 1), and a pre-vote for the voter’s own term', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n3', 'vote', 5, { candidate: 'n1', granted: true, preVote: false, requestTerm: 3 }, 20);
    h.event('n2', 'vote', 4, { candidate: 'n1', granted: true, preVote: true, requestTerm: 4 }, 30).end(100);
    const r = voteTerm.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 in term 5 granted n1 a vote asked for term 3 at 20 ms; n2 in term 4 granted n1 a pre-vote asked for term 4/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('vacuous-pass guard: no granted vote with requestTerm is not judged', () => {
    const h = new HistoryBuilder(nodes).start().event('n2', 'vote', 3, { candidate: 'n1', granted: true, preVote: false }, 10).end(100);
    const r = voteTerm.check(h.entries, h.ctx());
    expect(r.details?.['judged']).toBe(false);
  });

  it('--bug grant-stale-term: invalid in simulation (flapping, Pre-Vote off, seed 2)', async () => {
    const r = await runScenario(findScenario('flapping')!, { runtime: 'sim', seed: 2, preVote: false, bugs: ['grant-stale-term'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'vote-term')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/granted n\d a vote asked for term \d+/);
  });
});
