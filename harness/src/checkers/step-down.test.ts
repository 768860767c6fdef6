import { describe, expect, it } from 'vitest';
import { isolate } from '../nemesis/partitions.js';
import { stepDown, type StepDown } from './step-down.js';
import { judgement } from './types.js';
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
    expect(r.message).toMatch(/CheckQuorum is off, so a cut-off leader need not step down: 1 cut-off leader/);
    expect(judgement(r)).toBe('not applicable');
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

  describe('cut off is judged again whenever what is in force changes', () => {
    const five = ['n1', 'n2', 'n3', 'n4', 'n5'];
    const isolateGroup = (group: string[]) =>
      five.filter((a) => !group.includes(a)).flatMap((a) => group.flatMap((b) => [[a, b], [b, a]] as Array<[string, string]>));

    it('a leader with a majority again is done; losing it later is measured from then', () => {
      // Random sim schedule (5 nodes, leader n2): a majorities ring (n2 sees n1 and n3), then
      // n3,n4 killed (n2 keeps only n1), then the ring healed 221 ms later (n2 has n1 and n5),
      // then halves n1,n4 | n2,n3,n5 (n2 keeps only n5): n2 stepped down 372 ms after that, and
      // was said to have kept claiming for 859 ms since the kill.
      const ring = [['n1', 'n3'], ['n1', 'n5'], ['n2', 'n4'], ['n2', 'n5'], ['n3', 'n4']].flatMap(([a, b]) => [[a!, b!], [b!, a!]] as Array<[string, string]>);
      const build = (stepDownAt: number) => {
        const h = new HistoryBuilder(five).start().steady(0, 500, { term: 1, leader: 'n2' });
        const lb = { node: 'n2', term: 1 };
        h.fault({ id: 'o1', kind: 'partition', label: 'majorities ring', targets: five, cuts: ring, leaderBefore: lb, removesLeader: false }, 500);
        h.fault({ id: 'o2', kind: 'kill', label: 'kill n3,n4', targets: ['n3', 'n4'], leaderBefore: lb, removesLeader: false }, 2000);
        h.process('n3', 'kill', 2000).process('n4', 'kill', 2000);
        h.heal('o1', 2221);
        h.fault({ id: 'f1', kind: 'partition', label: 'halves n1,n4 | n2,n3,n5', targets: five, cuts: isolateGroup(['n1', 'n4']), leaderBefore: lb, removesLeader: true }, 2500);
        h.steady(2500, stepDownAt, { term: 1, leader: 'n2', only: ['n2', 'n5'] });
        h.event('n2', 'step-down', 1, { reason: 'check-quorum' }, stepDownAt).poll('n2', { term: 1, leader: null }, stepDownAt + 10);
        return stepDown.check(h.entries, h.ctx());
      };
      const r = build(2872);
      expect(r.verdict).toBe('valid');
      expect(results(r)).toMatchObject([
        { faultId: 'o2', outcome: 'healed-first', regainedAtMs: 2221 },
        { faultId: 'f1', outcome: 'ok', ms: 372 },
      ]);
      // The later cut-off is still held to the bound.
      expect(build(3300)).toMatchObject({ verdict: 'invalid', message: expect.stringMatching(/kept claiming for 800 ms after halves/) });
    });

    it('a killed node is up again at its start entry, before its fault ends', () => {
      // 3 nodes: a bridge n2 between n3 (leader) and n1, then n2 killed: n3 is cut off until
      // the bridge is healed 124 ms later. n2's kill fault ended only 1.9 s later (the restart
      // is recorded when it has finished), and n3 was said never to have stepped down.
      const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 2, leader: 'n3' });
      const lb = { node: 'n3', term: 2 };
      h.fault({ id: 'o3', kind: 'partition', label: 'bridge n2 between n3 and n1', targets: nodes, cuts: [['n3', 'n1'], ['n1', 'n3']], leaderBefore: lb, removesLeader: false }, 500);
      h.fault({ id: 'o4', kind: 'kill', label: 'kill n2', targets: ['n2'], leaderBefore: lb, removesLeader: false }, 1000).process('n2', 'kill', 1000);
      h.heal('o3', 1124);
      h.steady(1124, 3000, { term: 2, leader: 'n3', only: ['n1', 'n3'] });
      h.process('n2', 'start', 2300).heal('o4', 2900).steady(2900, 3500, { term: 2, leader: 'n3' }).end(3500);
      const r = stepDown.check(h.entries, h.ctx());
      expect(r.verdict).toBe('valid');
      expect(results(r)).toMatchObject([{ faultId: 'o4', outcome: 'healed-first', regainedAtMs: 1124 }]);

      // Cut off by a partition while its only peer is killed: that peer's start gives it a
      // majority again, even though the kill fault has not ended.
      const k = new HistoryBuilder(nodes).start().steady(0, 500, { term: 2, leader: 'n3' });
      k.fault({ id: 'k', kind: 'kill', label: 'kill n2', targets: ['n2'], leaderBefore: lb, removesLeader: false }, 500).process('n2', 'kill', 500);
      k.fault({ id: 'p', kind: 'partition', label: 'isolate n1', targets: ['n1'], cuts: isolate(nodes, 'n1').cuts, leaderBefore: lb, removesLeader: true }, 600);
      k.steady(600, 3000, { term: 2, leader: 'n3', only: ['n3'] });
      k.process('n2', 'start', 1000).heal('k', 2500).heal('p', 3000).end(3500);
      expect(results(stepDown.check(k.entries, k.ctx()))).toMatchObject([{ faultId: 'p', outcome: 'healed-first', regainedAtMs: 1000 }]);
    });

    it('links whose least round trip loses the RPC deadline count as cut; links only sometimes too slow do not', () => {
      // 5 nodes, leader n4: n1,n2 paused, then isolate n2,n4,n5 (n4 keeps only n5), n1,n2
      // resumed (n4 has n2 and n5 again), then 85±32 ms on n2's links: at least 106 ms round
      // trip, above the 75 ms RPC deadline, so no heartbeat to n2 is answered and n4 is cut off
      // again. It stepped down when the partition ended; only the latency cut-off (507 ms) is
      // to be judged, not the whole 1190 ms since the partition.
      const build = (jitter: number, stepDownAt: number | null) => {
        const h = new HistoryBuilder(five).start().steady(0, 500, { term: 1, leader: 'n4' });
        const lb = { node: 'n4', term: 1 };
        h.fault({ id: 'o3', kind: 'pause', label: 'pause n1,n2', targets: ['n1', 'n2'], leaderBefore: lb, removesLeader: false }, 500);
        h.process('n1', 'pause', 500).process('n2', 'pause', 500);
        h.fault({ id: 'o4', kind: 'partition', label: 'isolate n2,n4,n5', targets: five, cuts: isolateGroup(['n2', 'n4', 'n5']), leaderBefore: lb, removesLeader: true }, 1200);
        h.process('n1', 'resume', 1550).process('n2', 'resume', 1550).heal('o3', 1550);
        const links = five.filter((n) => n !== 'n2').flatMap((n) => [
          { from: n, to: 'n2', toxic: 'latency', attributes: { latency: 85, jitter } },
          { from: 'n2', to: n, toxic: 'latency', attributes: { latency: 85, jitter } },
        ]);
        h.fault({ id: 'f3', kind: 'latency', label: 'latency on links of n2', targets: five, links, leaderBefore: lb, removesLeader: false }, 1880);
        h.steady(1200, 2400, { term: 1, leader: 'n4', only: ['n4', 'n5'] });
        h.heal('f3', 2385).heal('o4', 2387);
        if (stepDownAt !== null) h.event('n4', 'step-down', 1, { reason: 'check-quorum' }, stepDownAt);
        return stepDown.check(h.entries.sort((a, b) => a.t - b.t), h.ctx());
      };
      const r = build(32, 2389);
      expect(r.verdict).toBe('valid');
      expect(results(r)).toMatchObject([
        { faultId: 'o4', outcome: 'healed-first', regainedAtMs: 1550 },
        { faultId: 'f3', outcome: 'healed-first', regainedAtMs: 2385 },
      ]);
      // 85±50: some round trips (70 ms) beat the deadline, so n4 is not known to be cut off.
      expect(results(build(50, null))).toHaveLength(1);
    });

    it('still invalid: a leader that kept claiming through a whole bound cut off, then regained a majority', () => {
      const h = new HistoryBuilder(nodes).start().steady(0, 500, { term: 1, leader: 'n1' });
      const lb = { node: 'n1', term: 1 };
      h.fault({ id: 'k', kind: 'kill', label: 'kill n2', targets: ['n2'], leaderBefore: lb, removesLeader: false }, 500).process('n2', 'kill', 500);
      h.fault({ id: 'p', kind: 'partition', label: 'isolate n3', targets: ['n3'], cuts: isolate(nodes, 'n3').cuts, leaderBefore: lb, removesLeader: true }, 600);
      h.steady(600, 1500, { term: 1, leader: 'n1', only: ['n1'] });
      h.process('n2', 'start', 1500).heal('k', 2000).heal('p', 2000).end(3000);
      const r = stepDown.check(h.entries, h.ctx());
      expect(r.verdict).toBe('invalid');
      expect(r.message).toMatch(/kept claiming, cut off, for 900 ms after isolate n3 at 600 ms, until it had a majority again/);
    });
  });
});
