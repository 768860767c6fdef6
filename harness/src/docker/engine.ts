import Docker from 'dockerode';
import { EnvironmentError } from '../../../common/src/errors.js';

/** The socket the project talks to unless told otherwise. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

export interface EngineOptions {
  /** Unix socket of the engine (default `/var/run/docker.sock`). */
  socketPath?: string;
  /** An already made client; `socketPath` is then only used in messages. */
  docker?: Docker;
  /** How long a ping may take (default 3000 ms). */
  timeoutMs?: number;
}

/** What `detectDocker` found: a client that answers, or why there is none. */
export type DockerDetection =
  | { available: true; docker: Docker; socketPath: string; version: string; reason: string }
  | { available: false; socketPath: string; error: EnvironmentError; reason: string };

/** The message when no engine answers (the wording, with the socket actually tried). */
export function noEngineMessage(socketPath: string, detail?: string): string {
  return (
    `no Docker engine answers at ${socketPath}; use --runtime process or start one` +
    ` (e.g. \`bash .ci/docker.sh\`)` +
    (detail ? ` [${detail}]` : '')
  );
}

/** A dockerode client for the socket (does not contact the engine). */
export function dockerClient(options: EngineOptions = {}): Docker {
  return options.docker ?? new Docker({ socketPath: options.socketPath ?? DEFAULT_DOCKER_SOCKET });
}

/**
 * Pings the engine and reads its version. Never throws: a missing socket, a refused
 * connection, a timeout or a non-Docker answer all give `available: false` with an
 * EnvironmentError whose message says what to do. `reason` is one line for run reports
 * (why `--runtime auto` chose or skipped Docker).
 */
export async function detectDocker(options: EngineOptions = {}): Promise<DockerDetection> {
  const socketPath = options.socketPath ?? DEFAULT_DOCKER_SOCKET;
  const docker = dockerClient(options);
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
      socketPath,
      version,
      reason: `Docker engine ${version} answers at ${socketPath}`,
    };
  } catch (cause) {
    const detail = (cause as NodeJS.ErrnoException).code ?? (cause as Error).message;
    const error = new EnvironmentError(noEngineMessage(socketPath, detail), { cause });
    return { available: false, socketPath, error, reason: error.message };
  } finally {
    clearTimeout(timer);
  }
}

/** True when an engine answers at the socket. */
export async function dockerAvailable(options: EngineOptions = {}): Promise<boolean> {
  return (await detectDocker(options)).available;
}

/** A client whose engine answers, or an EnvironmentError: "no Docker engine answers at ...". */
export async function requireDocker(options: EngineOptions = {}): Promise<{ docker: Docker; version: string }> {
  const found = await detectDocker(options);
  if (!found.available) throw found.error;
  return { docker: found.docker, version: found.version };
}
