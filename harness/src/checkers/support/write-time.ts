import { parseDiskMode } from '../../../../node/src/disk-mode.js';
import { PROCESS_TIMING } from '../../runtime/sim/sim-nodes.js';

/**
 * What a `--disk` mode adds to each save of term and vote: a `sync-delay=MS` makes every fsync
 * MS ms longer, and a save syncs twice (the file, then its directory), so 2 x MS. 0 for any
 * other mode, or none. Pure.
 */
export function writeDelayMs(disk: string | undefined): number {
  return disk === undefined ? 0 : 2 * parseDiskMode(disk, '--disk').syncDelayMs;
}

/**
 * The longest a simulated save takes under `--disk` mode `disk`: PROCESS_TIMING.persistMaxMs
 * (runtime/sim/sim-nodes.ts draws each save from persistMinMs-persistMaxMs) plus the mode's
 * writeDelayMs, as sim-nodes.ts adds it. Pure.
 */
export function simWriteMaxMs(disk: string | undefined): number {
  return PROCESS_TIMING.persistMaxMs + writeDelayMs(disk);
}
