import { describe, expect, it } from 'vitest';
import { isolate, oneWay } from '../nemesis/partitions.js';
import { ActiveFaults } from './support/active-faults.js';
import { disrupters, electionTime, type Failover } from './election-time.js';
import { HistoryBuilder, testConfig } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3', 'n4', 'n5'];
const rest = ['n2', 'n3', 'n4', 'n5'];
const failovers = (r: { details?: Record<string, unknown> }) => r.details?.failovers as Failover[];

/** Leader n1 (term 1) isolated at 1000; the rest elect n2 (term 2) at `electedAt`; healed at 3000. */
function isolateLeader(electedAt: number, config = testConfig()) {
  const h = new HistoryBuilder(nodes, config).start().steady(0, 1000, { term: 1, leader: 'n1' });
  h.phase('faults', 1000).fault(
    { id: 'f1', kind: 'partition', label: 'isolate leader n1', targets: ['n1'], cuts: isolate(nodes, 'n1').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true },
    1000,
  );
  for (let t = 1000; t < electedAt; t += 50) {
    h.round(t, { term: 1, leader: 'n1', only: rest });
    h.poll('n1', { term: 1, state: 'leader' }, t);
  }
  h.steady(electedAt, 3000, { term: 2, leader: 'n2', only: rest });
  h.heal('f1', 3000).steady(3000, 4000, { term: 2, leader: 'n2' });
  return h;
}

