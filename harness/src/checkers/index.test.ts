import { describe, expect, it } from 'vitest';
import { checkAll, defaultCheckers, selectCheckers, type Checker } from './index.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const fixed = (name: string, verdict: 'valid' | 'invalid' | 'unknown'): Checker => ({
  name,
  description: name,
  check: () => ({ name, verdict, message: verdict, witnesses: [] }),
});
const throwing: Checker = {
  name: 'boom',
  description: 'throws',
  check: () => {
    throw new TypeError('cannot read x');
  },
};

function healthyRun() {
  const h = new HistoryBuilder(nodes).start();
  for (const n of nodes) h.event(n, 'start', 0, { stateTerm: 0, stateVotedFor: null }, 0);
  h.steady(0, 300, { term: 1, leader: null });
  h.event('n1', 'become-candidate', 1, { reason: 'election-timeout' }, 290);
  for (const n of ['n2', 'n3']) h.event(n, 'vote', 1, { candidate: 'n1', granted: true, preVote: false, reason: 'granted', requestTerm: 1 }, 295);
  h.event('n1', 'become-leader', 1, {}, 300).steady(300, 1000, { term: 1, leader: 'n1' });
  h.phase('faults', 1000).fault({ id: 'f1', kind: 'kill', label: 'kill leader n1', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 }, removesLeader: true }, 1000);
  h.steady(1000, 1300, { term: 1, leader: 'n1', only: ['n2', 'n3'] });
  h.event('n2', 'become-candidate', 2, { reason: 'election-timeout' }, 1290);
  h.event('n3', 'vote', 2, { candidate: 'n2', granted: true, preVote: false, reason: 'granted', requestTerm: 2 }, 1295);
  h.event('n2', 'become-leader', 2, {}, 1300).steady(1300, 2000, { term: 2, leader: 'n2', only: ['n2', 'n3'] });
  h.heal('f1', 2000).restart('n1').event('n1', 'start', 1, { stateTerm: 1, stateVotedFor: null }, 2050);
  h.phase('recovery', 2000).steady(2050, 5000, { term: 2, leader: 'n2' });
  return h.end(5000);
}

describe('checkAll', () => {
  it('takes the worst verdict', () => {
    const h = new HistoryBuilder(nodes);
    expect(checkAll(h.entries, h.ctx(), [fixed('a', 'valid'), fixed('b', 'unknown')]).verdict).toBe('unknown');
    expect(checkAll(h.entries, h.ctx(), [fixed('a', 'invalid'), fixed('b', 'unknown')]).verdict).toBe('invalid');
    expect(checkAll(h.entries, h.ctx(), []).verdict).toBe('valid');
  });

  it('a checker that throws gives unknown with the error, never valid', () => {
    const h = new HistoryBuilder(nodes);
    const r = checkAll(h.entries, h.ctx(), [fixed('a', 'valid'), throwing]);
    expect(r.verdict).toBe('unknown');
    expect(r.results[1]).toMatchObject({ name: 'boom', verdict: 'unknown', message: expect.stringMatching(/TypeError: cannot read x/) });
  });

  it('the default checkers call a healthy kill-leader run valid', () => {
    const h = healthyRun();
    const r = checkAll(h.entries, h.ctx());
    const bad = r.results.filter((x) => x.verdict !== 'valid').map((x) => `${x.name}: ${x.message}`);
    expect(bad).toEqual([]);
    expect(r.results.map((x) => x.name)).toEqual(defaultCheckers.map((c) => c.name));
  });

  it('no default checker throws on an empty or minimal history', () => {
    const h = new HistoryBuilder(nodes);
    for (const entries of [[], new HistoryBuilder(nodes).start().end(10).entries]) {
      const r = checkAll(entries, h.ctx());
      for (const x of r.results) expect(x.message).not.toMatch(/threw/);
      expect(r.verdict).not.toBe('valid');
    }
  });
});

describe('selectCheckers', () => {
  it('leaves out skipped checkers with their reasons and reports unknown names', () => {
    const s = selectCheckers({ 'stable-leadership': 'flapping elects on purpose', nope: 'x' });
    expect(s.checkers.map((c) => c.name)).not.toContain('stable-leadership');
    expect(s.checkers).toHaveLength(defaultCheckers.length - 1);
    expect(s.skipped).toEqual([{ name: 'stable-leadership', reason: 'flapping elects on purpose' }]);
    expect(s.unknownSkips).toEqual(['nope']);
  });
});
