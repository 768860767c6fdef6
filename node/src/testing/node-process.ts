import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TimeoutError } from '../../../common/src/errors.js';

/** Ports that were free a moment ago on 127.0.0.1 (the OS picked them). */
export async function freePorts(n: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: n }, () => new Promise<import('node:net').Server>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => resolve(s));
    })),
  );
  const ports = servers.map((s) => (s.address() as import('node:net').AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** A node process started for a test. `kill` is idempotent. */
export interface NodeProcess {
  readonly id: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or null when killed by a signal). */
  readonly exited: Promise<number | null>;
  stdout(): string;
  stderr(): string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `node BUNDLE ...args` (a bundle from bundleNode) as a child process. */
export function startNodeProcess(bundle: string, id: string, port: number, args: readonly string[]): NodeProcess {
  const child = spawn(process.execPath, [bundle, '--id', id, '--port', String(port), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    id,
    port,
    child,
    exited,
    stdout: () => out,
    stderr: () => err,
    async kill(signal = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** GET http://127.0.0.1:port/path as JSON, or null when the node does not answer. */
export async function getJson(port: number, path: string): Promise<any> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(500) });
    return await r.json();
  } catch {
    return null;
  }
}

/** One leader that every node of `ids` (at `ports`) follows in the same term, or undefined. */
export async function agreedLeader(ports: Readonly<Record<string, number>>, ids: readonly string[]): Promise<{ leader: string; term: number } | undefined> {
  const st = await Promise.all(ids.map((id) => getJson(ports[id]!, '/status')));
  if (st.some((s) => s === null)) return undefined;
  const leaders = st.filter((s) => s.state === 'leader');
  if (leaders.length !== 1) return undefined;
  const { id, term } = leaders[0];
  return st.every((s) => s.term === term && s.leader === id) ? { leader: id, term } : undefined;
}

/** Polls `probe` every 25 ms until it returns a value other than undefined, or throws TimeoutError. */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new TimeoutError(`no ${what} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Three nodes of this package on free loopback ports, wired to each other directly (no proxies). */
export interface LocalCluster {
  readonly ids: readonly string[];
  /** Each node's HTTP port. */
  readonly ports: Readonly<Record<string, number>>;
  readonly nodes: ReadonlyMap<string, NodeProcess>;
  /** The run's directory (the bundle, every node's data directory). */
  readonly work: string;
  /** Kills every node and removes the directory. */
  close(): Promise<void>;
}

/**
 * Bundles the node and starts `n1`..`n3`, each with its data directory under a fresh temporary
 * directory (`prefix`) and `--seed seed`. For tests that drive a live cluster through HTTP.
 */
export async function startLocalCluster(prefix: string, seed: number): Promise<LocalCluster> {
  const { bundleNode } = await import('../../build.js');
  const work = mkdtempSync(join(tmpdir(), prefix));
  const bundle = join(work, 'node.mjs');
  await bundleNode(bundle);
  const ids = ['n1', 'n2', 'n3'];
  const p = await freePorts(ids.length);
  const ports = Object.fromEntries(ids.map((id, i) => [id, p[i]!]));
  const nodes = new Map<string, NodeProcess>();
  for (const id of ids) {
    const peers = ids.filter((q) => q !== id).map((q) => `${q}=127.0.0.1:${ports[q]}`).join(',');
    nodes.set(id, startNodeProcess(bundle, id, ports[id]!, ['--peers', peers, '--data-dir', join(work, id), '--seed', String(seed)]));
  }
  return {
    ids, ports, nodes, work,
    async close() {
      await Promise.all([...nodes.values()].map((n) => n.kill()));
      rmSync(work, { recursive: true, force: true });
    },
  };
}
