import { ConfigError } from '../../../common/src/errors.js';
import { parseOptions } from './run-main.js';

/** What `npm run cleanup` was asked to do. */
export interface CleanupArgs {
  /** Also what runs in progress use (`--all`, old name `--force`); default: only what dead harnesses left. */
  all: boolean;
  images: boolean;
  socket?: string;
}

export const CLEANUP_USAGE = `usage: npm run cleanup -- [--all] [--images] [--socket PATH]
  Kills node processes left under reports/ by harness runs that died, then removes the
  containers, networks and volumes labelled raft-chaos=1 of runs whose harness is gone (or
  older than 24 h). Runs in progress are left alone unless --all is given.
  Nothing without the label is touched; containers started by docker-compose are not labelled so.
  --all          also the resources of runs in progress (they fail); old name --force
  --stale        the default, accepted for old scripts
  --images       also remove the project's images (raft-chaos-node, raft-chaos-base)
  --socket PATH  Docker engine socket (default: DOCKER_HOST if set, else /var/run/docker.sock)`;

/**
 * Parses `npm run cleanup` arguments: undefined after printing `--help`; a ConfigError naming
 * a bad option (with the usage). The safe behaviour is the default: `--all` (or `--force`) is
 * needed to touch a run whose harness still runs, and `--stale` with `--all` is a contradiction.
 */
export function parseCleanupArgs(argv: readonly string[]): CleanupArgs | undefined {
  const values = parseOptions(
    argv,
    {
      all: { type: 'boolean' },
      force: { type: 'boolean' },
      stale: { type: 'boolean' },
      images: { type: 'boolean' },
      socket: { type: 'string' },
    },
    CLEANUP_USAGE,
  );
  if (!values) return undefined;
  const all = (values.all ?? false) || (values.force ?? false);
  if (all && values.stale) throw new ConfigError(`--stale (the default) and ${values.all ? '--all' : '--force'} contradict each other: give one\n${CLEANUP_USAGE}`);
  return { all, images: values.images ?? false, ...(values.socket !== undefined ? { socket: values.socket } : {}) };
}
