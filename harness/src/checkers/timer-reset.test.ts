import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from './testing/history-builder.js';
import type { HistoryEntry } from '../history/types.js';
import { simWriteMaxMs } from './support/write-time.js';
import { timerReset } from './timer-reset.js';

const SIM_WRITE_MAX_MS = simWriteMaxMs(undefined);

const nodes = ['n1', 'n2', 'n3'];
const grant = (candidate: string, term: number) => ({ candidate, granted: true, preVote: false, reason: 'granted', requestTerm: term });

/**
 * n3 learns term 4 without voting (a pre-vote refused by a node already in term 4) at 1000 ms,
 * drawing a 200 ms timeout, then grants n1 its vote in term 4 at `grantAt`, and campaigns at
 * `campaignAt`.
 */
function lateGrant(grantAt: number, campaignAt: number, extra: Record<string, unknown> = {}) {
  const h = new HistoryBuilder(nodes).start();
  h.event('n3', 'become-follower', 4, { leader: null, reason: 'higher-term:pre-vote-reply', electionTimeoutMs: 200 }, 1000);
  h.event('n3', 'vote', 4, { ...grant('n1', 4), ...extra }, grantAt);
  h.event('n3', 'become-pre-candidate', 4, { reason: 'election-timeout', electionTimeoutMs: 170 }, campaignAt);
  return h.end(campaignAt + 500);
}

