import { ConfigError } from '../../common/src/errors.js';

/**
 * Test modes of the node's disk (`--disk`, node/API.md), for a chaos harness that needs on real
 * processes what only a machine's failure would show:
 * - `lossy`: what the node writes without fsync stays in the node's own memory (as it would
 *   stay in the kernel's page cache) until it is synced, or written back after 30 s;
 *   a kill -9 of the process then loses it, as a power cut of the machine would lose the page
 *   cache. Synced writes, and renames whose directory is synced, reach the real disk as usual.
 * - `sync-delay=MS`: every fsync (of a file or a directory) takes MS ms more, blocking the node
 *   as a slow disk's fsync does (the node's writes are synchronous).
 * - `faults`: the disk refuses while a control file `DATA_DIR.disk-fault` (beside the data
 *   directory) exists: `full` in it makes every write, rename, fsync and the creation of a
 *   missing directory fail with ENOSPC (reads work), `eio` makes every call fail with EIO,
 *   as a full or failing disk would (the harness's `disk-fail` fault writes and removes it).
 * Comma-separated: `lossy,sync-delay=20`. `real` (the default) is the plain disk. The disk
 * itself is server/test-disk.ts.
 */
export interface DiskMode {
  readonly lossy: boolean;
  readonly syncDelayMs: number;
  /** Refuses as the control file `DATA_DIR.disk-fault` says (absent: false). */
  readonly faults?: boolean;
}

/** The plain disk. */
export const REAL_DISK_MODE: DiskMode = { lossy: false, syncDelayMs: 0 };

/** The control file of the `faults` mode for a node with data directory `dataDir`. */
export function diskFaultFile(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}.disk-fault`;
}

/** Parses a `--disk` value (`real`, `lossy`, `sync-delay=MS`, `faults`, comma-separated); ConfigError naming `name` and the bad part. */
export function parseDiskMode(raw: string, name: string): DiskMode {
  let lossy = false;
  let syncDelayMs = 0;
  let faults = false;
  for (const part of raw.split(',').map((p) => p.trim())) {
    if (part === 'real') continue;
    if (part === 'faults') {
      faults = true;
      continue;
    }
    if (part === 'lossy') {
      lossy = true;
      continue;
    }
    const m = /^sync-delay=(\d{1,5})$/.exec(part);
    if (m && Number(m[1]) <= 10_000) {
      syncDelayMs = Number(m[1]);
      continue;
    }
    throw new ConfigError(`${name}: "${part}" is not a disk mode; give real, lossy, faults or sync-delay=MS (0-10000), comma-separated (e.g. lossy,sync-delay=20)`);
  }
  return { lossy, syncDelayMs, ...(faults ? { faults } : {}) };
}

/** The `--disk` text of a mode (`real` for the plain disk). */
export function formatDiskMode(m: DiskMode): string {
  const parts = [...(m.lossy ? ['lossy'] : []), ...(m.syncDelayMs > 0 ? [`sync-delay=${m.syncDelayMs}`] : []), ...(m.faults ? ['faults'] : [])];
  return parts.length > 0 ? parts.join(',') : 'real';
}
