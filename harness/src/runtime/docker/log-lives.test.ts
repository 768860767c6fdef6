import { describe, expect, it } from 'vitest';
import { lifeHeader, markLives, parseTimestamped } from './log-lives.js';

const h = (us: number) => `--- life at ${us} ---\n`;
const at = (atUs: number, text: string) => ({ atUs, text });

describe('parseTimestamped', () => {
  it('reads the engine’s nanosecond times to the microsecond, keeps the text as is', () => {
    expect(parseTimestamped('2026-11-29T03:21:40.123456789Z hello\n')).toEqual({
      atUs: Date.parse('2026-11-29T03:21:40Z') * 1000 + 123456,
      text: 'hello\n',
    });
    expect(parseTimestamped('2026-11-29T03:21:40Z x')?.atUs).toBe(Date.parse('2026-11-29T03:21:40Z') * 1000);
    expect(parseTimestamped('hello')).toBeUndefined();
  });
});

describe('markLives', () => {
  it('one life: a header, then everything', () => {
    expect(markLives([at(20, 'a\n'), at(30, 'b\n')], [{ action: 'start', atUs: 10 }], h)).toBe('--- life at 10 ---\na\nb\n');
  });

  it('a restarted container: each life after its own header, split at the death between the starts', () => {
    const entries = [at(20, 'first boot\n'), at(49, 'last words\n'), at(70, 'second boot\n'), at(120, 'third\n')];
    const events = [
      { action: 'die', atUs: 100 },
      { action: 'start', atUs: 10 },
      { action: 'die', atUs: 50 },
      { action: 'start', atUs: 60 },
      { action: 'start', atUs: 110 },
    ] as const;
    expect(markLives(entries, events, h)).toBe(
      '--- life at 10 ---\nfirst boot\nlast words\n--- life at 60 ---\nsecond boot\n--- life at 110 ---\nthird\n',
    );
  });

  it('a life that logged nothing still has its header; no start seen gives the texts alone', () => {
    expect(markLives([at(20, 'a\n')], [{ action: 'start', atUs: 10 }, { action: 'die', atUs: 30 }, { action: 'start', atUs: 40 }], h)).toBe(
      '--- life at 10 ---\na\n--- life at 40 ---\n',
    );
    expect(markLives([at(20, 'a\n')], [], h)).toBe('a\n');
  });

  it('the header says which node, which container and when, like the process runtime’s', () => {
    expect(lifeHeader('n1', 'raft-chaos-r-n1')(Date.parse('2026-11-29T03:21:40.123Z') * 1000 + 456)).toBe(
      '--- raft-chaos: starting n1 (container raft-chaos-r-n1) at 2026-11-29T03:21:40.123Z ---\n',
    );
  });
});
