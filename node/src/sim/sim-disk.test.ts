import { describe, expect, it } from 'vitest';
import { FileStorage, nodeStorage } from '../server/storage.js';
import { SimDisk, WRITEBACK_MS, type SimDiskClock } from './sim-disk.js';

/** A clock where each sync takes `syncMs` from the current time and moves it on. */
function clock(syncMs = 10): SimDiskClock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    settled: () => c.t,
    sync: (_kind: 'file' | 'dir') => (c.t += syncMs),
  };
  return c;
}

describe('simulated disk: a crash loses what was not synced', () => {
  it('the storage write (write, fsync, rename, dir fsync) survives a crash once done', () => {
    const c = clock();
    const disk = new SimDisk(c);
    disk.mkdirp('/data');
    const s = new FileStorage('/data', disk);
    s.save({ term: 3, votedFor: 'n2' });
    expect(c.t).toBe(20); // two syncs
    disk.crash(c.t);
    expect(new FileStorage('/data', disk).load()).toEqual({ term: 3, votedFor: 'n2' });
  });

  it('a crash between the write and its fsync loses the write; the old state stays', () => {
    const c = clock();
    const disk = new SimDisk(c);
    disk.mkdirp('/data');
    const s = new FileStorage('/data', disk);
    s.save({ term: 1, votedFor: null });
    const start = c.t;
    s.save({ term: 2, votedFor: 'n3' });
    expect(s.load()).toEqual({ term: 2, votedFor: 'n3' }); // reads see it at once
    disk.crash(start + 5); // during the file's fsync
    expect(s.load()).toEqual({ term: 1, votedFor: null });
  });

  it('a rename whose directory was not yet synced is lost', () => {
    const c = clock();
    const disk = new SimDisk(c);
    disk.mkdirp('/data');
    disk.writeFile('/data/a.tmp', 'x', true); // durable at 10
    disk.rename('/data/a.tmp', '/data/a'); // durable only after syncDir
    disk.crash(c.t);
    expect(disk.read('/data/a')).toBeNull();
    expect(disk.read('/data/a.tmp')).toBe('x');
  });

  it('no-fsync: the state is lost on a crash within the writeback delay, kept after it', () => {
    const c = clock();
    const disk = new SimDisk(c);
    disk.mkdirp('/data');
    const s = nodeStorage('/data', ['no-fsync'], disk);
    s.save({ term: 4, votedFor: 'n1' });
    expect(c.t).toBe(0); // no sync, no wait
    disk.crash(WRITEBACK_MS - 1);
    expect(s.load()).toEqual({ term: 0, votedFor: null });
    s.save({ term: 5, votedFor: 'n1' });
    disk.crash(WRITEBACK_MS);
    expect(s.load()).toEqual({ term: 5, votedFor: 'n1' });
  });

  it('a rename made durable before its data leaves an empty file, which the node refuses to start from', () => {
    const c = clock();
    const disk = new SimDisk(c);
    disk.mkdirp('/data');
    disk.writeFile('/data/raft-state.json.tmp', '{"version":1,"term":1,"votedFor":null}\n', false);
    disk.rename('/data/raft-state.json.tmp', '/data/raft-state.json');
    disk.syncDir('/data');
    disk.crash(c.t);
    expect(disk.read('/data/raft-state.json')).toBe('');
    expect(() => new FileStorage('/data', disk).load()).toThrow(/corrupt/);
  });
});

describe('simulated disk: POSIX directories and refusals', () => {
  it('a file can be written, renamed into and fsynced only in a directory that exists', () => {
    const disk = new SimDisk(clock());
    expect(() => disk.writeFile('/data/x', 'a', true)).toThrow(/ENOENT/);
    expect(() => disk.syncDir('/data')).toThrow(/ENOENT/);
    // A relative name (an empty temp file name) names no directory that exists.
    disk.mkdirp('/data/sub/');
    expect(() => disk.writeFile('', 'a', true)).toThrow(/ENOENT/);
    disk.writeFile('/data/sub/x', 'a', true);
    expect(() => disk.rename('/data/sub/x', '/other/x')).toThrow(/ENOENT/);
    disk.rename('/data/sub/x', '/data/y');
    disk.syncDir('/data');
    expect(disk.read('/data/y')).toBe('a');
    expect(disk.read('/nowhere/y')).toBeNull();
  });

  it('the storage creates its data directory when it loads, so a fresh node can save', () => {
    const disk = new SimDisk(clock());
    const s = new FileStorage('/var/lib/node', disk);
    expect(() => s.save({ term: 1, votedFor: null })).toThrow(/cannot write state file/);
    expect(s.load()).toEqual({ term: 0, votedFor: null });
    s.save({ term: 1, votedFor: null });
    expect(s.load()).toEqual({ term: 1, votedFor: null });
  });

  it('full: writes, renames and fsyncs fail with ENOSPC, reads work; an existing directory can still be made', () => {
    const disk = new SimDisk(clock());
    const s = new FileStorage('/data', disk);
    s.load();
    s.save({ term: 2, votedFor: 'n1' });
    disk.fail('full');
    expect(() => s.save({ term: 3, votedFor: null })).toThrow(/cannot write state file .*ENOSPC/);
    expect(s.load()).toEqual({ term: 2, votedFor: 'n1' });
    expect(() => disk.mkdirp('/fresh')).toThrow(/ENOSPC/);
    disk.fail(null);
    s.save({ term: 3, votedFor: null });
    expect(s.load()).toEqual({ term: 3, votedFor: null });
  });

  it('eio: every call fails, reads and mkdir included, so the node cannot load', () => {
    const disk = new SimDisk(clock());
    const s = new FileStorage('/data', disk);
    s.load();
    disk.fail('eio');
    expect(disk.failing).toBe('eio');
    expect(() => s.load()).toThrow(/cannot create data directory .*EIO/);
    expect(() => disk.read('/data/raft-state.json')).toThrow(/EIO/);
    expect(() => s.save({ term: 1, votedFor: null })).toThrow(/EIO/);
  });

  it('replace changes a file durably behind the node, and the node refuses a corrupt one', () => {
    const c = clock();
    const disk = new SimDisk(c);
    const s = new FileStorage('/data', disk);
    s.load();
    s.save({ term: 4, votedFor: 'n2' });
    disk.crash(c.t);
    disk.replace('/data/raft-state.json', '{"version":1,"term":4.5,"votedFor":"n2"}');
    disk.crash(c.t);
    expect(() => s.load()).toThrow(/corrupt \(term is not a non-negative integer\)/);
    expect(nodeStorage('/data', ['accept-corrupt-state'], disk).load()).toEqual({ term: 0, votedFor: null });
    disk.replace('/data/raft-state.json', null);
    expect(s.load()).toEqual({ term: 0, votedFor: null });
  });
});
