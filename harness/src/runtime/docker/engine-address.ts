import type Docker from 'dockerode';
import { EnvironmentError } from '../../../../common/src/errors.js';

/** The socket the project talks to unless told otherwise. */
export const DEFAULT_DOCKER_SOCKET = '/var/run/docker.sock';

/** Where the engine is looked for, and why there. */
export interface EngineAddress {
  /** For messages: the socket path, or `<DOCKER_HOST's value> (DOCKER_HOST)`. */
  where: string;
  /** `option`: an explicit socket (`--socket`); `DOCKER_HOST`: the environment; `default`: /var/run/docker.sock. */
  source: 'option' | 'DOCKER_HOST' | 'default';
  /** dockerode's constructor options for this address. */
  dockerOptions: Docker.DockerOptions;
}

/**
 * The engine address, in this order: an explicit socket path; `DOCKER_HOST` (`unix:///path`,
 * or a `tcp://host:port`-style address, which dockerode's modem reads itself together with
 * `DOCKER_TLS_VERIFY` and `DOCKER_CERT_PATH`); else `/var/run/docker.sock`. Pure: reads only
 * `env`, contacts nothing. Throws EnvironmentError when `DOCKER_HOST` is set but is not an
 * address (it would be used otherwise, so guessing another engine would be wrong).
 *
 * dockerode's modem always merges what it reads from `DOCKER_HOST` under the options given, so
 * a socket address here also clears the host, port and TLS settings a tcp `DOCKER_HOST` brings.
 */
export function engineAddress(socketPath?: string, env: NodeJS.ProcessEnv = process.env): EngineAddress {
  if (socketPath !== undefined) return { where: socketPath, source: 'option', dockerOptions: onSocket(socketPath) };
  const host = env.DOCKER_HOST?.trim();
  if (!host) return { where: DEFAULT_DOCKER_SOCKET, source: 'default', dockerOptions: onSocket(DEFAULT_DOCKER_SOCKET) };
  const where = `${host} (DOCKER_HOST)`;
  if (host.startsWith('unix://')) {
    return { where, source: 'DOCKER_HOST', dockerOptions: onSocket(host.slice('unix://'.length) || DEFAULT_DOCKER_SOCKET) };
  }
  if (host.startsWith('npipe://')) return { where, source: 'DOCKER_HOST', dockerOptions: {} };
  let url: URL | undefined;
  try {
    url = new URL(host.includes('//') ? host : `tcp://${host}`);
  } catch {
    url = undefined;
  }
  if (url === undefined || url.hostname === '') {
    throw new EnvironmentError(
      `DOCKER_HOST=${host} is not a Docker engine address: set it to unix:///path/to/docker.sock or tcp://host:port, ` +
        `or unset it to use ${DEFAULT_DOCKER_SOCKET}`,
    );
  }
  // tcp://, http(s)://, ssh:// and host:port: the modem reads DOCKER_HOST (and TLS settings) itself.
  return { where, source: 'DOCKER_HOST', dockerOptions: {} };
}

function onSocket(socketPath: string): Docker.DockerOptions {
  return { socketPath, host: undefined, port: undefined, protocol: 'http', ca: undefined, cert: undefined, key: undefined };
}
