import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimRunDir } from './run-dir.js';
import { makeRunId } from './run-scenario.js';

describe('run naming', () => {
  it('names a run by the wall time it began, sortable', () => {
    expect(makeRunId('partition-leader', 42, Date.UTC(2026, 11, 6, 1, 2, 3, 45))).toBe('20261206-010203045-partition-leader-s42');
    const older = makeRunId('z', 1, Date.UTC(2026, 0, 1));
    const newer = makeRunId('a', 1, Date.UTC(2026, 0, 2));
    expect(older < newer).toBe(true);
  });

  it('never hands out an existing run directory again', () => {
    const root = join(mkdtempSync(join(tmpdir(), 'run-dir-')), 'reports');
    const id = '20261206-010203045-baseline-s1-sim0abc12';
    expect(claimRunDir(root, id)).toBe(id);
    writeFileSync(join(root, id, 'history.jsonl'), 'first run\n');
    expect(claimRunDir(root, id)).toBe(`${id}-2`);
    expect(claimRunDir(root, id)).toBe(`${id}-3`);
    expect(existsSync(join(root, `${id}-3`))).toBe(true);
  });
});
