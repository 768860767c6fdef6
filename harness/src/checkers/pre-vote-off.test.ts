import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { preVoteOff } from './pre-vote-off.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
const off = () => new HistoryBuilder(nodes, testConfig({ preVote: false })).start();
const dir = mkdtempSync(join(tmpdir(), 'rc-pre-vote-off-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pre-vote-off', () => {
  it('valid: with Pre-Vote off, campaigns are plain candidacies', () => {
    const h = off();
    h.event('n1', 'become-candidate', 1, { reason: 'election-timeout' }, 200);
    h.event('n2', 'vote', 1, { candidate: 'n1', granted: true, preVote: false, requestTerm: 1 }, 202).end(500);
    const r = preVoteOff.check(h.entries, h.ctx());
    expect(judgement(r)).toBe('ok');
    expect(r.message).toMatch(/1 campaign sign/);
  });

  it('invalid: a pre-candidate, a pre-vote answered and a pre-candidate polled, with Pre-Vote off', () => {
    const h = off();
    h.event('n1', 'become-pre-candidate', 0, { reason: 'election-timeout' }, 200);
    h.event('n2', 'vote', 0, { candidate: 'n1', granted: true, preVote: true, requestTerm: 1 }, 202);
    h.poll('n3', { term: 0, state: 'follower', role: 'pre-candidate' }, 210).end(500);
    const r = preVoteOff.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/3 sign\(s\) of pre-vote rounds: n1 became pre-candidate in term 0 at 200 ms; n2 answered a pre-vote request of n1 in term 0 at 202 ms; n3 was polled as pre-candidate/);
    expect(r.witnesses).toHaveLength(3);
  });

  it('not applicable with Pre-Vote on, or for a subject without a Pre-Vote setting; not judged without a campaign', () => {
    const on = new HistoryBuilder(nodes).start().event('n1', 'become-pre-candidate', 0, {}, 200).end(500);
    expect(judgement(preVoteOff.check(on.entries, on.ctx()))).toBe('not applicable');
    const h = off().event('n1', 'become-pre-candidate', 0, {}, 200).end(500);
    const caps = { preVote: false, checkQuorum: false, votedFor: false, events: false, durable: true, electionTimeout: false, heartbeatInterval: false, simulated: false };
    expect(judgement(preVoteOff.check(h.entries, { ...h.ctx(), subject: { name: 'course', source: 'builtin', capabilities: caps } }))).toBe('not applicable');
    const quiet = off().steady(0, 500, { term: 1, leader: 'n1' }).end(500);
    expect(judgement(preVoteOff.check(quiet.entries, quiet.ctx()))).toBe('not judged');
  });

  it('--bug pre-vote-when-off: invalid in simulation (split-vote, Pre-Vote off, seed 1)', async () => {
    const r = await runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, preVote: false, bugs: ['pre-vote-when-off'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'pre-vote-off')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/became pre-candidate in term 0/);
  });
});
