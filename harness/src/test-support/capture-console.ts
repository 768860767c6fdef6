import { afterEach, beforeEach, vi } from 'vitest';

/**
 * Collects what `console.log` and `console.error` print during each test of the enclosing
 * `describe` (or file), for tests of commands that run in this process; the lines start empty
 * before every test and the console is restored after it. Call at describe or file level.
 */
export function captureConsole(): { lines: string[] } {
  const captured = { lines: [] as string[] };
  beforeEach(() => {
    captured.lines = [];
    const keep = (...a: unknown[]) => void captured.lines.push(a.join(' '));
    vi.spyOn(console, 'log').mockImplementation(keep);
    vi.spyOn(console, 'error').mockImplementation(keep);
  });
  afterEach(() => vi.restoreAllMocks());
  return captured;
}
