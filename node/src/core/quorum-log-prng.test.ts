import { describe, expect, it } from 'vitest';
import { appendEntries, isUpToDate, lastIndex, lastTerm } from './log.js';
import { seededRng } from './prng.js';
import { buggyMajority, majority, voteResult } from './quorum.js';

describe('quorum', () => {
  it('majority of the whole cluster', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map(majority)).toEqual([1, 2, 2, 3, 3, 4, 4]);
  });
  it("the seed's formula is wrong exactly for even sizes", () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7]) expect(buggyMajority(n) === majority(n)).toBe(n % 2 === 1);
  });
  it('tallies won, lost and pending', () => {
    expect(voteResult(3, 0, 5, 3)).toBe('won');
    expect(voteResult(1, 3, 5, 3)).toBe('lost');
    expect(voteResult(2, 2, 5, 3)).toBe('pending');
  });
});

describe('log', () => {
  it('last index and term', () => {
    expect([lastIndex([]), lastTerm([])]).toEqual([0, 0]);
    expect(lastTerm([{ index: 1, term: 2 }])).toBe(2);
  });
  it('isUpToDate compares last term, then index', () => {
    const log = [{ index: 1, term: 2 }];
    expect(isUpToDate(log, 0, 3)).toBe(true);
    expect(isUpToDate(log, 9, 1)).toBe(false);
    expect(isUpToDate(log, 1, 2)).toBe(true);
    expect(isUpToDate(log, 0, 2)).toBe(false);
  });
  it('appendEntries truncates a conflicting suffix', () => {
    const log = [
      { index: 1, term: 1 },
      { index: 2, term: 1 },
      { index: 3, term: 1 },
    ];
    expect(appendEntries(log, 1, 1, [{ index: 2, term: 2 }])).toEqual([
      { index: 1, term: 1 },
      { index: 2, term: 2 },
    ]);
    expect(appendEntries(log, 1, 1, [{ index: 2, term: 1 }])).toEqual(log);
    expect(appendEntries(log, 4, 1, [])).toBeNull();
  });
});

describe('seeded rng', () => {
  it('replays from a seed and stays in range', () => {
    const a = seededRng(9);
    const b = seededRng(9);
    const xs = Array.from({ length: 100 }, () => a.int(150, 300));
    expect(xs).toEqual(Array.from({ length: 100 }, () => b.int(150, 300)));
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(150);
    expect(Math.max(...xs)).toBeLessThanOrEqual(300);
  });
});
