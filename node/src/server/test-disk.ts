import { existsSync, readFileSync } from 'node:fs';
import { diskFaultFile, type DiskMode } from '../disk-mode.js';
import { inDir, realDisk, WRITEBACK_MS, type DiskOps } from './disk.js';

export { formatDiskMode, parseDiskMode, REAL_DISK_MODE, type DiskMode } from '../disk-mode.js';

export { WRITEBACK_MS } from './disk.js';

/** Blocks this thread for `ms` (a slow fsync blocks the node the same way). */
function blockFor(ms: number): void {
  if (ms > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

type Pending = { kind: 'write'; path: string; text: string; at: number } | { kind: 'rename'; from: string; to: string; at: number };

/**
 * The disk in a test mode (`--disk`, ../disk-mode.ts), over `base` (the real disk). `now` is a monotonic ms clock (for the
 * write-back delay). `writeBack()` writes every pending operation out (a clean stop: the page
 * cache of a machine that does not lose power reaches the disk).
 */
export class TestDisk implements DiskOps {
  private readonly view = new Map<string, string | null>();
  private pending: Pending[] = [];

  /** The `faults` mode's control file (null: the mode is off). */
  private readonly faultFile: string | null;

  constructor(
    readonly mode: DiskMode,
    private readonly base: DiskOps = realDisk,
    private readonly now: () => number = () => performance.now(),
    dataDir?: string,
  ) {
    this.faultFile = mode.faults && dataDir !== undefined ? diskFaultFile(dataDir) : null;
  }

  mkdirp(dir: string): void {
    const f = this.failing();
    if (f === 'eio') throw fsError('EIO', 'i/o error', 'mkdir', dir);
    if (f === 'full' && !existsSync(dir)) throw fsError('ENOSPC', 'no space left on device', 'mkdir', dir);
    this.base.mkdirp(dir);
  }

  read(path: string): string | null {
    if (this.failing() === 'eio') throw fsError('EIO', 'i/o error', 'open', path);
    this.expire();
    return this.view.has(path) ? this.view.get(path)! : this.base.read(path);
  }

  writeFile(path: string, text: string, sync: boolean): void {
    this.refuseWrite('open', path);
    this.expire();
    if (!this.mode.lossy) {
      if (sync) this.sync(() => this.base.writeFile(path, text, true));
      else this.base.writeFile(path, text, false);
      return;
    }
    if (sync) {
      // Synced: the data is on the disk; an unsynced earlier write of it no longer matters.
      this.pending = this.pending.filter((p) => !(p.kind === 'write' && p.path === path));
      this.sync(() => this.base.writeFile(path, text, true));
      if (!this.pending.some((p) => p.kind === 'rename' && (p.from === path || p.to === path))) this.view.delete(path);
      else this.view.set(path, text);
      return;
    }
    this.pending.push({ kind: 'write', path, text, at: this.now() });
    this.view.set(path, text);
  }

  rename(from: string, to: string): void {
    this.refuseWrite('rename', from);
    this.expire();
    if (!this.mode.lossy) return this.base.rename(from, to);
    const text = this.read(from);
    if (text === null) throw Object.assign(new Error(`ENOENT: no such file, rename '${from}' -> '${to}'`), { code: 'ENOENT' });
    this.pending.push({ kind: 'rename', from, to, at: this.now() });
    this.view.set(from, null);
    this.view.set(to, text);
  }

  syncDir(dir: string): void {
    if (this.failing() !== null) throw fsError('EIO', 'i/o error', 'fsync', dir);
    this.expire();
    if (this.mode.lossy) {
      // The renames in the directory become durable, with the data they carry (no torn file).
      const upTo = this.pending.findLastIndex((p) => p.kind === 'rename' && (inDir(dir, p.from) || inDir(dir, p.to)));
      if (upTo >= 0) this.apply(this.pending.splice(0, upTo + 1));
    }
    this.sync(() => this.base.syncDir(dir));
  }

  /** Writes every pending operation to the real disk (a clean stop). */
  writeBack(): void {
    this.apply(this.pending.splice(0));
  }

  /** Operations pending (lost by a kill), for tests. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** How the `faults` mode's control file says the disk refuses now (`full`, `eio`), or null. */
  private failing(): 'full' | 'eio' | null {
    if (this.faultFile === null) return null;
    let text: string;
    try {
      text = readFileSync(this.faultFile, 'utf8').trim();
    } catch {
      return null;
    }
    return text === 'eio' ? 'eio' : 'full';
  }

  private refuseWrite(call: string, path: string): void {
    const f = this.failing();
    if (f === 'eio') throw fsError('EIO', 'i/o error', call, path);
    if (f === 'full') throw fsError('ENOSPC', 'no space left on device', call, path);
  }

  private sync(op: () => void): void {
    op();
    blockFor(this.mode.syncDelayMs);
  }

  /** The kernel writes back what has waited WRITEBACK_MS. */
  private expire(): void {
    if (this.pending.length === 0) return;
    const due = this.now() - WRITEBACK_MS;
    let n = 0;
    while (n < this.pending.length && this.pending[n]!.at <= due) n++;
    if (n > 0) this.apply(this.pending.splice(0, n));
  }

  private apply(ops: readonly Pending[]): void {
    for (const p of ops) {
      if (p.kind === 'write') this.base.writeFile(p.path, p.text, false);
      else this.base.rename(p.from, p.to);
    }
    if (this.pending.length === 0) this.view.clear();
    else {
      // Keep in the view only what pending operations still touch.
      const touched = new Set(this.pending.flatMap((p) => (p.kind === 'write' ? [p.path] : [p.from, p.to])));
      for (const k of [...this.view.keys()]) if (!touched.has(k)) this.view.delete(k);
    }
  }
}

/** The node's disk for a mode: the plain one, or a TestDisk over it (`dataDir` places the `faults` mode's control file). */
export function diskFor(mode: DiskMode, dataDir?: string): DiskOps {
  return !mode.lossy && mode.syncDelayMs === 0 && !mode.faults ? realDisk : new TestDisk(mode, realDisk, undefined, dataDir);
}

/** An error as node:fs throws it (`code` set). */
function fsError(code: string, what: string, call: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${what}, ${call} '${path}'`), { code });
}

