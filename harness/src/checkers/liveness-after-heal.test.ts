import { describe, expect, it } from 'vitest';
import { livenessAfterHeal } from './liveness-after-heal.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];

function run(recovered: (h: HistoryBuilder) => void, endAt = 6000) {
  const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' });
  h.fault({ id: 'f', kind: 'partition', targets: ['n1'] }, 1000).steady(1000, 2000, { term: 2, leader: 'n2', only: ['n2', 'n3'] });
  h.heal('f', 2000).phase('recovery', 2000);
  recovered(h);
  return h.end(endAt);
}

describe('liveness-after-heal', () => {
  it('valid: every node follows one leader soon after the final heal', () => {
    const h = run((h) => h.steady(2000, 6000, { term: 2, leader: 'n2' }));
    const r = livenessAfterHeal.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details).toMatchObject({ ms: 0, leader: 'n2', term: 2 });
  });

  it('invalid: a node never rejoins', () => {
    const h = run((h) => {
      h.steady(2000, 6000, { term: 2, leader: 'n2', only: ['n2', 'n3'] });
      h.steady(2000, 6000, { term: 7, leader: null, only: ['n1'] });
    });
    const r = livenessAfterHeal.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n1: term 7 follower, no leader/);
  });

  it('invalid: agreement only after the bound (2700 ms)', () => {
    const h = run((h) => {
      h.steady(2000, 5000, { term: 3, leader: null });
      h.steady(5000, 6000, { term: 4, leader: 'n3' });
    });
    const r = livenessAfterHeal.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.details).toMatchObject({ ms: 3000 });
  });

  it('does not count polls from before the heal', () => {
    const h = run(() => {}, 6000);
    expect(livenessAfterHeal.check(h.entries, h.ctx()).verdict).toBe('invalid');
  });

  it('unknown: no recovery phase, or a recovery window shorter than the bound', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 1000, { term: 1, leader: 'n1' }).end();
    expect(livenessAfterHeal.check(h.entries, h.ctx()).verdict).toBe('unknown');
    const short = run((h) => h.steady(2000, 2500, { term: 3, leader: null }), 2500);
    expect(livenessAfterHeal.check(short.entries, short.ctx()).verdict).toBe('unknown');
  });
});
