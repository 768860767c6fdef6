import { describe, expect, it } from 'vitest';
import { survivesLostTerminal } from './lost-terminal.js';

describe('survivesLostTerminal', () => {
  it('makes a write error on stdout/stderr (EIO after a hang-up) harmless, and installs itself once', () => {
    const before = [process.stdout.listenerCount('error'), process.stderr.listenerCount('error')];
    survivesLostTerminal();
    survivesLostTerminal();
    expect([process.stdout.listenerCount('error'), process.stderr.listenerCount('error')]).toEqual([before[0]! + 1, before[1]! + 1]);
    const eio = Object.assign(new Error('write EIO'), { code: 'EIO' });
    // Without a listener, emitting 'error' throws (and, from a real write, crashes the process).
    expect(() => process.stdout.emit('error', eio)).not.toThrow();
    expect(() => process.stderr.emit('error', eio)).not.toThrow();
  });
});
