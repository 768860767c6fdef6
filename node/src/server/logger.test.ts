import { mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { defaultLogFormat, prettyDestination } from './logger.js';

describe('node logger', () => {
  it('is pretty on a terminal and JSON otherwise (the harness reads JSON)', () => {
    expect(defaultLogFormat(true)).toBe('pretty');
    expect(defaultLogFormat(false)).toBe('json');
    expect(defaultLogFormat(undefined)).toBe('json');
  });

  it('the pretty destination writes readable lines, synchronously, with the message and fields', () => {
    const dir = mkdtempSync(join(tmpdir(), 'raft-logger-'));
    try {
      const file = join(dir, 'out.log');
      const fd = openSync(file, 'w');
      const log = pino({ base: { node: 'n1', pid: 42 } }, prettyDestination(fd, false));
      log.warn({ from: 'n2' }, 'refused a request');
      const text = readFileSync(file, 'utf8'); // written before warn() returned
      closeSync(fd);
      expect(text).toMatch(/WARN.*refused a request/);
      expect(text).toContain('node: "n1"');
      expect(text).toContain('from: "n2"');
      expect(() => JSON.parse(text)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
