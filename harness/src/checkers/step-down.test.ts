import { describe, expect, it } from 'vitest';
import { isolate } from '../nemesis/partitions.js';
import { stepDown, type StepDown } from './step-down.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const cutOff = (h: HistoryBuilder, t: number, node = 'n1') =>
  h.fault({ id: 'f', kind: 'partition', targets: [node], cuts: isolate(nodes, node).cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, t);
const results = (r: { details?: Record<string, unknown> }) => r.details?.stepDowns as StepDown[];

function scenario(stepDownAt: number | null, checkQuorum = true, endAt = 3000) {
  const h = new HistoryBuilder(nodes, testConfig({ checkQuorum })).start().steady(0, 500, { term: 1, leader: 'n1' });
  cutOff(h, 500);
  const until = stepDownAt ?? endAt;
  h.steady(500, until, { term: 1, leader: 'n1', only: ['n1'] });
  if (stepDownAt !== null) h.event('n1', 'step-down', 1, { reason: 'check-quorum' }, stepDownAt).poll('n1', { term: 1, leader: null }, stepDownAt + 10);
  return h.end(endAt);
}

describe('step-down', () => {
  it('valid: the cut-off leader steps down within the bound (700 ms)', () => {
    const h = scenario(1000);
    const r = stepDown.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(results(r)[0]).toMatchObject({ node: 'n1', term: 1, ms: 500, outcome: 'ok' });
  });

  it('invalid: it keeps claiming past the bound', () => {
    const h = scenario(1500);
    const r = stepDown.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1 \(leader of term 1\) kept claiming for 1000 ms/);
  });

  it('invalid: it never steps down', () => {
    const h = scenario(null);
    expect(stepDown.check(h.entries, h.ctx())).toMatchObject({ verdict: 'invalid', message: expect.stringMatching(/never stepped down/) });
  });

  it('without CheckQuorum the duration is only reported', () => {
    const h = scenario(null, false);
    const r = stepDown.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/CheckQuorum is off: 1 cut-off leader/);
  });

  it('a leader that keeps a majority, or is killed, is not measured', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' });
    h.fault({ id: 'a', kind: 'partition', targets: ['n3'], cuts: isolate(nodes, 'n3').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 500);
    h.heal('a', 600).fault({ id: 'k', kind: 'kill', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 700).end(2000);
    const r = stepDown.check(h.entries, h.ctx());
    expect(results(r)).toHaveLength(0);
    expect(r.verdict).toBe('valid');
  });

  it('a heal within the bound before stepping down is fine; the end of the run before the bound is unknown', () => {
    const healed = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' });
    cutOff(healed, 500).steady(500, 800, { term: 1, leader: 'n1' }).heal('f', 800).end(2000);
    expect(stepDown.check(healed.entries, healed.ctx()).verdict).toBe('valid');
    const short = scenario(null, true, 800);
    expect(stepDown.check(short.entries, short.ctx()).verdict).toBe('unknown');
  });
});
