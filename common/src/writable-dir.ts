import { accessSync, constants, mkdtempSync, rmdirSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { ConfigError } from './errors.js';

/**
 * Kernel pseudo-filesystems: nothing a run writes belongs there, and Node's recursive mkdir
 * under /proc never returns (it spins at 100% CPU), so these are refused by prefix, before any
 * filesystem call.
 */
const PSEUDO_ROOTS = ['/proc', '/sys', '/dev'] as const;

/**
 * Checks, before anything runs or is written, that `dir` is a directory this process can
 * create files in, or can be created: refuses a path under /proc, /sys or /dev, a path with a
 * file where a directory must be (ENOTDIR), and a nearest existing ancestor it cannot write in
 * (EPERM/EACCES, read-only filesystems), the last by a probe: it creates and removes one empty
 * directory there. Creates nothing else; never calls a recursive mkdir. Throws ConfigError
 * naming `option` (e.g. `--report-dir`) and the path. Returns the absolute path.
 */
export function checkWritableDir(dir: string, option: string): string {
  const abs = resolve(dir);
  const refuse = (why: string): never => {
    throw new ConfigError(`${option} ${JSON.stringify(dir)}: ${why}; give a directory you can write to`);
  };
  const root = PSEUDO_ROOTS.find((r) => abs === r || abs.startsWith(r + sep));
  if (root) refuse(`is under ${root}, a kernel pseudo-filesystem where reports cannot go`);
  // The nearest part of the path that exists: it must be a directory we can write in.
  let existing = abs;
  for (;;) {
    let isDir: boolean | undefined;
    try {
      isDir = statSync(existing).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOTDIR') refuse(`part of the path is a file, not a directory`);
      if (code !== 'ENOENT') refuse(`cannot be read (${code ?? (err as Error).message})`);
    }
    if (isDir === false) refuse(existing === abs ? 'is a file, not a directory' : `${existing} is a file, not a directory`);
    if (isDir === true) break;
    const up = dirname(existing);
    if (up === existing) refuse('has no existing parent directory');
    existing = up;
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
    rmdirSync(mkdtempSync(join(existing, '.raft-chaos-probe-')));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    refuse(`${existing === abs ? 'is' : `would go in ${existing}, which is`} not writable (${code})`);
  }
  return abs;
}
