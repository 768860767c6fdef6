import { closeSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { execa } from 'execa';
import { EnvironmentError, RaftChaosError, TimeoutError } from '../../../../common/src/errors.js';
import type { RuntimeProcessEvent } from '../types.js';
import { guardProcessGroup, killGroup } from './exit-guard.js';
import { nodeEnv } from './node-args.js';
import { statusOf, waitUntilReady, type Readiness } from '../readiness.js';
import type { LaunchPlan } from '../../subject/launch.js';

/** The node could not bind its port (EADDRINUSE): the caller may retry with another port. */
export class PortInUseError extends EnvironmentError {}

export interface NodeProcessOptions {
  id: string;
  host: string;
  port: number;
  /** Path of the bundled node (`dist/node.mjs`). */
  bundle: string;
  /** The node's flags for a given port. */
  args(port: number): string[];
  /**
   * A subject's node instead of the bundle: its launch plan for a given port (argv, env, cwd,
   * readiness path, stop signal). Absent: the project's own node from `bundle` with `args`.
   */
  command?(port: number): LaunchPlan;
  /** Working directory of the process. */
  cwd: string;
  /** stdout and stderr of every boot are appended here. */
  logFile: string;
  readyTimeoutMs: number;
  stopGraceMs: number;
  onEvent(e: RuntimeProcessEvent): void;
  /** Called with the pid once spawned, and with null once it exited (for the pidfile). */
  onPid(pid: number | null): void;
}

/**
 * One node as a local process: spawned detached (its own process group, so signals reach the
 * whole group), logs appended to a file by the child itself, guarded so it dies with the
 * harness. One boot at a time; the methods are safe to call in any state.
 */
export class NodeProcess {
  port: number;
  private child: NodeSubprocess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private exitInfo: { code: number | null; signal: string | null } | null = null;
  private paused = false;
  private logOffset = 0;

  constructor(private readonly options: NodeProcessOptions) {
    this.port = options.port;
  }

  /** Pid of the running boot, if any. */
  get pid(): number | undefined {
    return this.isRunning() ? this.child?.pid : undefined;
  }

  /** Running (paused counts) and not yet exited. */
  isRunning(): boolean {
    return this.child !== undefined && this.exitInfo === null;
  }

  isPaused(): boolean {
    return this.isRunning() && this.paused;
  }

  /**
   * Spawn and wait until `/status` answers with this pid. Throws PortInUseError when the port is
   * taken, TimeoutError when not ready in time (the process is killed), RaftChaosError when it
   * exits first; each message carries the node's last log lines. No-op when already running.
   */
  async start(): Promise<void> {
    if (this.isRunning()) return;
    const { id, host, logFile } = this.options;
    this.logOffset = fileSize(logFile);
    const fd = openSync(logFile, 'a');
    writeSync(fd, `--- raft-chaos: starting ${id} on ${host}:${this.port} at ${new Date().toISOString()} ---\n`);
    let child: NodeSubprocess;
    try {
      child = spawnNode(this.options, this.port, fd);
    } finally {
      closeSync(fd); // the child has its own copy once spawned
    }
    const pid = child.pid;
    if (pid === undefined) {
      const result = await child;
      throw new EnvironmentError(`could not start node ${id}: ${result.message}`);
    }
    this.child = child;
    this.exitInfo = null;
    this.paused = false;
    const unguard = guardProcessGroup(pid);
    this.options.onPid(pid);
    this.options.onEvent({ node: id, action: 'start', pid });
    this.exited = child.then((result) => {
      unguard();
      this.exitInfo = { code: result.exitCode ?? null, signal: result.signal ?? null };
      this.paused = false;
      this.options.onPid(null);
      // An exit with an error code: its last log line says why (node-crash quotes it).
      const failed = this.exitInfo.signal === null && this.exitInfo.code !== null && this.exitInfo.code !== 0;
      const detail = failed ? this.lastLogLines(1).slice(0, 300) : '';
      this.options.onEvent({ node: id, action: 'exit', pid, ...this.exitInfo, ...(detail ? { detail } : {}) });
    });
    await this.waitReady(pid);
  }

  /** kill -9 the process group; resolves once the process has exited. No-op when not running. */
  async kill(): Promise<void> {
    if (!this.isRunning()) return;
    killGroup(this.child!.pid!, 'SIGKILL');
    await this.awaitExit(10_000);
  }

  /** SIGTERM, then SIGKILL after the grace period; resolves once exited. No-op when not running. */
  async stop(): Promise<void> {
    if (!this.isRunning()) return;
    const pid = this.child!.pid!;
    const plan = this.options.command?.(this.port);
    const grace = plan?.stopGraceMs ?? this.options.stopGraceMs;
    killGroup(pid, plan?.stopSignal ?? 'SIGTERM');
    if (this.paused) killGroup(pid, 'SIGCONT'); // a stopped process only sees SIGTERM once continued
    const timer = setTimeout(() => killGroup(pid, 'SIGKILL'), grace);
    try {
      await this.awaitExit(grace + 10_000);
    } finally {
      clearTimeout(timer);
    }
  }

  /** SIGSTOP the group. Throws when the node is not running. */
  async pause(): Promise<void> {
    this.mustRun('pause');
    killGroup(this.child!.pid!, 'SIGSTOP');
    this.paused = true;
  }

  /** SIGCONT the group. No-op when not paused. */
  async resume(): Promise<void> {
    if (!this.isPaused()) return;
    killGroup(this.child!.pid!, 'SIGCONT');
    this.paused = false;
  }

  /** Everything logged by every boot so far. */
  logs(): string {
    try {
      return readFileSync(this.options.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** The last `n` lines the current (or last) boot logged. */
  lastLogLines(n = 20): string {
    const lines = this.logs().slice(this.logOffset).trimEnd().split('\n');
    return lines.slice(-n).join('\n');
  }

  private async waitReady(pid: number): Promise<void> {
    const { id, host } = this.options;
    const plan = this.options.command?.(this.port);
    const readyTimeoutMs = plan?.readyTimeoutMs ?? this.options.readyTimeoutMs;
    const url = plan ? `${plan.baseUrl}${plan.readyPath}` : `http://${host}:${this.port}/status`;
    try {
      await waitUntilReady<unknown>({
        url,
        // A subject's node is ready when its readiness path answers 200; ours when /status names this pid.
        accept: plan ? (a): Readiness<unknown> => (a.status === 200 ? { ready: true } : { notYet: `answered ${a.status}` }) : statusOf({ id, pid }),
        deadline: Date.now() + readyTimeoutMs,
        stopped: () => (this.exitInfo === null ? null : `exited (${describeExit(this.exitInfo)})`),
      });
    } catch (error) {
      const exitedEarly = this.exitInfo !== null;
      if (!exitedEarly) await this.kill();
      await this.exited;
      const tail = this.lastLogLines();
      const where = `node ${id} (pid ${pid}, ${host}:${this.port})`;
      const logs = `Its last log lines (${this.options.logFile}):\n${indent(tail)}`;
      if (exitedEarly && /EADDRINUSE/.test(tail)) {
        throw new PortInUseError(`${where} could not listen: port ${this.port} is taken. ${logs}`);
      }
      if (exitedEarly) {
        throw new RaftChaosError(`${where} ${(error as Error).message} while starting. ${logs}`);
      }
      throw new TimeoutError(
        `${where} was not ready within ${readyTimeoutMs} ms: ${url} ${(error as Error).message}; it was killed. ` +
          `On a loaded machine raise the readiness timeout. ${logs}`,
      );
    }
  }

  private async awaitExit(limitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new TimeoutError(`node ${this.options.id} did not exit within ${limitMs} ms of being signalled`)),
        limitMs,
      );
    });
    try {
      await Promise.race([this.exited, limit]);
    } finally {
      clearTimeout(timer);
    }
  }

  private mustRun(what: string): void {
    if (!this.isRunning()) {
      throw new RaftChaosError(`cannot ${what} node ${this.options.id}: it is not running (start it first)`);
    }
  }
}

type NodeSubprocess = ReturnType<typeof spawnNode>;

/** execa with the house rules: own process group, cleanup, kill escalation, output to `fd`. */
function spawnNode(options: NodeProcessOptions, port: number, fd: number) {
  const plan = options.command?.(port);
  const [file, ...args] = plan ? plan.argv : [process.execPath, options.bundle, ...options.args(port)];
  return execa(file!, args, {
    cwd: plan?.cwd ?? options.cwd,
    detached: true,
    cleanup: true,
    forceKillAfterDelay: options.stopGraceMs,
    stdin: 'ignore',
    // The child writes its log itself (no pipe through the harness). execa's types list only
    // fds 0-9, but it hands any fd to spawn.
    stdout: fd as 3,
    stderr: fd as 3,
    reject: false,
    extendEnv: false,
    // A subject's node gets the harness's environment (PATH, ...) and its plan's variables on top.
    env: plan ? { ...nodeEnv(), ...plan.env } : nodeEnv(),
  });
}

function describeExit(e: { code: number | null; signal: string | null }): string {
  return e.signal !== null ? `signal ${e.signal}` : `code ${e.code}`;
}

function fileSize(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  | ${l}`)
    .join('\n');
}
