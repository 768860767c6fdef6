import type Docker from 'dockerode';
import { RaftChaosError } from '../../../../common/src/errors.js';
import type { Cluster, RuntimeProcessEvent } from '../types.js';
import { removeRunResources } from './cleanup.js';
import { Toxiproxy } from 'toxiproxy-node-client';
import { patchProxy } from '../../network/toxiproxy-patch.js';
import { containerIp, containerLogs, engineError, lastLogLine, startContainer, waitForHttp } from './containers.js';
import { LABEL_NODE } from './labels.js';
import { saveRunLogs } from './run-logs.js';
import { closeOnSignal } from './signals.js';

/**
 * The `exit` event of a node container's `die`: its exit code, the signal a code of 137 or 143
 * means (kill -9, SIGTERM), and, for an exit with an error code, the last line the node logged
 * (`lastLine`) as `detail`, which node-crash quotes (on processes the node's log gives it too).
 */
export async function dieEvent(node: string, exitCode: string | undefined, lastLine: () => Promise<string>): Promise<RuntimeProcessEvent> {
  const code = Number(exitCode);
  const signal = code === 137 ? 'SIGKILL' : code === 143 ? 'SIGTERM' : null;
  const failed = signal === null && Number.isFinite(code) && code !== 0;
  const detail = failed ? await lastLine() : '';
  return { node, action: 'exit', code: Number.isFinite(code) ? code : null, signal, ...(detail ? { detail } : {}) };
}

/** The port every node listens on inside its container. */
export const NODE_CONTAINER_PORT = 7000;

/** One node's container and what the cluster knows of it. */
export interface NodeContainer {
  id: string;
  container: Docker.Container;
  name: string;
  hostPort: number;
  /** IPv4 address on the run's network (the upstream of the proxies that lead to it). */
  ip: string;
  running: boolean;
  paused: boolean;
}

export interface DockerClusterParts {
  docker: Docker;
  runId: string;
  nodes: readonly string[];
  networkName: string;
  image: string;
  description: string;
  toxiproxyUrl: string;
  toxiproxyKind: 'official' | 'project';
  toxiproxyContainer: Docker.Container;
  nodeContainers: readonly NodeContainer[];
  proxyName(from: string, to: string): string;
  readyTimeoutMs: number;
  /** A subject's readiness path (any 200 will do); absent: our node's `/status` naming its own id. */
  readyPath?: string;
  stopGraceSeconds: number;
  /** Where the harness reaches the proxies (listening on every interface of the Toxiproxy container): its IP on the run's network. */
  probeHost?: string;
  /** Where `close()` saves every container's log (`<node>.log`, `toxiproxy.log`); none when undefined. */
  logDir?: string;
  /** Told when a log could not be saved (close goes on regardless). */
  onWarning?: (message: string) => void;
}

/**
 * A cluster of node containers on one Docker network, with Toxiproxy in a container beside
 * them. Process control goes through the engine (kill = SIGKILL, stop = SIGTERM then SIGKILL
 * after the grace period, pause = the cgroup freezer). `close()` removes every container,
 * network and volume carrying the run's label (not only those this object remembers); it is
 * idempotent, and also runs on SIGINT/SIGTERM/SIGHUP. Before removing anything it saves every
 * container's whole log (all of a node's lives) to `logDir`; logs stay readable after close.
 */
export class DockerCluster implements Cluster {
  readonly runtime = 'docker';
  readonly runId: string;
  readonly nodes: readonly string[];
  readonly description: string;
  readonly toxiproxyUrl: string;
  /** `official` when the official Toxiproxy image ran, `project` for the project's own server. */
  readonly toxiproxyKind: 'official' | 'project';
  /** The Toxiproxy container carries this run only, so the partitioner may use its global reset. */
  readonly ownsToxiproxy = true;
  /**
   * The Toxiproxy container's IP on the run's network: the proxies listen on every interface
   * inside it, and the harness (on the engine's host) reaches them there to prove faults in force.
   */
  readonly probeHost: string | undefined;
  readonly networkName: string;
  readonly image: string;
  private readonly docker: Docker;
  private readonly byId = new Map<string, NodeContainer>();
  private readonly listeners: Array<(e: RuntimeProcessEvent) => void> = [];
  /** Starts `start()` made and reported itself, whose engine events are still to come (per node). */
  private readonly ownStarts = new Map<string, number>();
  private savedLogs: { nodes: Map<string, string>; toxiproxy: string | undefined } | undefined;
  private events: NodeJS.ReadableStream | undefined;
  private closing: Promise<void> | undefined;
  private readonly untrack: () => void;

