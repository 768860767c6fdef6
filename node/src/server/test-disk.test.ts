import { describe, expect, it } from 'vitest';
import type { DiskOps } from './disk.js';
import { nodeStorage } from './storage.js';
import { formatDiskMode, parseDiskMode, TestDisk, WRITEBACK_MS } from './test-disk.js';

/** A disk in memory standing for the real one: what it holds survives a "kill" of the TestDisk over it. */
function platter(): DiskOps & { files: Map<string, string>; syncs: number } {
  const files = new Map<string, string>();
  const d = {
    files,
    syncs: 0,
    mkdirp() {},
    read: (p: string) => files.get(p) ?? null,
    writeFile(p: string, t: string, sync: boolean) {
      files.set(p, t);
      if (sync) d.syncs++;
    },
    rename(from: string, to: string) {
      const t = files.get(from);
      if (t === undefined) throw new Error(`ENOENT ${from}`);
      files.delete(from);
      files.set(to, t);
    },
    syncDir() {
      d.syncs++;
    },
  };
  return d;
}

describe('the node disk test modes (--disk)', () => {
  it('lossy: a no-fsync save lives in the process until a kill loses it; the correct save is on disk at once', () => {
    const real = platter();
    let t = 0;
    const disk = new TestDisk(parseDiskMode('lossy', '--disk'), real, () => t);
    nodeStorage('/d', [], disk).save({ term: 3, votedFor: 'n2' });
    expect(disk.pendingCount).toBe(0);
    expect(nodeStorage('/d', [], real).load()).toEqual({ term: 3, votedFor: 'n2' });

    const buggy = nodeStorage('/d', ['no-fsync'], disk);
    buggy.save({ term: 4, votedFor: 'n1' });
    expect(buggy.load()).toEqual({ term: 4, votedFor: 'n1' }); // the process reads its own write
    expect(disk.pendingCount).toBe(2); // the write and the rename
    // kill -9: a new process over the same disk sees what was durable.
    expect(nodeStorage('/d', ['no-fsync'], new TestDisk(disk.mode, real, () => t)).load()).toEqual({ term: 3, votedFor: 'n2' });

    // The kernel writes back what has waited 30 s.
    t += WRITEBACK_MS + 1;
    buggy.load();
    expect(disk.pendingCount).toBe(0);
    expect(nodeStorage('/d', [], real).load()).toEqual({ term: 4, votedFor: 'n1' });
  });

  it('lossy: a clean stop writes back what is pending', () => {
    const real = platter();
    const disk = new TestDisk(parseDiskMode('lossy', '--disk'), real, () => 0);
    nodeStorage('/d', ['no-fsync'], disk).save({ term: 7, votedFor: null });
    expect(real.read('/d/raft-state.json')).toBeNull();
    disk.writeBack();
    expect(nodeStorage('/d', [], real).load()).toEqual({ term: 7, votedFor: null });
  });

  it('sync-delay: every fsync blocks for the delay; nothing is lost', () => {
    const real = platter();
    const disk = new TestDisk(parseDiskMode('sync-delay=25', '--disk'), real);
    const t0 = performance.now();
    nodeStorage('/d', [], disk).save({ term: 1, votedFor: 'n1' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(48); // file and directory: 2 x 25 ms
    expect(real.syncs).toBe(2);
    expect(nodeStorage('/d', [], real).load()).toEqual({ term: 1, votedFor: 'n1' });
  });

  it('parses and prints modes; refuses a bad one naming it', () => {
    expect(parseDiskMode('real', 'DISK')).toEqual({ lossy: false, syncDelayMs: 0 });
    expect(parseDiskMode('lossy, sync-delay=20', 'DISK')).toEqual({ lossy: true, syncDelayMs: 20 });
    expect(formatDiskMode(parseDiskMode('sync-delay=20,lossy', 'DISK'))).toBe('lossy,sync-delay=20');
    expect(formatDiskMode(parseDiskMode('real', 'DISK'))).toBe('real');
    expect(() => parseDiskMode('lossy,slow', '--disk')).toThrow(/--disk: "slow" is not a disk mode/);
    expect(() => parseDiskMode('sync-delay=20000', '--disk')).toThrow(/sync-delay=20000/);
  });
});

describe('--disk faults: the disk refuses while its control file says so', () => {
  it('parses, formats, and refuses as the control file beside the data directory says (full, eio, absent)', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { diskFor } = await import('./test-disk.js');
    const { diskFaultFile } = await import('../disk-mode.js');
    expect(parseDiskMode('faults,lossy', '--disk')).toEqual({ lossy: true, syncDelayMs: 0, faults: true });
    expect(formatDiskMode(parseDiskMode('faults', '--disk'))).toBe('faults');
    const root = mkdtempSync(join(tmpdir(), 'test-disk-faults-'));
    try {
      const dir = join(root, 'data', 'n1');
      expect(diskFaultFile(`${dir}/`)).toBe(`${dir}.disk-fault`);
      const s = nodeStorage(dir, [], diskFor(parseDiskMode('faults', '--disk'), dir));
      expect(s.load()).toEqual({ term: 0, votedFor: null });
      s.save({ term: 2, votedFor: 'n1' });
      writeFileSync(diskFaultFile(dir), 'full\n');
      expect(() => s.save({ term: 3, votedFor: null })).toThrow(/cannot write state file .*ENOSPC/);
      expect(s.load()).toEqual({ term: 2, votedFor: 'n1' });
      writeFileSync(diskFaultFile(dir), 'eio\n');
      expect(() => s.load()).toThrow(/cannot create data directory .*EIO/);
      rmSync(diskFaultFile(dir));
      s.save({ term: 3, votedFor: null });
      expect(s.load()).toEqual({ term: 3, votedFor: null });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
