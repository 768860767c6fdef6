import { parseDiskMode } from '../../../../node/src/disk-mode.js';
import { BUSY_LOOPBACK } from '../../runtime/sim/sim-links.js';
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
 * The longest a save of term and vote may take on a loaded host, plain disk: its two fsyncs take
 * 2-14 ms on the machines measured; the margin covers a loaded one. A node logs a step's events
 * once that save is done, so they may be stamped this much after the step ran.
 */
export const LOADED_SAVE_MS = 100;

/** LOADED_SAVE_MS plus what `--disk` mode `disk` adds to each save (writeDelayMs). Pure. */
export function loadedSaveMaxMs(disk: string | undefined): number {
  return LOADED_SAVE_MS + writeDelayMs(disk);
}

/**
 * The longest a simulated save takes under `--disk` mode `disk`: PROCESS_TIMING.persistMaxMs
 * (runtime/sim/sim-nodes.ts draws each save from persistMinMs-persistMaxMs) plus the mode's
 * writeDelayMs, as sim-nodes.ts adds it. Pure.
 */
export function simWriteMaxMs(disk: string | undefined): number {
  return PROCESS_TIMING.persistMaxMs + writeDelayMs(disk);
}

/**
 * The most a vote's round trip takes besides the toxics in force: the request and the reply on
 * a healthy link of a busy host (`BUSY_LOOPBACK`, up to 4 ms each way; on processes "5-15 ms" a
 * round trip) and the voter's save of its vote before it answers (Figure 2: persistent state is
 * updated on stable storage before responding to RPCs; `simWriteMaxMs`, 14 ms, the p90 measured
 * on processes 13.4 ms). A vote over a slowed link counts only if all of it beats the
 * candidate's RPC deadline. Pure.
 */
export function voteOverheadMs(disk: string | undefined): number {
  return 2 * BUSY_LOOPBACK.maxDelayMs + simWriteMaxMs(disk);
}
