import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleInterrupts } from './interrupts.js';

describe('handleInterrupts: the first Ctrl-C aborts, the second exits', () => {
  afterEach(() => vi.restoreAllMocks());

  it('aborts on the first signal, ignores a repeat within 500 ms, exits 130 on a later one', () => {
    let now = 1000;
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const said: string[] = [];
    const i = handleInterrupts({ first: (s) => said.push(`first ${s}`), again: (s) => said.push(`again ${s}`) });
    try {
      expect(i.signal.aborted).toBe(false);
      process.emit('SIGINT', 'SIGINT');
      expect(i.signal.aborted).toBe(true);
      expect((i.signal.reason as Error).message).toBe('SIGINT received');
      now += 100;
      process.emit('SIGINT', 'SIGINT'); // the same Ctrl-C, sent again
      expect(i.count).toBe(1);
      expect(exit).not.toHaveBeenCalled();
      now += 1000;
      process.emit('SIGTERM', 'SIGTERM');
      expect(exit).toHaveBeenCalledWith(130);
      expect(said).toEqual(['first SIGINT', 'again SIGTERM']);
    } finally {
      i.pause();
    }
  });

  it('pause stops listening and listen starts again', () => {
    const before = process.listenerCount('SIGINT');
    const i = handleInterrupts({ first: () => {} });
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    i.pause();
    expect(process.listenerCount('SIGINT')).toBe(before);
    i.listen();
    expect(process.listenerCount('SIGTERM')).toBeGreaterThan(0);
    i.pause();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });
});
