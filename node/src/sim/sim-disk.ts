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

type Op =
  | { readonly kind: 'write'; readonly path: string; readonly text: string; durableAt: number }
  | { readonly kind: 'rename'; readonly from: string; readonly to: string; durableAt: number };

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
 */
export class SimDisk implements DiskOps {
  /** The durable image every pending operation builds on. */
  private base = new Map<string, string>();
  /** What reads see. */
  private view = new Map<string, string>();
  /** Operations not yet folded into `base`, in the order they were made. */
  private ops: Op[] = [];

  constructor(private readonly clock: SimDiskClock) {}

  mkdirp(_dir: string): void {}

  read(path: string): string | null {
    return this.view.get(path) ?? null;
  }

  writeFile(path: string, text: string, sync: boolean): void {
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
    const text = this.view.get(from);
    if (text === undefined) throw new Error(`ENOENT: no such file, rename '${from}' -> '${to}'`);
    const at = this.clock.now();
    this.fold(this.clock.settled());
    this.view.delete(from);
    this.view.set(to, text);
    this.ops.push({ kind: 'rename', from, to, durableAt: at + WRITEBACK_MS });
  }

  syncDir(dir: string): void {
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
