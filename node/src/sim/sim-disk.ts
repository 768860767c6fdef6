import { dirname } from 'node:path';
import { inDir, WRITEBACK_MS, type DiskOps } from '../server/disk.js';

export { WRITEBACK_MS } from '../server/disk.js';

/** The simulated disk's view of time: where the node's step is, and what a sync costs. */
export interface SimDiskClock {
  /** Virtual ms the next operation happens at (the node's step, after the syncs it already did). */
  now(): number;
  /** Virtual ms before which no crash can come any more (the simulation's now): what is durable by then is kept for good. */
  settled(): number;
  /** An fsync of a file or of a directory: returns the virtual ms it completes at (and the node is busy until then). */
  sync(kind: 'file' | 'dir'): number;
}

/**
 * A disk that refuses (a fault of the harness, `disk-fail`): `eio` is a failing device (every
 * call, reads included, fails with EIO); `full` is a full file system (every write, rename,
 * fsync and the creation of a missing directory fail with ENOSPC; reads and an existing
 * directory's `mkdir -p` still work).
 */
export type SimDiskFailure = 'eio' | 'full';

type Op =
  | { readonly kind: 'write'; readonly path: string; readonly text: string; durableAt: number }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string; durableAt: number };

/** An error as node:fs throws it (`code` set, message `CODE: what, call 'path'`). */
function fsError(code: string, what: string, call: string, path: string): Error {
  return Object.assign(new Error(`${code}: ${what}, ${call} '${path}'`), { code });
}

/**
 * One node's disk in the simulation: what a read sees at once (the page cache), and what
 * survives a crash, which is only what was synced (or written back after WRITEBACK_MS).
 * A write is durable once its file is fsynced; a rename once its directory is fsynced. A
 * crash (`crash(at)`) keeps the operations durable by then, in order, and loses the rest, so
 * a kill between a write and its fsync loses the write, and a rename without the directory
 * fsync may be lost. A rename whose source data was lost leaves an empty file, as a
 * journaling file system may after a power loss. A simulated kill is treated as a power loss
 * of that node: pessimistic for a process kill (the kernel keeps its page cache), exact for a
 * machine that loses power.
 *
 * Directories are POSIX ones: only `/` exists at first; a file can be written, renamed into
 * or read only in a directory `mkdirp` made (ENOENT otherwise; a relative path names a
 * directory that does not exist), and only an existing directory can be fsynced. A directory,
 * once made, survives crashes (simplified: a real `mkdir` is durable once its parent is
 * fsynced). `fail` makes the disk refuse (SimDiskFailure) until `fail(null)`; `replace`
 * changes a file behind the node's back (a corrupted state file), durably.
 */
export class SimDisk implements DiskOps {
  /** The durable image every pending operation builds on. */
  private base = new Map<string, string>();
  /** What reads see. */
  private view = new Map<string, string>();
  /** Operations not yet folded into `base`, in the order they were made. */
  private ops: Op[] = [];
  /** Existing directories (absolute, no trailing slash; `/` always). */
  private readonly dirs = new Set<string>(['/']);
  private failure: SimDiskFailure | null = null;

  constructor(private readonly clock: SimDiskClock) {}

  /** Makes the disk refuse as `f` says, or work again (null). */
  fail(f: SimDiskFailure | null): void {
    this.failure = f;
  }

  /** How the disk refuses now, or null. */
  get failing(): SimDiskFailure | null {
    return this.failure;
  }

  /** Replaces (null: removes) `path`'s content at once and durably, as a hand or a faulty disk would while the node is down. */
  replace(path: string, text: string | null): void {
    this.fold(Infinity);
    for (const m of [this.base, this.view]) {
      if (text === null) m.delete(path);
      else m.set(path, text);
    }
  }

  mkdirp(dir: string): void {
    if (this.failure === 'eio') throw fsError('EIO', 'i/o error', 'mkdir', dir);
    const missing: string[] = [];
    for (let d = dir.endsWith('/') && dir.length > 1 ? dir.slice(0, -1) : dir; !this.dirs.has(d); d = dirname(d)) {
      if (!d.startsWith('/')) throw fsError('ENOENT', 'no such file or directory', 'mkdir', dir);
      missing.push(d);
    }
    if (missing.length > 0 && this.failure === 'full') throw fsError('ENOSPC', 'no space left on device', 'mkdir', dir);
    for (const d of missing) this.dirs.add(d);
  }

  read(path: string): string | null {
    if (this.failure === 'eio') throw fsError('EIO', 'i/o error', 'open', path);
    return this.view.get(path) ?? null;
  }

  writeFile(path: string, text: string, sync: boolean): void {
    this.refuseWrite('open', path);
    this.needDir(path, 'open');
    const at = this.clock.now();
    this.fold(this.clock.settled());
    this.view.set(path, text);
    const op: Op = { kind: 'write', path, text, durableAt: at + WRITEBACK_MS };
    this.ops.push(op);
    if (sync) {
      const done = this.clock.sync('file');
      for (const o of this.ops) if (o.kind === 'write' && o.path === path && o.durableAt > done) o.durableAt = done;
    }
  }

  rename(from: string, to: string): void {
    this.refuseWrite('rename', from);
    const text = this.view.get(from);
    if (text === undefined) throw fsError('ENOENT', 'no such file or directory', 'rename', `${from}' -> '${to}`);
    this.needDir(to, 'rename');
    const at = this.clock.now();
    this.fold(this.clock.settled());
    this.view.delete(from);
    this.view.set(to, text);
    this.ops.push({ kind: 'rename', from, to, durableAt: at + WRITEBACK_MS });
  }

  syncDir(dir: string): void {
    if (this.failure !== null) throw fsError('EIO', 'i/o error', 'fsync', dir);
    if (!this.dirs.has(dir)) throw fsError('ENOENT', 'no such file or directory', 'open', dir);
    const done = this.clock.sync('dir');
    for (const o of this.ops) if (o.kind === 'rename' && (inDir(dir, o.to) || inDir(dir, o.from)) && o.durableAt > done) o.durableAt = done;
  }

  /** A crash (power loss) at virtual time `at`: only what was durable by then remains. */
  crash(at: number): void {
    const image = new Map(this.base);
    for (const o of this.ops) if (o.durableAt <= at) applyTo(image, o);
    this.base = image;
    this.view = new Map(image);
    this.ops = [];
  }

  /** A write-type call on a refusing disk fails (EIO, or ENOSPC when full). */
  private refuseWrite(call: string, path: string): void {
    if (this.failure === 'eio') throw fsError('EIO', 'i/o error', call, path);
    if (this.failure === 'full') throw fsError('ENOSPC', 'no space left on device', call, path);
  }

  /** `path`'s directory must exist (ENOENT). */
  private needDir(path: string, call: string): void {
    if (!path.startsWith('/') || !this.dirs.has(dirname(path))) throw fsError('ENOENT', 'no such file or directory', call, path);
  }

  /** Folds the operations at the front that are durable by `at` into the durable image. */
  private fold(at: number): void {
    let i = 0;
    for (; i < this.ops.length; i++) {
      const o = this.ops[i]!;
      if (o.durableAt > at) break;
      applyTo(this.base, o);
    }
    if (i > 0) this.ops.splice(0, i);
  }
}

/** Carries out `o` on a disk image (a rename whose source data was lost leaves an empty file). */
function applyTo(image: Map<string, string>, o: Op): void {
  if (o.kind === 'write') image.set(o.path, o.text);
  else {
    image.set(o.to, image.get(o.from) ?? '');
    image.delete(o.from);
  }
}
