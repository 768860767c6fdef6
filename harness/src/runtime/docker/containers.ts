import type Docker from 'dockerode';
import { EnvironmentError, RaftChaosError, TimeoutError } from '../../../../common/src/errors.js';
import { waitUntilReady } from '../readiness.js';
import { demuxLogs, lastLine, lastLines } from './logs.js';

/** One container of a run: what to run, on which network, with which port published on 127.0.0.1. */
export interface ContainerSpec {
  name: string;
  image: string;
  entrypoint?: string[];
  /** The command; absent: the image's own. */
  cmd?: string[];
  /** Signal of a graceful stop (default SIGTERM). */
  stopSignal?: string;
  labels: Record<string, string>;
  network: string;
  /** Names under which other containers of the network reach this one. */
  aliases: string[];
  /** The port inside the container published on 127.0.0.1:`hostPort`. */
  containerPort: number;
  hostPort: number;
  /** Named volume mounted at `/data`. */
  volume?: string;
  env?: string[];
  /** The container's cgroup parent (see DockerRuntimeOptions.cgroupParent). */
  cgroupParent?: string;
}

/** Creates (does not start) a container. Translates engine errors into clear EnvironmentErrors. */
export async function createContainer(docker: Docker, spec: ContainerSpec): Promise<Docker.Container> {
  const port = `${spec.containerPort}/tcp`;
  try {
    return await docker.createContainer({
      name: spec.name,
      Image: spec.image,
      ...(spec.entrypoint ? { Entrypoint: spec.entrypoint } : {}),
      ...(spec.cmd ? { Cmd: spec.cmd } : {}),
      Labels: spec.labels,
      Env: spec.env ?? [],
      ExposedPorts: { [port]: {} },
      Tty: false,
      OpenStdin: false,
      StopSignal: spec.stopSignal ?? 'SIGTERM',
      HostConfig: {
        NetworkMode: spec.network,
        PortBindings: { [port]: [{ HostIp: '127.0.0.1', HostPort: String(spec.hostPort) }] },
        ...(spec.volume ? { Mounts: [{ Type: 'volume', Source: spec.volume, Target: '/data' }] } : {}),
        RestartPolicy: { Name: 'no' },
        ...(spec.cgroupParent ? { CgroupParent: spec.cgroupParent } : {}),
        LogConfig: { Type: 'json-file', Config: { 'max-size': '20m' } },
      },
      NetworkingConfig: { EndpointsConfig: { [spec.network]: { Aliases: spec.aliases } } },
    });
  } catch (cause) {
    throw engineError(`creating container ${spec.name} (image ${spec.image})`, cause);
  }
}

/** Port clash on start: the caller may retry with another host port. */
export class HostPortTakenError extends EnvironmentError {}

/** Starts a container; a taken host port gives HostPortTakenError naming the port. */
export async function startContainer(container: Docker.Container, what: string, hostPort: number): Promise<void> {
  try {
    await container.start();
  } catch (cause) {
    const status = (cause as { statusCode?: number }).statusCode;
    if (status === 304) return; // already started
    const msg = engineMessage(cause);
    if (/port is already allocated|address already in use|bind: /i.test(msg)) {
      throw new HostPortTakenError(
        `port clash: cannot publish ${what} on 127.0.0.1:${hostPort}, the port is taken (${msg.trim()}). ` +
          'Free the port or let the runtime choose ports (do not pass a fixed port base).',
        { cause },
      );
    }
    throw engineError(`starting ${what}`, cause);
  }
}

/** An EnvironmentError for an engine failure, with the engine's own message and a next step. */
export function engineError(doing: string, cause: unknown): EnvironmentError {
  const msg = engineMessage(cause);
  let hint = '';
  if (/No such image/i.test(msg)) hint = ' Build the image with `npm run image`.';
  else if (/non-overlapping IPv4 address pool|address pools have been fully subnetted/i.test(msg)) {
    hint = ' Docker ran out of network address pools: remove leftover networks with `npm run cleanup`.';
  } else if (/ENOENT|ECONNREFUSED/.test(msg)) hint = ' Is the Docker engine running? (`bash .ci/docker.sh`)';
  return new EnvironmentError(`Docker: ${doing} failed: ${msg.trim()}.${hint}`, { cause });
}

export function engineMessage(err: unknown): string {
  const e = err as { json?: { message?: string }; reason?: string; message?: string };
  return e?.json?.message ?? e?.message ?? String(err);
}

/** The container's IPv4 address on `network`. */
export async function containerIp(container: Docker.Container, network: string): Promise<string> {
  const info = await container.inspect();
  const ip = info.NetworkSettings.Networks[network]?.IPAddress;
  if (!ip) throw new EnvironmentError(`container ${info.Name} has no address on network ${network}`);
  return ip;
}

/** Everything a container has logged (stdout and stderr, all its boots). '' when it is gone. */
export async function containerLogs(container: Docker.Container): Promise<string> {
  try {
    const buf = await container.logs({ stdout: true, stderr: true, follow: false });
    return demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(buf as unknown as string));
  } catch {
    return '';
  }
}

/**
 * The last line a container wrote to stderr (else to stdout), at most 300 characters; '' when
 * it wrote nothing or the engine does not answer. Stderr first: the engine keeps the two
 * streams apart, and a node that dies says why there last (ours writes its fatal line there
 * after the JSON log line on stdout, which may reach the engine later). Asks for the last few
 * entries only, cheap whatever the log's length.
 */
export async function lastLogLine(container: Docker.Container): Promise<string> {
  const tail = async (stdout: boolean): Promise<string> => {
    const buf = await container.logs({ stdout, stderr: !stdout, follow: false, tail: 5 });
    return lastLine(demuxLogs(Buffer.isBuffer(buf) ? buf : Buffer.from(buf as unknown as string)));
  };
  try {
    return (await tail(false)) || (await tail(true));
  } catch {
    return '';
  }
}

/**
 * The named readiness wait of a container (`waitUntilReady`): GET `url` until `accept(body)`
 * says yes. Fails at once with the container's last log lines when the container stops running
 * (looked at every 8 probes), and with a TimeoutError (also with the last log lines) when
 * `timeoutMs` passes.
 */
export async function waitForHttp(options: {
  container: Docker.Container;
  what: string;
  url: string;
  timeoutMs: number;
  accept: (body: string) => boolean;
}): Promise<void> {
  const logs = async () => lastLines(await containerLogs(options.container));
  await waitUntilReady({
    url: options.url,
    deadline: Date.now() + options.timeoutMs,
    accept: ({ status, body }) => (status === 200 && options.accept(body) ? { ready: undefined } : { notYet: `answered ${status}: ${body.slice(0, 200)}` }),
    stoppedEvery: 8,
    stopped: async () => {
      const info = await options.container.inspect().catch(() => undefined);
      if (info !== undefined && info.State.Running) return null;
      return info ? `exited with code ${info.State.ExitCode}${info.State.Error ? ` (${info.State.Error})` : ''}` : 'is gone';
    },
    stoppedError: async (state) => new RaftChaosError(`${options.what} ${state} while starting. Its last log lines:\n${await logs()}`),
    timeoutError: async (last) =>
      new TimeoutError(
        `${options.what} was not ready within ${options.timeoutMs} ms (${options.url}: ${last}). ` +
          `On a loaded machine raise the readiness timeout. Its last log lines:\n${await logs()}`,
      ),
  });
}