describe('election-time', () => {
  it('valid: a new leader within the bound after the fault, and after the heal', () => {
    const h = isolateLeader(1300).phase('recovery', 4000).steady(4000, 5000, { term: 2, leader: 'n2' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    const [fault, heal] = failovers(r);
    expect(fault).toMatchObject({ faultId: 'f1', fault: 'isolate leader n1', kind: 'fault', atMs: 1000, ms: 300, outcome: 'ok', leader: 'n2', term: 2 });
    expect(heal).toMatchObject({ kind: 'heal', atMs: 3000, ms: 0, outcome: 'ok' });
  });

  it('invalid: the new leader came after the bound (850 ms for 150-300)', () => {
    const h = isolateLeader(2000).end(4000);
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/isolate leader n1 at 1000 ms a settled leader took 1000 ms \(bound 850 ms\)/);
    expect(r.witnesses.some((e) => e.type === 'fault-start')).toBe(true);
  });

  it('invalid: no leader at all after the fault', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'k', kind: 'kill', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
    h.steady(1000, 3000, { term: 3, leader: null, only: rest }).end(3000);
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(failovers(r)[0]).toMatchObject({ outcome: 'none', ms: null });
  });

  it('does not count the old leader still settled in its old term', () => {
    // Followers keep saying n1/term 1 (they are slow to notice): not a new leader.
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f', kind: 'partition', targets: ['n1'], cuts: isolate(nodes, 'n1').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
    h.steady(1000, 2500, { term: 1, leader: 'n1' }).end(2500);
    expect(electionTime.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });

  it('a fault that found no leader (mid-election) is timed from its start to any settled leader, the bound allowing for a step-down', () => {
    // electionMs 850 + stepDownMs 700 for 150-300 ms: a leader 1500 ms after the fault is in time, 1600 ms is not.
    for (const [leaderAt, verdict] of [[2500, 'valid'], [2600, 'invalid']] as const) {
      const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: null });
      h.fault({ id: 'f', kind: 'kill', targets: ['n3'], down: ['n3'], leaderBefore: null, removesLeader: null }, 1000);
      h.steady(1000, leaderAt, { term: 2, leader: null, only: ['n1', 'n2', 'n4', 'n5'] }).steady(leaderAt, 3000, { term: 3, leader: 'n1', only: ['n1', 'n2', 'n4', 'n5'] });
      h.heal('f', 3000).steady(3000, 4000, { term: 3, leader: 'n1' }).end();
      const r = electionTime.check(h.entries, h.ctx());
      expect(r.verdict, r.message).toBe(verdict);
      expect(failovers(r)[0]).toMatchObject({ faultId: 'f', kind: 'fault', boundMs: 1550, noLeaderBefore: true, outcome: verdict === 'valid' ? 'ok' : 'slow' });
    }
  });

  it('a fault that found no leader while a heal\'s wait for one was timed is only reported; the wait is still held to the bound', () => {
    for (const [leaderAt, verdict] of [[1700, 'valid'], [2500, 'invalid']] as const) {
      const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
      h.fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: isolate(nodes, 'n1').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
      h.steady(1000, 1200, { term: 1, leader: 'n1' }).heal('f1', 1200);
      h.steady(1200, 1400, { term: 2, leader: null });
      h.fault({ id: 'f2', kind: 'partition', targets: ['n2'], cuts: isolate(nodes, 'n2').cuts, leaderBefore: null, removesLeader: null }, 1400);
      h.steady(1400, leaderAt, { term: 2, leader: null }).steady(leaderAt, 3200, { term: 3, leader: 'n3' }).heal('f2', 3200);
      h.steady(3200, 4000, { term: 3, leader: 'n3' }).end();
      const r = electionTime.check(h.entries, h.ctx());
      expect(r.verdict, r.message).toBe(verdict);
      const f2 = (r.details?.['failovers'] as Array<{ faultId: string; kind: string; outcome: string; informational?: true }>).find((f) => f.faultId === 'f2' && f.kind === 'fault');
      expect(f2).toMatchObject({ outcome: 'no-leader-before', informational: true });
    }
  });

  it('a fault the nemesis could not apply (no leader to aim at) is not timed, nor its end: it changed nothing', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f', kind: 'partition', label: 'partition not applied: no leader', notApplied: true }, 1000);
    h.steady(1000, 2000, { term: 1, leader: 'n1' }).heal('f', 2000).steady(2000, 3000, { term: 1, leader: 'n1' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.['failovers']).toEqual([]);
  });

  it('a fault that found no leader while the faults in force already left no majority is only reported (no-majority); the heal is timed', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'k', kind: 'kill', targets: ['n1', 'n2', 'n3'], down: ['n1', 'n2', 'n3'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
    h.steady(1000, 1500, { term: 1, leader: null, only: ['n4', 'n5'] });
    h.fault({ id: 'f', kind: 'pause', targets: ['n4'], down: ['n4'], leaderBefore: null, removesLeader: null }, 1500);
    h.heal('f', 1800).heal('k', 2000).steady(2000, 2400, { term: 1, leader: null }).steady(2400, 3000, { term: 2, leader: 'n2' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict, r.message).toBe('valid');
    const f = (r.details?.['failovers'] as Array<{ faultId: string; kind: string; outcome: string; informational?: true }>).find((x) => x.faultId === 'f' && x.kind === 'fault');
    expect(f).toMatchObject({ outcome: 'no-majority', informational: true });
  });

  it('unknown: the run ended before the bound elapsed', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f', kind: 'kill', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000).end(1200);
    expect(electionTime.check(h.entries, h.ctx()).verdict).toBe('unknown');
  });

  it('a fault healed before a new leader, within the bound, is measured again from the heal', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f', kind: 'partition', targets: ['n1'], cuts: isolate(nodes, 'n1').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
    h.steady(1000, 1100, { term: 1, leader: 'n1' }).heal('f', 1100).steady(1100, 2500, { term: 1, leader: 'n1' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(failovers(r).map((f) => f.outcome)).toEqual(['healed-first', 'ok']);
  });

  it('a fault that keeps the leader is not measured; its heal is', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'f', kind: 'partition', targets: ['n5'], cuts: isolate(nodes, 'n5').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 1000);
    h.steady(1000, 2000, { term: 1, leader: 'n1' }).heal('f', 2000).steady(2000, 2500, { term: 1, leader: 'n1' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(failovers(r).map((f) => f.kind)).toEqual(['heal']);
    expect(r.verdict).toBe('valid');
  });

  it('a leader that can still send gets the step-down bound added; reported only without CheckQuorum', () => {
    const build = (checkQuorum: boolean) => {
      const h = new HistoryBuilder(nodes, testConfig({ checkQuorum })).start().steady(0, 1000, { term: 1, leader: 'n1' });
      h.fault({ id: 'ow', kind: 'one-way', targets: ['n1'], cuts: oneWay(nodes, 'n1', 'inbound').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
      h.steady(1000, 2200, { term: 1, leader: 'n1' });
      if (checkQuorum) h.steady(2200, 3000, { term: 2, leader: 'n2' });
      else h.steady(2200, 3000, { term: 1, leader: 'n1' });
      return h.end(3000);
    };
    const on = electionTime.check(build(true).entries, build(true).ctx());
    expect(failovers(on)[0]).toMatchObject({ boundMs: 850 + 700, ms: 1200, outcome: 'ok' });
    expect(on.verdict).toBe('valid');
    const off = electionTime.check(build(false).entries, build(false).ctx());
    expect(failovers(off)[0]).toMatchObject({ outcome: 'not-expected', informational: true });
    expect(off.verdict).toBe('valid');
  });

  it('valid with nothing to measure', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' }).end();
    expect(electionTime.check(h.entries, h.ctx())).toMatchObject({ verdict: 'valid', message: expect.stringMatching(/no election to time/) });
  });

  it('a later heal supersedes an earlier heal still waiting, judged at that moment', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.fault({ id: 'a', kind: 'partition', targets: ['n4'], removesLeader: false, leaderBefore: { node: 'n1', term: 1 } }, 1000);
    h.fault({ id: 'b', kind: 'partition', targets: ['n5'], removesLeader: false, leaderBefore: { node: 'n1', term: 1 } }, 1000);
    h.steady(1000, 2000, { term: 2, leader: null }).heal('a', 2000).heal('b', 2010).steady(2010, 2300, { term: 2, leader: 'n3' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(failovers(r).map((f) => f.outcome)).toEqual(['healed-first', 'ok']);
    expect(r.verdict).toBe('valid');
  });

  it('valid: a fault that leaves no majority alive is measured from its heal, not held to the bound', () => {
    const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.phase('faults', 1000).fault(
      { id: 'f1', kind: 'kill', label: 'kill all', targets: nodes, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true },
      1000,
    );
    h.heal('f1', 3000).steady(3300, 5000, { term: 2, leader: 'n3' });
    h.phase('recovery', 5000).steady(5000, 6000, { term: 2, leader: 'n3' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    const [fault, heal] = failovers(r);
    expect(fault).toMatchObject({ kind: 'fault', outcome: 'no-majority', ms: null, informational: true });
    expect(heal).toMatchObject({ kind: 'heal', atMs: 3000, ms: 300, outcome: 'ok' });
  });

  it('invalid: after a fault that left no majority, the heal is still held to the bound', () => {
    const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.phase('faults', 1000).fault(
      { id: 'f1', kind: 'kill', label: 'kill all', targets: nodes, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true },
      1000,
    );
    h.heal('f1', 3000).steady(4500, 5000, { term: 2, leader: 'n3' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/after healing kill all at 3000 ms a settled leader took 1500 ms/);
  });

  it('latency in force lengthens the bound by four one-way delays, and links slower than the RPC deadline defer to the heal', () => {
    const run = (latency: number, electedAfter: number) => {
      const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 1, leader: 'n1' });
      const links = nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => ({ from: a, to: b, toxic: 'latency', attributes: { latency, jitter: 0 } })));
      h.phase('faults', 1000).fault({ id: 'slow', kind: 'latency', label: 'latency', targets: nodes, links, leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 1000);
      h.fault({ id: 'k', kind: 'kill', label: 'kill n1', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1500);
      h.steady(1500 + electedAfter, 5000, { term: 2, leader: 'n2', only: rest });
      h.heal('k', 5000).heal('slow', 5000).steady(5000, 6000, { term: 2, leader: 'n2' }).end();
      return failovers(electionTime.check(h.entries, h.ctx())).find((f) => f.faultId === 'k')!;
    };
    // 20 ms each way: bound 850 + 80 = 930 ms, so 900 ms is in time.
    expect(run(20, 900)).toMatchObject({ boundMs: 930, outcome: 'ok' });
    expect(run(20, 1000)).toMatchObject({ outcome: 'slow' });
    // 40 ms each way is 80 ms round trip, above the 75 ms RPC deadline: no election can finish.
    expect(run(40, 3000)).toMatchObject({ outcome: 'no-majority', informational: true });
    // 30 ms each way is 60 ms, but a vote also waits for the voter's save (up to 14 ms) and
    // crosses the healthy links (up to 4 ms each way): it may miss the deadline every time.
    expect(run(30, 3000)).toMatchObject({ outcome: 'no-majority', informational: true });
  });

  it('a heal while other faults still leave no majority is not timed; the heal that ends them is', () => {
    // The nightly's random schedule: a one-link black hole, then a black hole on every link,
    // then the first is healed (no leader is possible yet), then the second.
    const allLinks = nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => [a, b] as const));
    const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.phase('faults', 1000).fault({ id: 'o1', kind: 'timeout', label: 'black hole n3→n2', targets: ['n2', 'n3'], cuts: [['n3', 'n2']], leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 1000);
    h.fault({ id: 'o2', kind: 'timeout', label: 'black hole on all links', targets: nodes, cuts: allLinks, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1500);
    h.heal('o1', 2000);
    h.heal('o2', 3500).steady(3700, 5000, { term: 2, leader: 'n2' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    const byHeal = failovers(r).filter((f) => f.kind === 'heal');
    expect(byHeal.find((f) => f.faultId === 'o1')).toMatchObject({ outcome: 'no-majority', informational: true });
    expect(byHeal.find((f) => f.faultId === 'o2')).toMatchObject({ outcome: 'ok', ms: 200 });
  });

  it('a bandwidth toxic whose transmit times lose the RPC deadline leaves no majority; the heal is timed instead', () => {
    // Random sim schedule (3 nodes): bandwidth 5 KB/s on the links of n2, then the leader n1
    // stopped. A 240-byte request takes 48 ms and a 180-byte reply 36 ms at 5 KB/s: every vote
    // between n2 and n3 times out (75 ms), so nobody is elected until n1 is back. It was timed
    // (no settled leader within 850 ms) and said invalid.
    const three = ['n1', 'n2', 'n3'];
    const build = (rate: number, electedAt: number) => {
      const links = [['n1', 'n2'], ['n2', 'n1'], ['n2', 'n3'], ['n3', 'n2']].map(([from, to]) => ({ from: from!, to: to!, toxic: 'bandwidth', attributes: { rate } }));
      const h = new HistoryBuilder(three, testConfig()).start().steady(0, 1000, { term: 1, leader: 'n1' });
      h.phase('faults', 1000).fault({ id: 'bw', kind: 'bandwidth', label: `bandwidth ${rate} KB/s on links of n2`, targets: three, links, leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 1000);
      h.fault({ id: 'st', kind: 'stop', label: 'stop n1 (leader)', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1200);
      h.steady(1200, electedAt, { term: 1, leader: null, only: ['n2', 'n3'] });
      h.steady(electedAt, 4000, { term: 2, leader: 'n3', only: ['n2', 'n3'] });
      h.heal('st', 4000).heal('bw', 4000).steady(4000, 5000, { term: 2, leader: 'n3' }).end();
      return electionTime.check(h.entries, h.ctx());
    };
    const slow = build(5, 2900);
    expect(failovers(slow).find((f) => f.faultId === 'st')).toMatchObject({ outcome: 'no-majority', informational: true });
    expect(slow.verdict).toBe('valid');
    // At 50 KB/s a round trip costs 8.4 ms: the election is timed, with four transmit times
    // (4 x 4.8 ms) added to the bound, and a late one is still caught.
    const fast = build(50, 2900);
    expect(failovers(fast).find((f) => f.faultId === 'st')).toMatchObject({ boundMs: 850 + 19.2, outcome: 'slow' });
    expect(fast.verdict).toBe('invalid');
  });

  it('links too slow for the RPC deadline only count where they are: a majority elsewhere is still timed', () => {
    // 100 ms on every link of n5 makes n5 useless for votes, but n2-n4 are a majority of 5.
    const links = nodes.filter((n) => n !== 'n5').flatMap((n) => [
      { from: n, to: 'n5', toxic: 'latency', attributes: { latency: 100, jitter: 0 } },
      { from: 'n5', to: n, toxic: 'latency', attributes: { latency: 100, jitter: 0 } },
    ]);
    const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 1, leader: 'n1' });
    h.phase('faults', 1000).fault({ id: 'slow', kind: 'latency', label: 'latency on links of n5', targets: nodes, links, leaderBefore: { node: 'n1', term: 1 }, removesLeader: false }, 1000);
    h.fault({ id: 'k', kind: 'kill', label: 'kill n1 (leader)', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1500);
    h.steady(1500, 4000, { term: 1, leader: null, only: rest });
    h.heal('k', 4000).heal('slow', 4000).steady(4000, 5000, { term: 2, leader: 'n2' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(failovers(r).find((f) => f.faultId === 'k')).toMatchObject({ boundMs: 850 + 400, outcome: 'none' });
    expect(r.verdict).toBe('invalid');
  });

  it('the step-down bound is added when the only node that could win still hears the old leader', () => {
    // Random sim schedule (5 nodes): n1 and n3 stopped, then a bridge: n5 between n3,n4 and
    // n1,n2 (leader). Only n5 reaches a majority (n2, n4 and itself), and it keeps hearing n2's
    // heartbeats until n2's CheckQuorum steps it down (584 ms later); n5 won 829 ms after the
    // bridge, seen at 875 ms, and was held to 850 ms.
    const build = (electedAfter: number) => {
      const bridge = [['n3', 'n1'], ['n3', 'n2'], ['n4', 'n1'], ['n4', 'n2']].flatMap(([a, b]) => [[a!, b!], [b!, a!]] as Array<[string, string]>);
      const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 2, leader: 'n2' });
      h.phase('faults', 1000).fault({ id: 'o1', kind: 'stop', label: 'stop n1,n3', targets: ['n1', 'n3'], leaderBefore: { node: 'n2', term: 2 }, removesLeader: false }, 1000);
      h.steady(1000, 1900, { term: 2, leader: 'n2', only: ['n2', 'n4', 'n5'] });
      h.fault({ id: 'o2', kind: 'partition', label: 'bridge n5 between n3,n4 and n1,n2 (leader)', targets: nodes, cuts: bridge, leaderBefore: { node: 'n2', term: 2 }, removesLeader: true }, 1900);
      h.steady(1900, 1900 + electedAfter, { term: 2, leader: 'n2', only: ['n2', 'n4', 'n5'] });
      h.steady(1900 + electedAfter, 4000, { term: 3, leader: 'n5', only: ['n2', 'n4', 'n5'] });
      h.heal('o1', 4000).heal('o2', 4000).steady(4000, 5000, { term: 3, leader: 'n5' }).end();
      return electionTime.check(h.entries, h.ctx());
    };
    const ok = build(900);
    expect(failovers(ok).find((f) => f.faultId === 'o2')).toMatchObject({ boundMs: 850 + 700, outcome: 'ok' });
    expect(ok.verdict).toBe('valid');
    expect(build(1600).verdict).toBe('invalid');
  });

  it('a removed leader that gets its majority back from another fault\'s end, before anyone replaced it, needs no successor', () => {
    // Random sim schedule (5 nodes, leader n5): n1,n2 paused, then a black hole on n5→n3
    // (n5 keeps only n4: removed). The pause ended 96 ms later: n5 had n1, n2 and n4 again
    // and rightly stayed leader, but the black hole was timed until its own end and said
    // "no settled leader within 1550 ms".
    const h = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 2, leader: 'n5' });
    const lb = { node: 'n5', term: 2 };
    h.phase('faults', 1000).fault({ id: 'o4', kind: 'pause', label: 'pause n1,n2', targets: ['n1', 'n2'], leaderBefore: lb, removesLeader: false }, 1000);
    h.fault({ id: 'o5', kind: 'timeout', label: 'black hole on n5→n3', targets: ['n3', 'n5'], cuts: [['n5', 'n3']], leaderBefore: lb, removesLeader: true }, 1300);
    h.steady(1000, 1396, { term: 2, leader: 'n5', only: ['n3', 'n4', 'n5'] });
    h.heal('o4', 1396).steady(1396, 3500, { term: 2, leader: 'n5' });
    h.heal('o5', 3500).steady(3500, 4500, { term: 2, leader: 'n5' }).end();
    const r = electionTime.check(h.entries, h.ctx());
    expect(failovers(r).find((f) => f.faultId === 'o5' && f.kind === 'fault')).toMatchObject({ outcome: 'healed-first', leaderBack: true });
    expect(failovers(r).find((f) => f.faultId === 'o4' && f.kind === 'heal')).toMatchObject({ outcome: 'ok', leader: 'n5' });
    expect(r.verdict).toBe('valid');

    // Without the pause's end the leader stays removed: still held to the bound.
    const stuck = new HistoryBuilder(nodes, testConfig()).start().steady(0, 1000, { term: 2, leader: 'n5' });
    stuck.phase('faults', 1000).fault({ id: 'o4', kind: 'pause', label: 'pause n1,n2', targets: ['n1', 'n2'], leaderBefore: lb, removesLeader: false }, 1000);
    stuck.fault({ id: 'o5', kind: 'timeout', label: 'black hole on n5→n3', targets: ['n3', 'n5'], cuts: [['n5', 'n3']], leaderBefore: lb, removesLeader: true }, 1300);
    stuck.steady(1000, 3500, { term: 2, leader: 'n5', only: ['n3', 'n4', 'n5'] }).heal('o5', 3500).heal('o4', 3500).end(4500);
    expect(electionTime.check(stuck.entries, stuck.ctx()).verdict).toBe('invalid');
  });

  describe('a node that exited by itself (its disk refused a save) counts as down', () => {
    const three = ['n1', 'n2', 'n3'];
    /** Leader n1 (term 1); n3's disk refuses from 500 and it exits at `exitAt`; n1 isolated at 1000 until 2500; n2 leads term 2 from `electedAt`. */
    function diskThenIsolate(exitAt: number, electedAt: number) {
      const h = new HistoryBuilder(three).start().steady(0, 500, { term: 1, leader: 'n1' });
      h.phase('faults', 500).fault({ id: 'd1', kind: 'disk-fail', label: 'disk of n3 full', targets: ['n3'], removesLeader: false }, 500);
      h.steady(500, 1000, { term: 1, leader: 'n1', only: ['n1', 'n2', ...(exitAt > 1000 ? ['n3'] : [])] });
      const exit = () => h.push({ type: 'process', node: 'n3', action: 'exit', code: 1, signal: null, detail: 'crashed on request-vote request from n2: StorageError: no space' }, exitAt);
      if (exitAt <= 1000) exit();
      h.fault({ id: 'f1', kind: 'partition', label: 'isolate leader n1', targets: ['n1'], cuts: isolate(three, 'n1').cuts, leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
      if (exitAt > 1000) exit();
      h.steady(1000, 2500, { term: 1, leader: null, only: ['n2'] });
      h.heal('f1', 2500).steady(electedAt, 3500, { term: 2, leader: 'n2', only: ['n1', 'n2'] });
      return h.end(3500);
    }
    it('valid: its exit left no majority with the leader isolated, so the heal is timed, not the isolation', () => {
      for (const exitAt of [600, 1100]) {
        const r = electionTime.check(diskThenIsolate(exitAt, 2600).entries, new HistoryBuilder(three).ctx());
        expect(r.verdict, `exit at ${exitAt}`).toBe('valid');
        expect(failovers(r).map((f) => [f.kind, f.outcome])).toEqual([['fault', 'no-majority'], ['heal', 'ok']]);
      }
    });
    it('invalid: an exit after the bound had already run out does not excuse the wait', () => {
      const r = electionTime.check(diskThenIsolate(2000, 2600).entries, new HistoryBuilder(three).ctx());
      expect(r.verdict).toBe('invalid');
      expect(failovers(r)[0]).toMatchObject({ kind: 'fault', outcome: 'none' });
    });
  });

  describe('Pre-Vote off: a node that cannot win but keeps campaigning (random search seed 1, schedule 1840)', () => {
    const four = ['n1', 'n2', 'n3', 'n4'];
    const config = (preVote: boolean) => testConfig({ preVote, electionTimeoutMin: 150, electionTimeoutMax: 225, heartbeatInterval: 50 });
    /**
     * Leader n3 (term 3); n4→n1 black-holed from 500 (o3); n3's outbound black-holed at 1000
     * (o4: removes the leader). Only n2 has two-way links to a majority (n1, n4); n1 and n4 can
     * send to n2 but not win, so without Pre-Vote each of their campaigns takes n2's vote and
     * restarts its timer. o3 ends at 1550; n4 leads term 8 from `electedAt`; o4 ends at 2500.
     */
    function schedule1840(preVote: boolean, electedAt: number) {
      const h = new HistoryBuilder(four, config(preVote)).start().steady(0, 500, { term: 3, leader: 'n3' });
      h.phase('faults', 500).fault({ id: 'o3', kind: 'timeout', label: 'black hole on n4→n1', targets: ['n1', 'n4'], cuts: [['n4', 'n1']], leaderBefore: { node: 'n3', term: 3 }, removesLeader: false }, 500);
      h.steady(500, 1000, { term: 3, leader: 'n3' });
      h.fault(
        { id: 'o4', kind: 'timeout', label: 'black hole on n3→n1 n3→n2 n3→n4', targets: four, cuts: [['n3', 'n1'], ['n3', 'n2'], ['n3', 'n4']], leaderBefore: { node: 'n3', term: 3 }, removesLeader: true },
        1000,
      );
      h.steady(1000, 1550, { term: 6, leader: null });
      h.heal('o3', 1550).steady(1550, electedAt, { term: 7, leader: null }).steady(electedAt, 2500, { term: 8, leader: 'n4' });
      return h.heal('o4', 2500).steady(2500, 3500, { term: 8, leader: 'n4' }).end(3500);
    }

    it('n1 and n4 are disrupters under o3 and o4 with Pre-Vote off; none with Pre-Vote on, or once o3 ends', () => {
      const faults = new ActiveFaults();
      const h = schedule1840(false, 1900);
      for (const e of h.entries) if (e.type === 'fault-start') faults.apply(e);
      expect(disrupters(four, faults, new Set(), 75, 22, false)).toEqual(['n1', 'n4']);
      expect(disrupters(four, faults, new Set(), 75, 22, true)).toEqual([]);
      faults.apply({ type: 'fault-end', t: 1550, wall: 0, id: 'o3' } as never);
      expect(disrupters(four, faults, new Set(), 75, 22, false)).toEqual([]);
    });

    it('valid with Pre-Vote off: the removal is not held to the bound (disrupted); the end of o3, which ends the disruption, is', () => {
      const h = schedule1840(false, 1900);
      const r = electionTime.check(h.entries, h.ctx());
      expect(r.verdict, r.message).toBe('valid');
      expect(failovers(r).map((f) => [f.faultId, f.kind, f.outcome])).toEqual([
        ['o4', 'fault', 'disrupted'],
        ['o3', 'heal', 'ok'],
        ['o4', 'heal', 'ok'],
      ]);
      expect(failovers(r)[0]).toMatchObject({ informational: true, ms: null });
    });

    it('invalid with Pre-Vote off when the wait after the disruption ended is too slow (700 ms for 150-225)', () => {
      const r = electionTime.check(schedule1840(false, 2300).entries, new HistoryBuilder(four, config(false)).ctx());
      expect(r.verdict).toBe('invalid');
      expect(r.message).toMatch(/after healing black hole on n4→n1 at 1550 ms a settled leader took 750 ms \(bound 700 ms\)/);
    });

    it('invalid with Pre-Vote on: the same wait is held to the bound (a pre-vote changes no term or timer)', () => {
      const r = electionTime.check(schedule1840(true, 1900).entries, new HistoryBuilder(four, config(true)).ctx());
      expect(r.verdict).toBe('invalid');
      expect(r.message).toMatch(/after black hole on n3→n1 n3→n2 n3→n4 at 1000 ms a settled leader took 900 ms \(bound 700 ms\)/);
    });
  });

  describe('a vote over a slowed link must leave room for the healthy links and the voter\'s save (random search --no-pre-vote, seed 1, schedule 1211)', () => {
    const three = ['n1', 'n2', 'n3'];
    const latency = (ms: number) =>
      (['n1', 'n3'] as const).flatMap((p) => [
        { from: p, to: 'n2', toxic: 'latency', attributes: { latency: ms, jitter: 1 } },
        { from: 'n2', to: p, toxic: 'latency', attributes: { latency: ms, jitter: 1 } },
      ]);
    /**
     * Its minimal schedule: leader n3 (term 1); n1 cut from n2 and n3 at 1000 (o2); n3 isolated
     * at 1300 (o3: no majority left); at 1900 o2 ends and n2's links are slowed by `ms`±1 ms
     * (o4), so only n1↔n2 is left, slowed; o3 ends at 3000, o4 at 3010; n2 leads from 3030.
     * RPC deadline 75 ms (150-300 ms).
     */
    function schedule1211(ms: number) {
      const h = new HistoryBuilder(three, testConfig({ preVote: false })).start().steady(0, 1000, { term: 1, leader: 'n3' });
      h.phase('faults', 1000).fault({ id: 'o2', kind: 'partition', label: 'n2,n3 | n1', targets: ['n1'], cuts: isolate(three, 'n1').cuts, leaderBefore: { node: 'n3', term: 1 }, removesLeader: false }, 1000);
      h.steady(1000, 1300, { term: 1, leader: 'n3', only: ['n2', 'n3'] });
      h.fault({ id: 'o3', kind: 'partition', label: 'isolate n3 (leader)', targets: ['n3'], cuts: isolate(three, 'n3').cuts, leaderBefore: { node: 'n3', term: 1 }, removesLeader: true }, 1300);
      h.steady(1300, 1900, { term: 3, leader: null, only: ['n1', 'n2'] }).heal('o2', 1900);
      h.fault({ id: 'o4', kind: 'latency', label: `latency ${ms}±1 ms on links of n2`, targets: three, links: latency(ms), leaderBefore: null, removesLeader: null }, 1900);
      h.steady(1900, 3000, { term: 9, leader: null, only: ['n1', 'n2'] }).heal('o3', 3000).heal('o4', 3010);
      return h.steady(3010, 3030, { term: 9, leader: null }).steady(3030, 4000, { term: 10, leader: 'n2' }).end(4000);
    }

    it('36±1 ms each way (74 ms of toxics) leaves no room for the voter\'s save and the links in the 75 ms deadline: no majority from o4 on, and the heals that end it are timed', () => {
      const h = schedule1211(36);
      const r = electionTime.check(h.entries, h.ctx());
      expect(r.verdict, r.message).toBe('valid');
      expect(failovers(r).map((f) => [f.faultId, f.kind, f.outcome])).toEqual([
        ['o3', 'fault', 'no-majority'],
        ['o2', 'heal', 'no-majority'],
        ['o4', 'fault', 'no-majority'],
        ['o3', 'heal', 'disrupted'],
        ['o4', 'heal', 'ok'],
      ]);
    });

    it('invalid at 20±1 ms each way (62 ms with the save and the links: votes get through): the wait from the end of o2 is held to its bound', () => {
      const h = schedule1211(20);
      const r = electionTime.check(h.entries, h.ctx());
      expect(r.verdict).toBe('invalid');
      expect(r.message).toMatch(/after healing n2,n3 \| n1 at 1900 ms no settled leader within 850 ms/);
    });
  });
});
