import Docker from 'dockerode';
import { EnvironmentError } from '../../../../common/src/errors.js';
import { DEFAULT_DOCKER_SOCKET, engineAddress, type EngineAddress } from './engine-address.js';

export { DEFAULT_DOCKER_SOCKET, engineAddress, type EngineAddress };

export interface EngineOptions {
  /**
   * Unix socket of the engine. When set it wins over `DOCKER_HOST`; when unset, `DOCKER_HOST`
   * (unix:// or tcp://) is used if set, else `/var/run/docker.sock` (see `engineAddress`).
   */
  socketPath?: string;
  /** An already made client; the address is then only used in messages. */
  docker?: Docker;
  /** How long a ping may take (default 3000 ms). */
  timeoutMs?: number;
}

/**
 * What `detectDocker` found: a client that answers, or why there is none. `where` is the
 * address tried, as `engineAddress` describes it.
 */
export type DockerDetection =
  | { available: true; docker: Docker; where: string; version: string; reason: string }
  | { available: false; where: string; error: EnvironmentError; reason: string };

/** The message when no engine answers, naming the address actually tried. */
export function noEngineMessage(where: string, detail?: string): string {
  return (
    `no Docker engine answers at ${where}; use --runtime process or start one` +
    ` (e.g. \`bash .ci/docker.sh\`)` +
    (where.endsWith('(DOCKER_HOST)') ? `, or point DOCKER_HOST at one (unset, ${DEFAULT_DOCKER_SOCKET} is used)` : '') +
    (detail ? ` [${detail}]` : '')
  );
}

/**
 * A dockerode client for the engine address (does not contact the engine). Throws
 * EnvironmentError when `DOCKER_HOST` is set to something that is not an address.
 */
export function dockerClient(options: EngineOptions = {}): Docker {
  if (options.docker) return options.docker;
  const address = engineAddress(options.socketPath);
  try {
    return new Docker(address.dockerOptions);
  } catch (cause) {
    throw new EnvironmentError(`cannot make a Docker client for ${address.where}: ${(cause as Error).message}`, { cause });
  }
}

/** Where `options` lead, for messages; never throws. */
function whereOf(options: EngineOptions): string {
  try {
    return engineAddress(options.socketPath).where;
  } catch {
    return `${process.env.DOCKER_HOST} (DOCKER_HOST)`;
  }
}

/**
 * Pings the engine and reads its version. Never throws: a missing socket, a refused
 * connection, a timeout or a non-Docker answer all give `available: false` with an
 * EnvironmentError whose message says what to do. `reason` is one line for run reports
 * (why `--runtime auto` chose or skipped Docker).
 */
export async function detectDocker(options: EngineOptions = {}): Promise<DockerDetection> {
  const where = whereOf(options);
  let docker: Docker;
  try {
    docker = dockerClient(options);
  } catch (cause) {
    const error = cause instanceof EnvironmentError ? cause : new EnvironmentError(String(cause), { cause });
    return { available: false, where, error, reason: error.message };
  }
  const timeoutMs = options.timeoutMs ?? 3000;
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    const version = await Promise.race([
      (async () => {
        await docker.ping();
        return (await docker.version()).Version;
      })(),
      timeout,
    ]);
    return {
      available: true,
      docker,
      where,
      version,
      reason: `Docker engine ${version} answers at ${where}`,
    };
  } catch (cause) {
    const detail = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    const error = new EnvironmentError(noEngineMessage(where, detail), { cause });
    return { available: false, where, error, reason: error.message };
  } finally {
    clearTimeout(timer);
  }
}

/** True when an engine answers at the address (see `engineAddress`). */
export async function dockerAvailable(options: EngineOptions = {}): Promise<boolean> {
  return (await detectDocker(options)).available;
}

/** A client whose engine answers, or an EnvironmentError: "no Docker engine answers at ...". */
export async function requireDocker(options: EngineOptions = {}): Promise<{ docker: Docker; version: string }> {
  const found = await detectDocker(options);
  if (!found.available) throw found.error;
  return { docker: found.docker, version: found.version };
}
