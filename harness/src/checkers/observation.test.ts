import { describe, expect, it } from 'vitest';
import { observation } from './observation.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const withStartEvents = (h: HistoryBuilder) => {
  for (const n of nodes) h.event(n, 'start', 0, { stateTerm: 0 }, 0);
  return h;
};

describe('observation', () => {
  it('valid: every node polled at the expected rate, events read', () => {
    const h = withStartEvents(new HistoryBuilder(nodes).start()).steady(0, 2000, { term: 1, leader: 'n1' }).end();
    const r = observation.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
  });

  it('a killed node is not expected to answer', () => {
    const h = withStartEvents(new HistoryBuilder(nodes).start()).steady(0, 500, { term: 1, leader: 'n1' });
    h.fault({ id: 'k', kind: 'kill', targets: ['n3'] }, 500).steady(500, 2000, { term: 1, leader: 'n1', only: ['n1', 'n2'] }).heal('k', 2000);
    h.steady(2000, 2300, { term: 1, leader: 'n1' }).end();
    expect(observation.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('a node started late (staggered start) is expected to answer only from its start', () => {
    const h = withStartEvents(new HistoryBuilder(nodes).start());
    for (const n of nodes.slice(0, 2)) h.process(n, 'start', 0);
    h.steady(0, 3000, { term: 1, leader: 'n1', only: ['n1', 'n2'] });
    for (let t = 0; t < 3000; t += 50) h.pollFail('n3', 'refused', t);
    h.process('n3', 'start', 3000).steady(3000, 4000, { term: 1, leader: 'n1' }).end(4000);
    const r = observation.check(h.entries, h.ctx());
    expect(r.verdict, r.message).toBe('valid');
    const n3 = (r.details?.['nodes'] as Array<{ node: string; expectedPolls: number }>).find((o) => o.node === 'n3');
    expect(n3?.expectedPolls).toBe(20);
    // Its start does not excuse silence after it.
    const silent = withStartEvents(new HistoryBuilder(nodes).start());
    silent.steady(0, 3000, { term: 1, leader: 'n1', only: ['n1', 'n2'] }).process('n3', 'start', 1000);
    for (let t = 2900; t < 3000; t += 50) silent.poll('n3', { term: 1, leader: 'n1' }, t);
    silent.end(3000);
    expect(observation.check(silent.entries, silent.ctx()).message).toMatch(/n3 answered 2 of 40 expected polls/);
  });

  it('unknown: too few ok polls of a node', () => {
    const h = withStartEvents(new HistoryBuilder(nodes).start()).steady(0, 2000, { term: 1, leader: 'n1', only: ['n1', 'n2'] });
    for (let t = 0; t < 2000; t += 200) h.poll('n3', { term: 1, leader: 'n1' }, t);
    h.end(2000);
    const r = observation.check(h.entries, h.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.message).toMatch(/n3 answered 10 of 40 expected polls \(25%\)/);
  });

  it('unknown: a node never answered, events were lost, or the history was cut short', () => {
    const silent = withStartEvents(new HistoryBuilder(nodes).start()).steady(0, 1000, { term: 1, leader: 'n1', only: ['n1', 'n2'] }).end();
    expect(observation.check(silent.entries, silent.ctx()).message).toMatch(/n3 never answered a poll/);
    const gap = withStartEvents(new HistoryBuilder(nodes).start()).steady(0, 1000, { term: 1, leader: 'n1' }).gap('n2', 5, 9, 500).end(1000);
    const r = observation.check(gap.entries, gap.ctx());
    expect(r.verdict).toBe('unknown');
    expect(r.message).toMatch(/5 node event\(s\) were lost in 1 gap\(s\) \(n2\)/);
    expect(r.witnesses[0]?.type).toBe('events-gap');
    const cut = withStartEvents(new HistoryBuilder(nodes).start()).steady(0, 1000, { term: 1, leader: 'n1' });
    expect(observation.check(cut.entries, cut.ctx()).message).toMatch(/no run-end/);
  });

  it('unknown: no node events read from a node that answered polls', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' }).end();
    expect(observation.check(h.entries, h.ctx()).message).toMatch(/no node events were read from n1/);
  });
});
