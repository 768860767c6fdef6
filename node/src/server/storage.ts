import { join } from 'node:path';
import { StorageError } from '../../../common/src/errors.js';
import { ID_PATTERN } from '../config.js';
import type { HardState } from '../core/types.js';
import { realDisk, type DiskOps } from './disk.js';

/** Durable term and vote. `save` returns only once the state is durable; it throws StorageError. */
export interface StateStorage {
  /** The stored state; term 0 and no vote when nothing was stored yet. Throws StorageError when unreadable. */
  load(): HardState;
  save(state: HardState): void;
  /** Where the state lives, for messages. */
  readonly location: string;
}

/** The state file name inside the data directory. */
export const STATE_FILE = 'raft-state.json';

/**
 * Term and vote in `DIR/raft-state.json`, written atomically: temp file, fsync, rename,
 * fsync of the directory. Synchronous on purpose: nothing else runs between the write and
 * the reply that depends on it. The same code runs on the real disk and, in simulation, on
 * a simulated one (`disk`). `fsync: false` is the `no-fsync` bug: the temp file is written
 * and renamed but neither it nor the directory is synced, so a crash (power loss) within the
 * kernel's writeback delay loses the new state. `acceptCorrupt: true` is the
 * `accept-corrupt-state` bug: a state file that fails validation reads as term 0 and no vote.
 */
export class FileStorage implements StateStorage {
  readonly location: string;

  constructor(
    private readonly dir: string,
    private readonly disk: DiskOps = realDisk,
    private readonly fsync = true,
    private readonly acceptCorrupt = false,
  ) {
    this.location = join(dir, STATE_FILE);
  }

  load(): HardState {
    try {
      this.disk.mkdirp(this.dir);
    } catch (e) {
      throw new StorageError(`cannot create data directory ${this.dir}: ${(e as Error).message}`, { cause: e });
    }
    let text: string | null;
    try {
      text = this.disk.read(this.location);
    } catch (e) {
      throw new StorageError(`cannot read state file ${this.location}: ${(e as Error).message}`, { cause: e });
    }
    if (text === null) return { term: 0, votedFor: null };
    // Stryker disable next-line all: the `accept-corrupt-state` bug only (equivalent without it).
    if (this.acceptCorrupt) return parseOrFresh(text, this.location);
    return parseState(text, this.location);
  }

  save(state: HardState): void {
    const text = stateText(state, this.location);
    const tmp = `${this.location}.tmp`;
    try {
      this.disk.writeFile(tmp, text, this.fsync);
      this.disk.rename(tmp, this.location);
      if (this.fsync) this.disk.syncDir(this.dir);
    } catch (e) {
      throw new StorageError(`cannot write state file ${this.location}: ${(e as Error).message}`, { cause: e });
    }
  }
}

// Stryker disable all: used only under `--bug forget-vote` (nodeStorage below): equivalent.
/** The `forget-vote` bug: term and vote live only in memory and are lost on restart. */
export class MemoryStorage implements StateStorage {
  readonly location = '(memory: bug forget-vote)';
  private state: HardState = { term: 0, votedFor: null };
  load(): HardState {
    return this.state;
  }
  save(state: HardState): void {
    this.state = state;
  }
}
// Stryker restore all

/**
 * The text of a state file for `state`, checked to read back as the same state: a node never
 * writes a file it would refuse to start from (throws StorageError instead, naming `file`).
 */
export function stateText(state: HardState, file: string): string {
  const text = JSON.stringify({ version: 1, term: state.term, votedFor: state.votedFor }) + '\n';
  let back: HardState;
  try {
    back = parseState(text, file);
  } catch (e) {
    throw new StorageError(`refusing to write ${text.trim()} to ${file}: it would not read back (${(e as Error).message})`, { cause: e });
  }
  if (back.term !== state.term || back.votedFor !== state.votedFor) {
    throw new StorageError(`refusing to write ${text.trim()} to ${file}: it reads back as ${JSON.stringify(back)}`);
  }
  return text;
}

/** Parses and checks a state file's text; throws StorageError naming `file` when it is not valid. */
export function parseState(text: string, file: string): HardState {
  const fail = (why: string): never => {
    throw new StorageError(
      `state file ${file} is corrupt (${why}); the node refuses to start rather than reset to term 0. ` +
        `Restore the file or, if losing this node's vote is acceptable, move it away.`,
    );
  };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return fail('not JSON');
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return fail('not an object');
  const o = v as Record<string, unknown>;
  if (o.version !== 1) fail(`unknown version ${JSON.stringify(o.version)}`);
  if (typeof o.term !== 'number' || !Number.isSafeInteger(o.term) || o.term < 0) fail('term is not a non-negative integer');
  if (o.votedFor !== null && (typeof o.votedFor !== 'string' || !ID_PATTERN.test(o.votedFor))) fail('votedFor is not an id or null');
  return { term: o.term as number, votedFor: o.votedFor as string | null };
}

// Stryker disable all: used only under `--bug accept-corrupt-state` (FileStorage.load): equivalent.
/** The `accept-corrupt-state` bug: a state file that fails validation reads as a fresh node's (term 0, no vote). */
function parseOrFresh(text: string, file: string): HardState {
  try {
    return parseState(text, file);
  } catch {
    return { term: 0, votedFor: null };
  }
}
// Stryker restore all

/**
 * The storage a node with these deliberate bugs uses in `dir` on `disk`: memory only for
 * `forget-vote`, a file written without fsync for `no-fsync`, a file read back without
 * validation for `accept-corrupt-state`, else the atomic file. The
 * server and the simulation both choose through here.
 */
export function nodeStorage(dir: string, bugs: readonly string[], disk: DiskOps = realDisk): StateStorage {
  if (bugs.includes('forget-vote')) return new MemoryStorage();
  return new FileStorage(dir, disk, !bugs.includes('no-fsync'), bugs.includes('accept-corrupt-state'));
}
