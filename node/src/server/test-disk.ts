import type { DiskMode } from '../disk-mode.js';
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

  constructor(
    readonly mode: DiskMode,
    private readonly base: DiskOps = realDisk,
    private readonly now: () => number = () => performance.now(),
  ) {}

  mkdirp(dir: string): void {
    this.base.mkdirp(dir);
  }

  read(path: string): string | null {
    this.expire();
    return this.view.has(path) ? this.view.get(path)! : this.base.read(path);
  }

  writeFile(path: string, text: string, sync: boolean): void {
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
    this.expire();
    if (!this.mode.lossy) return this.base.rename(from, to);
    const text = this.read(from);
    if (text === null) throw Object.assign(new Error(`ENOENT: no such file, rename '${from}' -> '${to}'`), { code: 'ENOENT' });
    this.pending.push({ kind: 'rename', from, to, at: this.now() });
    this.view.set(from, null);
    this.view.set(to, text);
  }

  syncDir(dir: string): void {
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

/** The node's disk for a mode: the plain one, or a TestDisk over it. */
export function diskFor(mode: DiskMode): DiskOps {
  return !mode.lossy && mode.syncDelayMs === 0 ? realDisk : new TestDisk(mode);
}
