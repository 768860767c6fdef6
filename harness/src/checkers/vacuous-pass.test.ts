import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../history/types.js';
import { defaultCheckers } from './index.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement, notJudged } from './types.js';

/**
 * The vacuous-pass guard, one case per check: a history with nothing a check could judge
 * (no node answered; or nodes answered but no leader ever came, no vote, no fault) must never
 * read `ok`. Each check says `not judged`/`not applicable` (valid, shown n/a) or `unknown`,
 * with a reason in its message.
 */
const nodes = ['n1', 'n2', 'n3'];

const histories: Record<string, () => { entries: HistoryEntry[]; ctx: ReturnType<HistoryBuilder['ctx']> }> = {
  'nothing recorded': () => {
    const h = new HistoryBuilder(nodes);
    return { entries: [], ctx: h.ctx() };
  },
  'a run with no answers': () => {
    const h = new HistoryBuilder(nodes).start().end(10);
    return { entries: h.entries, ctx: h.ctx() };
  },
  'answers but never a leader, vote or fault': () => {
    const h = new HistoryBuilder(nodes).start();
    h.steady(0, 3000, { term: 1, leader: null });
    h.phase('recovery', 3000).steady(3000, 6000, { term: 1, leader: null });
    h.end(6000);
    return { entries: h.entries, ctx: h.ctx() };
  },
};

describe('vacuous-pass guard', () => {
  for (const checker of defaultCheckers) {
    it(`${checker.name} never says ok when it saw nothing to judge`, () => {
      for (const [what, make] of Object.entries(histories)) {
        const { entries, ctx } = make();
        const r = checker.check(entries, ctx);
        expect(judgement(r), `${checker.name} on ${what}: ${r.message}`).not.toBe('ok');
        expect(r.message.length, `${checker.name} gives a reason`).toBeGreaterThan(10);
        if (judgement(r) === 'not judged') expect(r.message).toMatch(/^Not judged: /);
      }
    });
  }

  it('notJudged() is a valid result shown as not judged, with its reason', () => {
    const r = notJudged('x', 'nothing happened.', { n: 0 });
    expect(r).toMatchObject({ verdict: 'valid', message: 'Not judged: nothing happened.', details: { n: 0, judged: false } });
    expect(judgement(r)).toBe('not judged');
  });
});
