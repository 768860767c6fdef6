import { chmodSync, existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { checkWritableDir } from './writable-dir.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'writable-dir-'));

describe('checkWritableDir', () => {
  it('accepts an existing directory and one still to be made, creating nothing', () => {
    const d = scratch();
    expect(checkWritableDir(d, '--report-dir')).toBe(d);
    expect(checkWritableDir(join(d, 'a', 'b'), '--report-dir')).toBe(join(d, 'a', 'b'));
    expect(existsSync(join(d, 'a'))).toBe(false);
    expect(readdirSync(d)).toEqual([]);
  });
  it.each(['/proc/1/reports', '/proc', '/sys/x', '/dev/shm/x'])('refuses %s by its prefix, without touching it', (p) => {
    expect(() => checkWritableDir(p, '--report-dir')).toThrow(ConfigError);
    expect(() => checkWritableDir(p, '--report-dir')).toThrow(/--report-dir ".*": is under \/(proc|sys|dev), a kernel pseudo-filesystem/);
  });
  it('refuses a path with a file in the way (ENOTDIR) and a path that is a file', () => {
    const d = scratch();
    writeFileSync(join(d, 'f'), 'x');
    expect(() => checkWritableDir(join(d, 'f', 'reports'), '--out')).toThrow(/--out ".*f\/reports": .*is a file, not a directory/);
    expect(() => checkWritableDir(join(d, 'f'), '--out')).toThrow(/is a file, not a directory/);
  });
  it.skipIf(process.getuid?.() === 0)('refuses a directory it cannot write in (EACCES)', () => {
    const d = scratch();
    chmodSync(d, 0o500);
    try {
      expect(() => checkWritableDir(join(d, 'reports'), '--report-dir')).toThrow(/not writable \(EACCES\)/);
    } finally {
      chmodSync(d, 0o700);
    }
  });
});
