import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, RaftChaosError } from '../../../../common/src/errors.js';
import { LinkProxies } from '../../network/link-proxies.js';
import { openToxiproxy, type ToxiproxyEndpoint } from '../../network/toxiproxy-endpoint.js';
import type { Cluster, ClusterSpec, DiskFaults, RuntimeProcessEvent } from '../types.js';
import { diskFaultFile, parseDiskMode } from '../../../../node/src/disk-mode.js';
import { STATE_FILE } from '../../../../node/src/server/storage.js';
import { ensureNodeBundle } from '../../build/bundles.js';
import { nodeArgs } from './node-args.js';
import { NodeProcess, PortInUseError } from './node-process.js';
import { Pidfile } from './pidfile.js';
import { freePort, reservePorts } from './ports.js';
import { isCommandSubject, launchPlan, type LaunchPlan } from '../../subject/launch.js';
import type { CommandSubject } from '../../subject/types.js';

/** Options of the local-process runtime; every field has a default. */
export interface ProcessRuntimeOptions {
  /** Longest wait for a node's `/status` after spawning it (default 15000 ms). */
  readyTimeoutMs?: number;
  /** SIGTERM → SIGKILL grace period of `stop` (default 3000 ms). */
  stopGraceMs?: number;
  /** A node bundle to use as is (default: `dist/node.mjs`, rebuilt when the sources are newer). */
  bundle?: string;
  /** How often a node may move to another port after EADDRINUSE (default 3). */
  portRetries?: number;
  /** Told about things worth a note in the history (a node moved port). Default: console.warn. */
  onWarning?(message: string): void;
}

const HOST = '127.0.0.1';
const NODE_ID = /^[A-Za-z0-9_.-]{1,64}$/;

/**
 * A cluster of local node processes on 127.0.0.1, each directed link through its own proxy.
 * Built by `ProcessCluster.start`; see the `Cluster` contract. Extra: `ownsToxiproxy` (the
 * partitioner may reset it) and `pid(node)`.
 */
export class ProcessCluster implements Cluster {
  readonly runtime = 'process';
  readonly nodes: readonly string[];
  private readonly procs = new Map<string, NodeProcess>();
  private readonly listeners: Array<(e: RuntimeProcessEvent) => void> = [];
  private endpoint: ToxiproxyEndpoint | undefined;
  private links: LinkProxies | undefined;
  private pidfile: Pidfile | undefined;
  private bundle = '';
  private closing: Promise<void> | undefined;
  /** The subject every node slot runs, when it is not the project's own node. */
  private readonly subject: CommandSubject | undefined;

  private constructor(
    private readonly spec: ClusterSpec,
    private readonly options: Required<Omit<ProcessRuntimeOptions, 'bundle'>> & { bundle?: string },
  ) {
    this.nodes = [...spec.nodes];
    this.subject = spec.subject !== undefined && isCommandSubject(spec.subject) ? spec.subject : undefined;
    if (spec.onProcessEvent) this.listeners.push(spec.onProcessEvent);
  }

  /**
   * Start the cluster: bundle (or reuse) the node, open Toxiproxy, create the n·(n−1) link
   * proxies, spawn every node and wait until each answers `/status`. On any failure everything
   * started so far is closed again before the error is thrown.
   */
  static async start(spec: ClusterSpec, options: ProcessRuntimeOptions = {}): Promise<ProcessCluster> {
    validateSpec(spec);
    const cluster = new ProcessCluster(spec, {
      readyTimeoutMs: options.readyTimeoutMs ?? 15_000,
      stopGraceMs: options.stopGraceMs ?? 3_000,
      portRetries: options.portRetries ?? 3,
      onWarning: options.onWarning ?? ((m) => console.warn(`raft-chaos: ${m}`)),
      ...(options.bundle !== undefined ? { bundle: options.bundle } : {}),
    });
    try {
      await cluster.boot();
      return cluster;
    } catch (error) {
      await cluster.close().catch(() => undefined);
      throw error;
    }
  }

  get toxiproxyUrl(): string {
    return this.endpoint?.url ?? '';
  }

  /** True when the Toxiproxy is the embedded one this cluster started (nothing else uses it). */
  get ownsToxiproxy(): boolean {
    return this.endpoint?.embedded ?? false;
  }

  get description(): string {
    const via = this.ownsToxiproxy ? 'the embedded Toxiproxy' : 'Toxiproxy';
    const what = this.subject ? `subject ${this.subject.name}: ${this.subject.launch.commandText ?? this.subject.launch.command?.join(' ')}` : this.bundle;
    return `${this.nodes.length} local processes on ${HOST} (${what}); links through ${via} at ${this.toxiproxyUrl}`;
  }

  statusUrl(node: string): string {
    return `http://${HOST}:${this.proc(node).port}`;
  }

  proxyName(from: string, to: string): string {
    return this.requireLinks().get(from, to).name;
  }

  /** The pid of the node's running process, if it runs. */
  pid(node: string): number | undefined {
    return this.proc(node).pid;
  }

