import { describe, expect, it } from 'vitest';
import type { Cut, LinkProbe } from '../history/types.js';
import { faultsInForce } from './faults-in-force.js';
import { HistoryBuilder } from './testing/history-builder.js';

const NODES = ['n1', 'n2', 'n3'];

/** A history builder whose run-start names a real runtime (the builder's own says `sim`). */
function run(runtime = 'process'): HistoryBuilder {
  const h = new HistoryBuilder(NODES);
  h.push({ type: 'run-start', runId: 't', scenario: 't', seed: 1, runtime, nodes: NODES, config: h.ctx().config, replay: '' }, 0);
  return h.phase('faults', 0);
}

function probe(from: string, to: string, expect: LinkProbe['expect'], result: LinkProbe['result'], extra: Partial<LinkProbe> = {}): LinkProbe {
  return { from, to, expect, result, ms: result === 'answered' ? 3 : 200, direct: 'answered', seenOpen: true, ...extra };
}

function probes(h: HistoryBuilder, op: string, links: Cut[], list: LinkProbe[], t: number, toxic?: string): HistoryBuilder {
  return h.push({ type: 'fault-probe', op, links, probes: list, tookMs: op.startsWith('apply') || op === 'add-toxic' ? 201 : 4, ...(toxic ? { toxic } : {}) }, t);
}

const cut: Cut[] = [['n1', 'n2']];
const cutOk = [probe('n1', 'n2', 'blocked', 'refused'), probe('n2', 'n1', 'blocked', 'timeout')];
const healOk = [probe('n1', 'n2', 'open', 'answered'), probe('n2', 'n1', 'open', 'answered')];

/** A run with one one-way cut n1→n2, probed as given, then healed and a final heal-all. */
function cutRun(apply: LinkProbe[], heal: LinkProbe[] = healOk): HistoryBuilder {
  const h = run().fault({ id: 'f1', kind: 'one-way', targets: ['n1'], cuts: cut }, 100);
  probes(h, 'apply-cuts', cut, apply, 300);
  probes(h, 'heal-cuts', cut, heal, 1000);
  h.heal('f1', 1005);
  return h.end(2000);
}

describe('faults-in-force', () => {
  it('valid when every cut was silent and every heal answered, with the probing cost', () => {
    const h = cutRun(cutOk);
    const r = faultsInForce.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/All 1 network fault\(s\) were seen in force/);
    expect(r.details).toMatchObject({ faults: 1, faultsProven: 1, roundTrips: 4, applyProbeMsMedian: 201, healProbeMsMedian: 4 });
  });

  it('invalid when a cut link answered (a partitioner that skipped the cut), naming fault and probe', () => {
    const h = cutRun([probe('n1', 'n2', 'blocked', 'answered'), probe('n2', 'n1', 'blocked', 'answered')]);
    const r = faultsInForce.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/fault f1 .*proxy n1→n2 was answered/);
    expect(r.witnesses.map((w) => w.type)).toEqual(['fault-start', 'fault-probe']);
  });

  it('invalid when a healed link stays silent while its node answers directly', () => {
    const h = cutRun(cutOk, [probe('n1', 'n2', 'open', 'refused'), probe('n2', 'n1', 'open', 'answered')]);
    const r = faultsInForce.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/heal-cuts .*n1→n2 stayed silent/);
  });

  it('invalid when a latency toxic does not show in the round trip', () => {
    const h = run().fault({ id: 'f1', kind: 'latency', targets: ['n1', 'n2'], links: [{ from: 'n1', to: 'n2', toxic: 'latency', attributes: { latency: 100, jitter: 0 } }] }, 100);
    probes(h, 'add-toxic', cut, [probe('n1', 'n2', 'open', 'answered', { ms: 2, minDelayMs: 100 }), probe('n2', 'n1', 'open', 'answered', { ms: 104, minDelayMs: 100 })], 200, 'latency');
    const r = faultsInForce.check(h.end(500).entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/took 2 ms, less than the 100 ms/);
  });

  it('unknown when a silent link was never seen answering, or its node is silent too', () => {
    for (const bad of [{ seenOpen: false }, { direct: 'failed' as const }]) {
      const h = cutRun([probe('n1', 'n2', 'blocked', 'refused', bad), probe('n2', 'n1', 'blocked', 'timeout')]);
      const r = faultsInForce.check(h.entries, h.ctx());
      expect(r.verdict).toBe('unknown');
      expect(r.message).toMatch(/proves nothing|did not answer directly/);
    }
  });

  it('unknown when a network fault has no probe after it; kill faults need none', () => {
    const h = run().fault({ id: 'k', kind: 'kill', targets: ['n3'] }, 50).fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: cut }, 100);
    probes(h, 'heal-all', [['n1', 'n2']], healOk, 900);
    const r = faultsInForce.check(h.end(1000).entries, h.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.message).toMatch(/fault f1 .* has no probe/);
  });

  it('a probe at a node the run had killed is skipped, not counted against the fault', () => {
    const h = run().process('n2', 'kill', 50).fault({ id: 'f1', kind: 'one-way', targets: ['n1'], cuts: cut }, 100);
    probes(h, 'apply-cuts', cut, [probe('n1', 'n2', 'blocked', 'closed', { direct: 'failed' }), probe('n2', 'n1', 'blocked', 'timeout')], 300);
    h.process('n2', 'start', 400);
    probes(h, 'heal-cuts', cut, healOk, 1000);
    expect(faultsInForce.check(h.end(2000).entries, h.ctx()).verdict).toBe('valid');
  });

  it('says "not applicable" on a simulated network, never just ok', () => {
    const h = new HistoryBuilder(NODES).start().fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: cut }, 100).heal('f1', 500).end(1000);
    const r = faultsInForce.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/^Not applicable: simulated network/);
    expect(r.details).toEqual({ applicable: false });
  });

  it('unknown on a real runtime with network faults and no probes at all', () => {
    const h = run().fault({ id: 'f1', kind: 'partition', targets: ['n1'], cuts: cut }, 100).heal('f1', 500).end(1000);
    expect(faultsInForce.check(h.entries, h.ctx()).verdict).toBe('unknown');
  });
});
