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
 * Comma-separated: `lossy,sync-delay=20`. `real` (the default) is the plain disk. The disk
 * itself is server/test-disk.ts.
 */
export interface DiskMode {
  readonly lossy: boolean;
  readonly syncDelayMs: number;
}

/** The plain disk. */
export const REAL_DISK_MODE: DiskMode = { lossy: false, syncDelayMs: 0 };

/** Parses a `--disk` value (`real`, `lossy`, `sync-delay=MS`, comma-separated); ConfigError naming `name` and the bad part. */
export function parseDiskMode(raw: string, name: string): DiskMode {
  let lossy = false;
  let syncDelayMs = 0;
  for (const part of raw.split(',').map((p) => p.trim())) {
    if (part === 'real') continue;
    if (part === 'lossy') {
      lossy = true;
      continue;
    }
    const m = /^sync-delay=(\d{1,5})$/.exec(part);
    if (m && Number(m[1]) <= 10_000) {
      syncDelayMs = Number(m[1]);
      continue;
    }
    throw new ConfigError(`${name}: "${part}" is not a disk mode; give real, lossy or sync-delay=MS (0-10000), comma-separated (e.g. lossy,sync-delay=20)`);
  }
  return { lossy, syncDelayMs };
}

/** The `--disk` text of a mode (`real` for the plain disk). */
export function formatDiskMode(m: DiskMode): string {
  const parts = [...(m.lossy ? ['lossy'] : []), ...(m.syncDelayMs > 0 ? [`sync-delay=${m.syncDelayMs}`] : [])];
  return parts.length > 0 ? parts.join(',') : 'real';
}