  async kill(node: string): Promise<void> {
    await this.open().proc(node).kill();
  }

  async stop(node: string): Promise<void> {
    await this.open().proc(node).stop();
  }

  async start(node: string): Promise<void> {
    await this.open().startNode(node);
  }

  async pause(node: string): Promise<void> {
    await this.open().proc(node).pause();
  }

  async resume(node: string): Promise<void> {
    await this.open().proc(node).resume();
  }

  isRunning(node: string): boolean {
    return this.proc(node).isRunning();
  }

  async logs(node: string): Promise<string> {
    return this.proc(node).logs();
  }

  onProcessEvent(listener: (e: RuntimeProcessEvent) => void): void {
    this.listeners.push(listener);
  }

  /**
   * Kill every node (SIGKILL to each group, waiting for the exits), delete this run's proxies
   * from an external Toxiproxy or stop the embedded one, remove the pidfile. Idempotent; never
   * rejects for a cleanup step that failed (that goes to `onWarning`).
   */
  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  private async boot(): Promise<void> {
    const workDir = resolve(this.spec.workDir);
    mkdirSync(join(workDir, 'logs'), { recursive: true });
    const [bundled, opened, reserved] = await Promise.allSettled([
      // A subject's node is its own command: nothing to bundle.
      this.subject ? '' : (this.options.bundle ?? ensureNodeBundle()),
      openToxiproxy(this.spec.toxiproxyUrl !== undefined ? { url: this.spec.toxiproxyUrl } : {}),
      reservePorts(this.nodes.length, HOST),
    ]);
    // Keep whatever started, so close() frees it when another part failed.
    if (opened.status === 'fulfilled') this.endpoint = opened.value;
    if (reserved.status === 'fulfilled' && (bundled.status === 'rejected' || opened.status === 'rejected')) {
      await reserved.value.release();
    }
    if (bundled.status === 'rejected') throw bundled.reason;
    if (opened.status === 'rejected') throw opened.reason;
    if (reserved.status === 'rejected') throw reserved.reason;
    this.bundle = bundled.value;
    const endpoint = opened.value;
    const reservation = reserved.value;
    try {
      const portOf = new Map(this.nodes.map((n, i) => [n, reservation.ports[i]!]));
      this.links = await LinkProxies.create({
        client: endpoint.client,
        runId: this.spec.runId,
        nodes: this.nodes,
        upstreamOf: (node) => `${HOST}:${portOf.get(node)}`,
        listenHost: HOST,
      });
      this.pidfile = new Pidfile(workDir, this.spec.runId, endpoint.embedded ? null : endpoint.url);
      this.nodes.forEach((node, index) => this.procs.set(node, this.makeProcess(node, index, portOf.get(node)!, workDir)));
    } finally {
      await reservation.release();
    }
    const deferred = new Set(this.spec.deferred ?? []);
    await Promise.all(this.nodes.filter((node) => !deferred.has(node)).map((node) => this.startNode(node)));
  }

  /**
   * Our node's disk faults on processes (absent for a subject, which writes its own disk):
   * `fail` writes the control file of the node's `--disk faults` mode (node/src/disk-mode.ts)
   * beside its data directory, or removes it; `corruptState` rewrites the stopped node's state
   * file, keeping the original for `restoreState`.
   */
  get diskFaults(): DiskFaults | undefined {
    if (this.subject !== undefined) return undefined;
    const dirOf = (node: string) => {
      const d = this.dataDirs.get(node);
      if (d === undefined) throw new Error(`unknown node ${node}`);
      return d;
    };
    const stateFile = (node: string) => join(dirOf(node), STATE_FILE);
    return {
      fail: async (node, how) => {
        const file = diskFaultFile(dirOf(node));
        if (how === null) return rmSync(file, { force: true });
        if (this.spec.settings.disk === undefined || parseDiskMode(this.spec.settings.disk, '--disk').faults !== true) {
          throw new ConfigError(`disk-fail on processes needs our node started with --disk faults (got --disk ${this.spec.settings.disk ?? 'real'})`);
        }
        writeFileSync(`${file}.tmp`, `${how}\n`);
        renameSync(`${file}.tmp`, file);
      },
      corruptState: async (node, corrupted) => {
        const file = stateFile(node);
        const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
        if (!this.originals.has(node)) this.originals.set(node, before);
        const text = corrupted(before);
        writeFileSync(file, text);
        return text;
      },
      restoreState: async (node) => {
        if (!this.originals.has(node)) return;
        const before = this.originals.get(node)!;
        this.originals.delete(node);
        if (before === null) rmSync(stateFile(node), { force: true });
        else writeFileSync(stateFile(node), before);
      },
    };
  }

  /** Each node's data directory. */
  private readonly dataDirs = new Map<string, string>();
  /** State files as they were before `corruptState`, until `restoreState`. */
  private readonly originals = new Map<string, string | null>();