describe('timer-reset', () => {
  it('valid: a follower that granted a vote campaigns a whole timeout after the grant; a pre-vote-won candidacy is not a timer', () => {
    const h = lateGrant(1080, 1280);
    h.event('n3', 'become-candidate', 5, { reason: 'pre-vote-won', electionTimeoutMs: 260 }, 1290);
    const r = timerReset.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/1 campaigns, 1 after a granted vote/);
  });

  it('invalid: a follower that granted a vote in the term it held campaigns on the countdown it had before (the vote-keeps-timer bug)', () => {
    // Without the restart on the grant the timer runs out at 1000 + 200 = 1200 ms, 120 ms after the grant.
    const h = lateGrant(1080, 1200);
    const r = timerReset.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n3 granted n1 its vote in term 4 \(logged at 1080(\.0)? ms, its step no earlier than 1066(\.0)? ms\) and campaigned \(become-pre-candidate\) at 1200(\.0)? ms, before its 200(\.0)? ms election timeout could run out \(1266(\.0)? ms\)/);
    expect(r.witnesses).toHaveLength(2);
  });

  it('a vote is stamped once written: in simulation a campaign up to the longest write early is not held against it, beyond it is', () => {
    const ctx = lateGrant(0, 1).ctx();
    expect(timerReset.check(lateGrant(1080, 1280 - SIM_WRITE_MAX_MS).entries, ctx).verdict).toBe('valid');
    expect(timerReset.check(lateGrant(1080, 1280 - SIM_WRITE_MAX_MS - 2).entries, ctx).verdict).toBe('invalid');
    // A slow disk's delay (2 x MS: file and directory fsync) is allowed too.
    expect(timerReset.check(lateGrant(1080, 1280 - SIM_WRITE_MAX_MS - 20).entries, { ...ctx, config: { ...ctx.config, disk: 'sync-delay=10' } }).verdict).toBe('valid');
  });

  it("on real nodes a written event's stamp bounds nothing: a vote is dated by its candidate's campaign", () => {
    const onProcesses = (entries: HistoryEntry[]) => entries.map((e) => (e.type === 'run-start' ? { ...e, runtime: 'process' } : e));
    const h = lateGrant(1080, 1200);
    // No campaign of n1 in term 4 seen: the grant's step cannot be dated, nothing is judged.
    const blind = timerReset.check(onProcesses(h.entries), h.ctx());
    expect(blind.verdict).toBe('valid');
    expect(blind.details?.['judged']).toBe(false);
    const withCampaign = (campaignAt: number) => {
      const g = new HistoryBuilder(nodes).start();
      g.event('n3', 'become-follower', 4, { leader: null, reason: 'higher-term:pre-vote-reply', electionTimeoutMs: 200 }, 1000);
      g.event('n1', 'become-candidate', 4, { reason: 'election-timeout', electionTimeoutMs: 250 }, campaignAt);
      g.event('n3', 'vote', 4, grant('n1', 4), 1080);
      g.event('n3', 'become-pre-candidate', 4, { reason: 'election-timeout', electionTimeoutMs: 170 }, 1200).end(1700);
      return timerReset.check(onProcesses(g.entries), g.ctx()).verdict;
    };
    // n1 campaigned at 1030: the vote's step ran at 1030 or later, so no campaign before 1230.
    expect(withCampaign(1030)).toBe('invalid');
    // n1 campaigned at 990 (its request was slow): the step may have run at 990, due at 1190.
    expect(withCampaign(990)).toBe('valid');
  });

  it('a pre-vote grant, or a vote granted by a pre-candidate, does not restart the timer (thesis §9.6)', () => {
    expect(timerReset.check(lateGrant(1080, 1200, { preVote: true, requestTerm: 5 }).entries, lateGrant(0, 1).ctx()).verdict).toBe('valid');
    const h = new HistoryBuilder(nodes).start();
    h.event('n2', 'become-pre-candidate', 4, { reason: 'election-timeout', electionTimeoutMs: 200 }, 1000);
    h.event('n2', 'vote', 4, grant('n1', 4), 1100);
    h.event('n2', 'become-pre-candidate', 4, { reason: 'election-timeout', electionTimeoutMs: 180 }, 1200).end(1500);
    expect(timerReset.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('a new term redraws the timeout: a campaign after a later become-follower is held to that one', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n2', 'become-follower', 3, { leader: null, reason: 'higher-term:append-entries', electionTimeoutMs: 290 }, 500);
    h.event('n2', 'vote', 3, grant('n3', 3), 600);
    h.event('n2', 'become-follower', 4, { leader: null, reason: 'higher-term:append-entries', electionTimeoutMs: 150 }, 650);
    h.event('n2', 'become-candidate', 5, { reason: 'election-timeout', electionTimeoutMs: 200 }, 800).end(1200);
    expect(timerReset.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('a restart starts afresh, and lost events forget what restarted the timer', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'become-follower', 2, { leader: null, reason: 'check-quorum', electionTimeoutMs: 300 }, 100);
    h.restart('n1').event('n1', 'become-candidate', 3, { reason: 'election-timeout', electionTimeoutMs: 200 }, 260);
    h.event('n2', 'become-follower', 2, { leader: null, reason: 'check-quorum', electionTimeoutMs: 300 }, 100);
    h.gap('n2', 3, 5, 150).event('n2', 'become-candidate', 3, { reason: 'election-timeout', electionTimeoutMs: 200 }, 260).end(600);
    const r = timerReset.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.['judged']).toBe(false);
  });

  it('not applicable to another subject; not judged without a campaign after a restart the events show', () => {
    const h = lateGrant(1080, 1280);
    expect(timerReset.check(h.entries, { ...h.ctx(), subject: { name: 'course', capabilities: { events: false, votedFor: true, preVote: false, checkQuorum: false } } as never }).details?.['applicable']).toBe(false);
    const quiet = new HistoryBuilder(nodes).start().event('n1', 'vote', 1, grant('n2', 1), 100).end(500);
    expect(timerReset.check(quiet.entries, quiet.ctx()).details?.['judged']).toBe(false);
  });

  it('on processes a pre-candidacy may be stamped after its step ran (it waited behind a write): the next round 1.4 ms early is valid', () => {
    const onProcesses = (entries: HistoryEntry[]) => entries.map((e) => (e.type === 'run-start' ? { ...e, runtime: 'process' } : e));
    const h = new HistoryBuilder(nodes).start();
    h.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 189 }, 3033.5);
    h.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 240 }, 3221.1);
    h.end(3800);
    expect(timerReset.check(onProcesses(h.entries), h.ctx()).verdict).toBe('valid');
    // Far earlier than any write could explain: still invalid.
    const early = new HistoryBuilder(nodes).start();
    early.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 189 }, 3033.5);
    early.event('n3', 'become-pre-candidate', 1, { reason: 'election-timeout', electionTimeoutMs: 240 }, 3120);
    early.end(3800);
    expect(timerReset.check(onProcesses(early.entries), early.ctx()).verdict).toBe('invalid');
  });
});