  constructor(private readonly parts: DockerClusterParts) {
    this.docker = parts.docker;
    this.runId = parts.runId;
    this.nodes = parts.nodes;
    this.description = parts.description;
    this.toxiproxyUrl = parts.toxiproxyUrl;
    this.toxiproxyKind = parts.toxiproxyKind;
    this.networkName = parts.networkName;
    this.image = parts.image;
    this.probeHost = parts.probeHost;
    for (const n of parts.nodeContainers) this.byId.set(n.id, n);
    this.untrack = closeOnSignal(this);
  }

  statusUrl(node: string): string {
    return `http://127.0.0.1:${this.get(node).hostPort}`;
  }

  proxyName(from: string, to: string): string {
    return this.parts.proxyName(from, to);
  }

  /** The container name of a node (for people: `docker logs <name>`). */
  containerName(node: string): string {
    return this.get(node).name;
  }

  isRunning(node: string): boolean {
    return this.get(node).running;
  }

  /** SIGKILL through the engine; resolves once the container has stopped. No-op when not running. */
  async kill(node: string): Promise<void> {
    const n = this.get(node);
    if (!n.running) return;
    await this.engine(`killing ${node}`, async () => {
      try {
        await n.container.kill({ signal: 'SIGKILL' });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 409) throw err; // 409: not running
      }
      await n.container.wait({ condition: 'not-running' });
    });
    n.running = false;
    n.paused = false;
  }

  /** SIGTERM, SIGKILL after the grace period; resolves once stopped. No-op when not running. */
  async stop(node: string): Promise<void> {
    const n = this.get(node);
    if (!n.running) return;
    await this.engine(`stopping ${node}`, async () => {
      if (n.paused) await n.container.unpause(); // a frozen process cannot handle SIGTERM
      try {
        await n.container.stop({ t: this.parts.stopGraceSeconds });
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 304) throw err; // 304: already stopped
      }
      await n.container.wait({ condition: 'not-running' });
    });
    n.running = false;
    n.paused = false;
  }

  /**
   * Starts a stopped or killed node's container again (same name, address, host port and data
   * volume) and waits until its `/status` answers. No-op when running. When the node exits at
   * start, the error shows its last log lines.
   */
  async start(node: string): Promise<void> {
    const n = this.get(node);
    if (n.running) return;
    // Reported here, once, as soon as the engine has started it (with its pid), not when the
    // engine's event stream gets round to it: the event of this start is then skipped.
    this.ownStarts.set(node, (this.ownStarts.get(node) ?? 0) + 1);
    try {
      await startContainer(n.container, `node ${node} (container ${n.name})`, n.hostPort);
    } catch (err) {
      this.ownStarts.set(node, Math.max(0, (this.ownStarts.get(node) ?? 1) - 1));
      throw err;
    }
    n.running = true;
    n.paused = false;
    const pid = (await n.container.inspect().catch(() => undefined))?.State.Pid;
    this.emit({ node, action: 'start', ...(pid ? { pid } : {}) });
    try {
      await this.repointIfMoved(n);
      await this.waitReady(n);
    } catch (err) {
      const info = await n.container.inspect().catch(() => undefined);
      n.running = info?.State.Running ?? false;
      throw err;
    }
  }

  /**
   * The engine may give a restarted container another IP: then the proxies `*→node` get the
   * new upstream (keeping their enabled state and listen address).
   */
  private async repointIfMoved(n: NodeContainer): Promise<void> {
    const ip = await containerIp(n.container, this.networkName);
    if (ip === n.ip) return;
    const client = new Toxiproxy(this.toxiproxyUrl);
    await Promise.all(
      this.nodes
        .filter((from) => from !== n.id)
        .map(async (from) => {
          await patchProxy(client, this.proxyName(from, n.id), { upstream: `${ip}:${NODE_CONTAINER_PORT}` });
        }),
    );
    n.ip = ip;
  }

  /** Stop then start (the engine's restart), waiting for readiness. */
  async restart(node: string): Promise<void> {
    await this.stop(node);
    await this.start(node);
  }

  /** Freezes the node's container (`docker pause`). Throws when it is not running. */
  async pause(node: string): Promise<void> {
    const n = this.get(node);
    if (!n.running) throw new RaftChaosError(`cannot pause node ${node}: it is not running (start it first)`);
    if (n.paused) return;
    await this.engine(`pausing ${node}`, () => n.container.pause());
    n.paused = true;
  }

  /** Thaws the node's container. No-op when not paused. */
  async resume(node: string): Promise<void> {
    const n = this.get(node);
    if (!n.paused) return;
    await this.engine(`unpausing ${node}`, () => n.container.unpause());
    n.paused = false;
  }

  /** Everything the node's container logged, every boot (kept after close). */
  async logs(node: string): Promise<string> {
    const n = this.get(node);
    if (this.closing) {
      await this.closing;
      return this.savedLogs?.nodes.get(node) ?? '';
    }
    return containerLogs(n.container);
  }

  /** The Toxiproxy container's own log (kept after close). */
  async toxiproxyLogs(): Promise<string> {
    if (this.closing) {
      await this.closing;
      return this.savedLogs?.toxiproxy ?? '';
    }
    return containerLogs(this.parts.toxiproxyContainer);
  }

  onProcessEvent(listener: (e: RuntimeProcessEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Follows the engine's start/die events of this run's node containers. */
  async watchEvents(): Promise<void> {
    const stream = (await this.docker.getEvents({
      filters: { type: ['container'], event: ['start', 'die'], label: [`raft-chaos.run=${this.runId}`] },
    })) as NodeJS.ReadableStream;
    this.events = stream;
    let buffered = '';
    let chain = Promise.resolve();
    stream.on('data', (chunk: Buffer | string) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl).trim();
        buffered = buffered.slice(nl + 1);
        if (line) chain = chain.then(() => this.onEngineEvent(line)).catch(() => {});
      }
    });
    stream.on('error', () => {});
  }

  private async onEngineEvent(line: string): Promise<void> {
    const e = JSON.parse(line) as { status?: string; Action?: string; Actor?: { Attributes?: Record<string, string> } };
    const attrs = e.Actor?.Attributes ?? {};
    const node = attrs[LABEL_NODE];
    const n = node === undefined ? undefined : this.byId.get(node);
    if (node === undefined || n === undefined) return;
    const action = e.Action ?? e.status;
    const info = await n.container.inspect().catch(() => undefined);
    if (action === 'start') {
      const own = this.ownStarts.get(node) ?? 0;
      if (own > 0) {
        this.ownStarts.set(node, own - 1); // `start()` reported it already
        return;
      }
      this.emit({ node, action: 'start', ...(info?.State.Pid ? { pid: info.State.Pid } : {}) });
    } else if (action === 'die') {
      if (info && !info.State.Running) {
        n.running = false;
        n.paused = false;
      }
      this.emit(await dieEvent(node, attrs.exitCode, () => lastLogLine(n.container)));
    }
  }

  private emit(e: RuntimeProcessEvent): void {
    for (const l of this.listeners) {
      try {
        l(e);
      } catch {
        // a listener's failure is its own
      }
    }
  }

  /**
   * Saves every container's log (see `logDir`), then removes everything labelled with this run
   * (containers, network, volumes). Idempotent.
   */
  close(): Promise<void> {
    this.closing ??= this.doClose();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  private async doClose(): Promise<void> {
    try {
      (this.events as { destroy?: () => void } | undefined)?.destroy?.();
      const saved = await saveRunLogs(this.docker, this.runId, this.parts.logDir);
      this.savedLogs = saved;
      for (const problem of saved.problems) this.parts.onWarning?.(`run ${this.runId}: ${problem}`);
      await removeRunResources(this.docker, this.runId);
      for (const n of this.byId.values()) {
        n.running = false;
        n.paused = false;
      }
    } finally {
      this.untrack();
    }
  }

  private waitReady(n: NodeContainer): Promise<void> {
    return waitForNode(n, this.parts.readyTimeoutMs, this.parts.readyPath);
  }

  private get(node: string): NodeContainer {
    const n = this.byId.get(node);
    if (n === undefined) {
      throw new RaftChaosError(`unknown node ${JSON.stringify(node)}; this cluster has ${this.nodes.join(', ')}`);
    }
    return n;
  }

  private async engine<T>(doing: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (cause) {
      throw engineError(doing, cause);
    }
  }
}

/**
 * The named readiness wait of a node container: its `/status` answers 200 with its own id, or,
 * for a subject, its `readyPath` answers 200.
 */
export function waitForNode(n: NodeContainer, timeoutMs: number, readyPath?: string): Promise<void> {
  return waitForHttp({
    container: n.container,
    what: `node ${n.id} (container ${n.name})`,
    url: `http://127.0.0.1:${n.hostPort}${readyPath ?? '/status'}`,
    timeoutMs,
    accept: (body) => {
      if (readyPath !== undefined) return true;
      try {
        return (JSON.parse(body) as { id?: string }).id === n.id;
      } catch {
        return false;
      }
    },
  });
}
