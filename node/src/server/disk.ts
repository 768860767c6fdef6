import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';

/**
 * The few file-system calls the node's storage makes, so the same storage code runs on the
 * real disk (`realDisk`) and on the simulation's disk (node/src/sim/sim-disk.ts), where a
 * crash loses what was not synced. Each call throws on failure (the storage wraps it).
 */
export interface DiskOps {
  /** mkdir -p. */
  mkdirp(dir: string): void;
  /** The file's text, or null when it does not exist. */
  read(path: string): string | null;
  /** Creates or truncates `path` and writes `text`; with `sync`, fsyncs it before returning. */
  writeFile(path: string, text: string, sync: boolean): void;
  /** rename(2): replaces `to` atomically. */
  rename(from: string, to: string): void;
  /** fsync of the directory, so a rename in it survives a crash. */
  syncDir(dir: string): void;
}

/**
 * How long the kernel keeps written data only in memory before it writes it back by itself
 * (Linux `vm.dirty_expire_centisecs`, 30 s by default): an unsynced write or rename is
 * durable at the latest this long after it was made. One figure for every disk that models a
 * page cache (the simulation's, and the node's lossy test mode).
 */
export const WRITEBACK_MS = 30_000;

/** Whether `path` lies in directory `dir` (what an fsync of `dir` makes durable: the renames in it). */
export function inDir(dir: string, path: string): boolean {
  return path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** The machine's disk through node:fs, synchronous (nothing else runs between a write and the reply that depends on it). */
export const realDisk: DiskOps = {
  mkdirp(dir) {
    mkdirSync(dir, { recursive: true });
  },
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },
  writeFile(path, text, sync) {
    const fd = openSync(path, 'w', 0o644);
    try {
      writeSync(fd, text);
      if (sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
  rename(from, to) {
    renameSync(from, to);
  },
  syncDir(dir) {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  },
};
