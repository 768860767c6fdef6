import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/types.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { preVoteWon } from './pre-vote-won.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const preGrant = (candidate: string, requestTerm: number) => ({ candidate, granted: true, preVote: true, reason: 'granted', role: 'follower', leaderHeardAgoMs: null, requestTerm });

/** n1, in term 3, asks for pre-votes for term 4; `granters` grant at 1005 ms; it becomes candidate of term 4 at 1010 ms. */
function round(granters: readonly string[], extra: (h: HistoryBuilder) => void = () => {}) {
  const h = new HistoryBuilder(nodes).start();
  for (const n of nodes) h.event(n, 'start', 0, {}, 0);
  h.event('n1', 'become-pre-candidate', 3, { reason: 'election-timeout', electionTimeoutMs: 200 }, 1000);
  for (const g of granters) h.event(g, 'vote', 3, preGrant('n1', 4), 1005);
  extra(h);
  h.event('n1', 'become-candidate', 4, { reason: 'pre-vote-won', electionTimeoutMs: 210 }, 1010);
  return h.end(1500);
}

describe('pre-vote-won', () => {
  it('valid: a candidacy after pre-votes from a majority, itself included (3 of 5)', () => {
    const h = round(['n2', 'n3']);
    const r = preVoteWon.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/1 candidacies/);
  });

  it('invalid: a pre-candidate that counted something else as a pre-vote (a late grant of its own RequestVote): 2 of 5', () => {
    // n3 granted n1 a real vote of term 3 earlier: not a pre-vote for term 4.
    const h = round(['n2'], (b) => b.event('n3', 'vote', 3, { candidate: 'n1', granted: true, preVote: false, reason: 'granted', requestTerm: 3 }, 900));
    const r = preVoteWon.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 became candidate of term 4 at 1010(\.0)? ms on pre-votes from n1, n2 only \(3 needed\)/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('a grant logged after the candidacy was not counted; one of an earlier round of the same term was', () => {
    const late = round(['n2'], (b) => b.event('n3', 'vote', 3, preGrant('n1', 4), 1030));
    expect(preVoteWon.check(late.entries, late.ctx()).verdict).toBe('invalid');
    const earlier = round(['n2'], (b) => b.event('n3', 'vote', 3, preGrant('n1', 4), 700));
    expect(preVoteWon.check(earlier.entries, earlier.ctx()).verdict).toBe('valid');
  });

  it('unknown when a missing voter may have lost events (a kill on processes, an events gap)', () => {
    const onProcesses = (entries: HistoryEntry[]) => entries.map((e) => (e.type === 'run-start' ? { ...e, runtime: 'process' } : e));
    const killed = round(['n2'], (b) => b.process('n3', 'kill', 1006));
    const r = preVoteWon.check(onProcesses(killed.entries), killed.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.details?.['notJudgedIncompleteEvents']).toBe(1);
    // In simulation a kill loses no event: judged.
    expect(preVoteWon.check(killed.entries, killed.ctx()).verdict).toBe('invalid');
    const old = round(['n2'], (b) => b.event('n3', 'vote', 3, { candidate: 'n1', granted: true, preVote: true, reason: 'granted' }, 1005));
    expect(preVoteWon.check(old.entries, old.ctx()).verdict).toBe('unknown');
    const gap = round(['n2'], (b) => b.gap('n4', 3, 4, 1002));
    expect(preVoteWon.check(gap.entries, gap.ctx()).verdict).toBe('unknown');
  });

  it('not applicable with Pre-Vote off or to another subject; not judged without such a candidacy', () => {
    const h = round(['n2', 'n3']);
    expect(preVoteWon.check(h.entries, { ...h.ctx(), config: { ...h.ctx().config, preVote: false } }).details?.['applicable']).toBe(false);
    expect(preVoteWon.check(h.entries, { ...h.ctx(), subject: { name: 'course' } as never }).details?.['applicable']).toBe(false);
    const quiet = new HistoryBuilder(nodes).start().event('n1', 'become-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 200 }, 100).end(500);
    expect(preVoteWon.check(quiet.entries, quiet.ctx()).details?.['judged']).toBe(false);
  });

  it('reads events in time order: a grant read after the teardown began, stamped before the candidacy, counts', () => {
    // A real node's events reach the history when the harness reads them, after the teardown's entries.
    const h = new HistoryBuilder(nodes).start();
    for (const n of nodes) h.event(n, 'start', 0, {}, 0);
    h.event('n1', 'become-pre-candidate', 3, { reason: 'election-timeout', electionTimeoutMs: 200 }, 1000);
    h.event('n2', 'vote', 3, preGrant('n1', 4), 1005);
    h.event('n1', 'become-candidate', 4, { reason: 'pre-vote-won', electionTimeoutMs: 210 }, 1010);
    h.phase('teardown', 1020);
    h.event('n3', 'vote', 3, preGrant('n1', 4), 1006);
    h.push({ type: 'run-end', durationMs: 1030 }, 1030);
    expect(preVoteWon.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('unknown in a run cut short when a missing voter had no event read from after the candidacy', () => {
    const cut = (entries: HistoryEntry[]) => entries.map((e) => (e.type === 'run-end' ? { ...e, interrupted: 'SIGINT' } : e));
    const h = round(['n2']);
    const r = preVoteWon.check(cut(h.entries), h.ctx());
    expect(r.verdict).toBe('unknown');
    // The whole run: judged (and invalid, 2 of 5).
    expect(preVoteWon.check(h.entries, h.ctx()).verdict).toBe('invalid');
    // Cut short, but every missing voter's events were read past the candidacy (its answers to
    // the RequestVote that followed): judged, and invalid.
    const read = round(['n2'], (b) => {
      for (const n of ['n3', 'n4', 'n5']) b.event(n, 'vote', 3, { candidate: 'n1', granted: false, preVote: false, reason: 'already-voted:n9', requestTerm: 4 }, 1015);
    });
    expect(preVoteWon.check(cut(read.entries), read.ctx()).verdict).toBe('invalid');
  });
});
