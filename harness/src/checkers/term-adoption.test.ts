import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { describeEntry } from '../report/witness.js';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { termAdoption } from './term-adoption.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-term-adoption-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('term-adoption', () => {
  it('valid: a node handed a newer term (AppendEntries, a vote reply) reports it from that step on; pre-vote requests and granted pre-votes set nothing', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n3', 'become-follower', 1, { leader: 'n1', reason: 'x' }, 10);
    h.poll('n3', { term: 1, leader: 'n1' }, 20);
    // n2's AppendEntries of term 3 reaches n3 at term 1: it adopts 3 in the same step.
    h.delivery('n3', { id: 1, from: 'n2', rpc: 'append-entries', msg: 'request', term: 3, nodeTerm: 1, events: 2 }, 100);
    h.event('n3', 'term', 3, { from: 1, to: 3, reason: 'higher-term:append-entries' }, 100);
    h.event('n3', 'become-follower', 3, { leader: 'n2', reason: 'higher-term:append-entries' }, 100);
    h.poll('n3', { term: 3, leader: 'n2' }, 120);
    // A pre-vote for term 5 (n1 would start it) and n1's granted pre-vote reply of term 5: no obligation.
    h.delivery('n3', { id: 2, from: 'n1', rpc: 'pre-vote', msg: 'request', term: 5, nodeTerm: 3, candidate: 'n1', events: 1 }, 130);
    h.event('n3', 'vote', 3, { candidate: 'n1', granted: true, preVote: true, reason: 'granted', requestTerm: 5 }, 130);
    h.delivery('n1', { id: 3, from: 'n3', rpc: 'pre-vote', msg: 'reply', term: 5, granted: true, nodeTerm: 4, candidate: 'n1', requestTerm: 5, re: 2 }, 131);
    h.poll('n1', { term: 4, leader: null }, 140);
    h.poll('n3', { term: 3, leader: 'n2' }, 150).end(200);
    const r = termAdoption.check(h.entries, h.ctx());
    expect(judgement(r)).toBe('ok');
    expect(r.message).toMatch(/1 message\(s\) with a newer term; 5 later events and polls/);
  });

  it('invalid: a candidate refused with a newer term keeps its own (Figure 2, all servers), shown by its next poll and event', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-candidate', 2, { reason: 'x', electionTimeoutMs: 200 }, 10);
    h.delivery('n1', { id: 7, from: 'n2', rpc: 'request-vote', msg: 'reply', term: 4, granted: false, nodeTerm: 2, candidate: 'n1', requestTerm: 2, re: 6 }, 50);
    h.poll('n1', { term: 2, state: 'candidate', leader: null }, 60);
    h.event('n1', 'become-candidate', 3, { reason: 'election-timeout', electionTimeoutMs: 200 }, 210).end(300);
    const r = termAdoption.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 \(term 2\) was delivered a request-vote reply of term 4 from n2 at 50 ms, then reported term 2 \(poll at 60 ms\)/);
    expect(r.witnesses.map((w) => w.type)).toEqual(['delivery', 'poll']);
    // The report and JUnit list the witnesses one line each.
    expect(describeEntry(r.witnesses[0]!)).toBe('t=50 ms delivered to n1 (term 2): request-vote reply #7 from n2, term 4 voteGranted=false (answers #6)');
  });

  it('invalid: a malformed message (a RequestVote reply without its term)', () => {
    const h = new HistoryBuilder(nodes).start();
    h.delivery('n1', { id: 2, from: 'n3', rpc: 'request-vote', msg: 'reply', term: null, granted: false, nodeTerm: 2, candidate: 'n1', requestTerm: 2, re: 1 }, 50).end(100);
    const r = termAdoption.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/malformed message\(s\): n1 was delivered a request-vote reply from n3 without term at 50 ms/);
  });

  it('a message the receiver refused (400, or a malformed reply turned into a failure) sets no obligation, but a sender that left out the term is still malformed', () => {
    const h = new HistoryBuilder(nodes).start();
    // n2's RequestVote of term 9 names a stranger: n3 answers 400 and stays at term 1.
    h.delivery('n3', { id: 1, from: 'n2', rpc: 'request-vote', msg: 'request', term: 9, nodeTerm: 1, candidate: 'n7', refused: 'HTTP 400: n7 is not a peer of this node (its peers: n1, n2)' }, 50);
    h.poll('n3', { term: 1, leader: null }, 60);
    const ok = termAdoption.check(h.entries.slice(), h.ctx());
    expect(judgement(ok)).not.toBe('invalid');
    expect(ok.details).toMatchObject({ obligations: 0 });
    // The same request accepted would have obliged n3 to adopt term 9.
    const accepted = new HistoryBuilder(nodes).start();
    accepted.delivery('n3', { id: 1, from: 'n2', rpc: 'request-vote', msg: 'request', term: 9, nodeTerm: 1, candidate: 'n2' }, 50);
    accepted.poll('n3', { term: 1, leader: null }, 60).end(100);
    expect(termAdoption.check(accepted.entries, accepted.ctx()).verdict).toBe('invalid');
    // A reply without its term that n1 refused (a failed RPC) still shows its sender is broken.
    h.delivery('n1', { id: 3, from: 'n3', rpc: 'request-vote', msg: 'reply', term: null, granted: false, nodeTerm: 2, candidate: 'n1', requestTerm: 2, re: 2, refused: 'missing field "term"' }, 70).end(100);
    const r = termAdoption.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/malformed message\(s\): n1 was delivered a request-vote reply from n3 without term at 70 ms/);
    expect(describeEntry(r.witnesses[0]!)).toMatch(/, refused: missing field "term"$/);
  });

  it('a restart ends the obligation; a refused pre-vote reply with a newer term sets one', () => {
    const h = new HistoryBuilder(nodes).start();
    h.delivery('n1', { id: 2, from: 'n3', rpc: 'pre-vote', msg: 'reply', term: 6, granted: false, nodeTerm: 2, candidate: 'n1', requestTerm: 3, re: 1 }, 50);
    h.restart('n1').event('n1', 'start', 2, { stateTerm: 2, stateVotedFor: null }, 500).end(600);
    expect(judgement(termAdoption.check(h.entries, h.ctx()))).toBe('not judged');
    h.entries.splice(-2, 0, { type: 'poll', t: 60, wall: 0, node: 'n1', outcome: 'ok', latencyMs: 1, state: 'follower', role: 'pre-candidate', term: 2, leader: null, bootId: 'n1-boot1' });
    expect(termAdoption.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });

  it('not applicable without delivery records (processes, containers); not judged when no newer term was delivered', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' }).end(1000);
    expect(termAdoption.check(h.entries, h.ctx()).message).toMatch(/^Not applicable: the history records no delivered messages/);
    h.delivery('n2', { id: 1, from: 'n1', rpc: 'request-vote', msg: 'request', term: 1, nodeTerm: 1, candidate: 'n1' }, 1000);
    expect(judgement(termAdoption.check(h.entries, h.ctx()))).toBe('not judged');
  });

  it('--bug ignore-reply-term: invalid in simulation (split-vote, Pre-Vote off, seed 1); the correct node is valid there', async () => {
    const run = (bugs: string[]) => runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, preVote: false, bugs, reportDir: dir, writeReport: false, writeHistory: false });
    const bad = (await run(['ignore-reply-term'])).results.find((x) => x.name === 'term-adoption')!;
    expect(bad.verdict).toBe('invalid');
    expect(bad.message).toMatch(/was delivered a request-vote reply of term \d+ from n\d/);
    const good = (await run([])).results.find((x) => x.name === 'term-adoption')!;
    expect(judgement(good)).toBe('ok');
  });
});