  private makeProcess(node: string, index: number, port: number, workDir: string): NodeProcess {
    const dataDir = join(workDir, 'data', node);
    mkdirSync(dataDir, { recursive: true });
    this.dataDirs.set(node, dataDir);
    return new NodeProcess({
      id: node,
      host: HOST,
      port,
      bundle: this.bundle,
      cwd: workDir,
      logFile: join(workDir, 'logs', `${node}.log`),
      readyTimeoutMs: this.options.readyTimeoutMs,
      stopGraceMs: this.options.stopGraceMs,
      args: (p) =>
        nodeArgs({ id: node, host: HOST, port: p, peers: this.requireLinks().peersFlag(node), dataDir, settings: this.spec.settings, index }),
      ...(this.subject ? { command: (p: number) => this.plan(node, p, dataDir) } : {}),
      onEvent: (e) => this.emit(e),
      onPid: (pid) => (pid === null ? this.pidfile?.delete(node) : this.pidfile?.set(node, pid, dataDir)),
    });
  }

  /** The launch plan of a subject's node on port `p`: its peers are the proxies of its links. */
  private plan(node: string, p: number, dataDir: string): LaunchPlan {
    const links = this.requireLinks();
    const s = this.spec.settings;
    return launchPlan(this.subject!, {
      id: node,
      host: HOST,
      port: p,
      peers: this.nodes.filter((peer) => peer !== node).map((peer) => ({ id: peer, ...links.get(node, peer).listen })),
      dataDir,
      electionTimeoutMin: s.electionTimeoutMin,
      electionTimeoutMax: s.electionTimeoutMax,
      heartbeatInterval: s.heartbeatInterval,
    }, 'process');
  }

  /** Start one node, moving it to a fresh port (and repointing its proxies) after EADDRINUSE. */
  private async startNode(node: string): Promise<void> {
    const proc = this.proc(node);
    for (let attempt = 0; ; attempt++) {
      try {
        await proc.start();
        return;
      } catch (error) {
        if (!(error instanceof PortInUseError) || attempt >= this.options.portRetries) throw error;
        const old = proc.port;
        proc.port = await freePort(HOST);
        await this.requireLinks().setUpstream(node, `${HOST}:${proc.port}`);
        this.options.onWarning(`node ${node}: port ${old} was taken (EADDRINUSE); moved it to ${proc.port} and repointed its proxies`);
      }
    }
  }

  private async shutdown(): Promise<void> {
    const warn = (what: string, r: PromiseSettledResult<unknown>): void => {
      if (r.status === 'rejected') this.options.onWarning(`${what}: ${(r.reason as Error).message}`);
    };
    const kills = await Promise.allSettled([...this.procs.values()].map((p) => p.kill()));
    kills.forEach((r) => warn('closing the cluster, a node could not be killed', r));
    if (this.links !== undefined && this.endpoint !== undefined && !this.endpoint.embedded) {
      warn(`closing the cluster, proxies of run ${this.spec.runId} were left on ${this.endpoint.url}`,
        (await Promise.allSettled([this.links.removeAll()]))[0]!);
    }
    if (this.endpoint !== undefined) warn('closing the embedded Toxiproxy', (await Promise.allSettled([this.endpoint.close()]))[0]!);
    if ([...this.procs.values()].every((p) => !p.isRunning())) this.pidfile?.remove();
  }

  private emit(e: RuntimeProcessEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(e);
      } catch (error) {
        this.options.onWarning(`a process event listener threw: ${(error as Error).message}`);
      }
    }
  }

  private proc(node: string): NodeProcess {
    const proc = this.procs.get(node);
    if (proc === undefined) {
      throw new RaftChaosError(`unknown node ${JSON.stringify(node)}; this cluster has ${this.nodes.join(', ')}`);
    }
    return proc;
  }

  private requireLinks(): LinkProxies {
    if (this.links === undefined) throw new RaftChaosError('the cluster has no link proxies (it did not start)');
    return this.links;
  }

  private open(): this {
    if (this.closing !== undefined) throw new RaftChaosError(`cluster of run ${this.spec.runId} is closed`);
    return this;
  }
}

function validateSpec(spec: ClusterSpec): void {
  if (spec.nodes.length === 0) throw new ConfigError('a cluster needs at least one node');
  const subject = spec.subject;
  if (subject !== undefined && isCommandSubject(subject) && subject.launch.command === undefined) {
    // launchPlan says what to give instead (--node-command), before anything starts.
    launchPlan(subject, { id: 'n1', host: HOST, port: 1, peers: [], dataDir: '', electionTimeoutMin: 1, electionTimeoutMax: 2, heartbeatInterval: 1 }, 'process');
  }
  const bad = spec.nodes.find((n) => !NODE_ID.test(n));
  if (bad !== undefined) throw new ConfigError(`node id ${JSON.stringify(bad)} does not match [A-Za-z0-9_.-]{1,64}`);
  if (new Set(spec.nodes).size !== spec.nodes.length) throw new ConfigError(`node ids repeat: ${spec.nodes.join(',')}`);
}
