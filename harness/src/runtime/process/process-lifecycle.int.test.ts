import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterEach, describe, expect, it } from 'vitest';
import { RaftChaosError, TimeoutError } from '../../../../common/src/errors.js';
import { openToxiproxy } from '../../network/toxiproxy-endpoint.js';
import type { ClusterSpec } from '../types.js';
import { isAlive, PIDFILE_NAME, reapStaleProcesses } from './pidfile.js';
import { createProcessRuntime } from './process-runtime.js';
import { until as untilTrue } from '../../test-support/until.js';

/**
 * Start-up failures, port retries and abnormal harness deaths, with a fake node (fixtures/) that
 * starts in milliseconds. Real nodes are in process-cluster.int.test.ts.
 */
const FAKE = fileURLToPath(new URL('./fixtures/fake-node.mjs', import.meta.url));
const CRASHING = fileURLToPath(new URL('./fixtures/crashing-harness.ts', import.meta.url));

const dirs: string[] = [];
function spec(nodes = ['n1', 'n2', 'n3']): ClusterSpec {
  const workDir = mkdtempSync(join(tmpdir(), 'raft-chaos-life-'));
  dirs.push(workDir);
  return {
    runId: `life${process.pid}x${dirs.length}`, nodes, workDir,
    settings: {
      electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, rpcTimeout: 75,
      preVote: true, checkQuorum: true, bugs: [], logLevel: 'info', seed: 1,
    },
  };
}

const until = (cond: () => boolean | Promise<boolean>, timeoutMs = 10_000) => untilTrue(cond, timeoutMs, '', 20);

afterEach(() => {
  delete process.env['FAKE_NODE_MODE'];
  delete process.env['FAKE_NODE_MARKER'];
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('process runtime life cycle (fake nodes)', () => {
  it('a node that exits at start fails the start with its last log lines, and nothing is left', async () => {
    process.env['FAKE_NODE_MODE'] = 'exit';
    const s = spec();
    const error = await createProcessRuntime({ bundle: FAKE, onWarning: () => {} }).start(s).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RaftChaosError);
    expect((error as Error).message).toMatch(/node n\d .* exited \(code 2\) while starting/);
    expect((error as Error).message).toMatch(/\| fake node n\d: bad --election-timeout, exiting/);
    expect(existsSync(join(s.workDir, PIDFILE_NAME))).toBe(false);
  });

  it('a node that never answers fails readiness with a TimeoutError and is killed', async () => {
    process.env['FAKE_NODE_MODE'] = 'hang';
    const error = await createProcessRuntime({ bundle: FAKE, readyTimeoutMs: 1500 }).start(spec(['n1'])).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TimeoutError);
    // The log shows at least the harness's own start line (the node may not have logged yet).
    expect((error as Error).message).toMatch(/was not ready within 1500 ms.*last log lines.*\| --- raft-chaos: starting n1/s);
    const pid = Number(/pid (\d+)/.exec((error as Error).message)![1]);
    expect(isAlive(pid)).toBe(false);
  });

  it('moves a node whose port is taken to another port, repoints its proxies and says so', async () => {
    const s = spec(['n1', 'n2']);
    process.env['FAKE_NODE_MODE'] = 'eaddrinuse-once';
    process.env['FAKE_NODE_MARKER'] = join(s.workDir, 'marker');
    const warnings: string[] = [];
    const cluster = await createProcessRuntime({ bundle: FAKE, onWarning: (m) => warnings.push(m) }).start(s);
    try {
      expect(warnings).toHaveLength(2);
      expect(warnings[0]).toMatch(/port \d+ was taken \(EADDRINUSE\); moved it to \d+ and repointed its proxies/);
      const firstPort = Number(readFileSync(join(s.workDir, 'marker-n2'), 'utf8'));
      const port = Number(new URL(cluster.statusUrl('n2')).port);
      expect(port).not.toBe(firstPort);
      const proxy = await new Toxiproxy(cluster.toxiproxyUrl).get(cluster.proxyName('n1', 'n2'));
      expect(proxy.upstream).toBe(`127.0.0.1:${port}`);
      // stop / start / pause / resume on a live process
      await cluster.stop('n1');
      expect(cluster.isRunning('n1')).toBe(false);
      await cluster.start('n1');
      await cluster.pause('n2');
      expect(cluster.isRunning('n2')).toBe(true);
      await cluster.stop('n2'); // SIGTERM reaches a paused node too
      expect(cluster.isRunning('n2')).toBe(false);
      await expect(cluster.pause('n2')).rejects.toThrow(/not running/);
    } finally {
      await cluster.close();
    }
  });

  it('with an external Toxiproxy, close() deletes only this run\'s proxies and leaves the server up', async () => {
    process.env['FAKE_NODE_MODE'] = 'serve';
    const external = await openToxiproxy();
    try {
      await external.client.createProxy({ name: 'someone-else', listen: '127.0.0.1:0', upstream: '127.0.0.1:1' });
      const cluster = await createProcessRuntime({ bundle: FAKE }).start({ ...spec(['n1', 'n2']), toxiproxyUrl: external.url });
      expect(cluster.ownsToxiproxy).toBe(false);
      expect(cluster.description).toContain(`links through Toxiproxy at ${external.url}`);
      expect(Object.keys(await external.client.getAll())).toHaveLength(3);
      await cluster.close();
      expect(Object.keys(await external.client.getAll())).toEqual(['someone-else']);
    } finally {
      await external.close();
    }
  });

  // Three harnesses die at once (in parallel, to keep the file short): of an uncaught exception,
  // of an unhandled SIGTERM, and of SIGKILL (which only the pidfile reaper can clean up after).
  it('a harness that dies badly leaves no node behind', async () => {
    const harness = (mode: string) =>
      execa(process.execPath, ['--import', 'tsx', CRASHING, spec().workDir, mode], { reject: false });

    const throwing = (async () => {
      const child = await harness('throw');
      expect(child.exitCode).not.toBe(0);
      expect(child.stderr).toContain('harness crashed on purpose');
      const { pids } = JSON.parse(child.stdout.split('\n').find((l) => l.startsWith('{'))!) as { pids: number[] };
      expect(pids).toHaveLength(2);
      await until(() => pids.every((p) => !isAlive(p)));
    })();

    const terminated = (async () => {
      const child = harness('hold');
      const pids = await firstJsonLine(child);
      child.kill('SIGTERM');
      expect((await child).signal).toBe('SIGTERM');
      await until(() => pids.every((p) => !isAlive(p)));
    })();

    const killed = (async () => {
      const child = harness('hold');
      const workDir = child.spawnargs.at(-2)!;
      const { pids, toxiproxyUrl } = await firstJson(child);
      child.kill('SIGKILL');
      await child;
      expect(pids.every(isAlive)).toBe(true); // orphaned: nothing runs in a SIGKILLed harness
      // The Toxiproxy child watches its parent and goes by itself.
      await until(async () => !(await answers(`${toxiproxyUrl}/version`)));
      const result = reapStaleProcesses(workDir);
      expect(result.reaped.map((r) => r.pid).sort()).toEqual([...pids].sort());
      expect(result.staleRuns).toHaveLength(1);
      await until(() => pids.every((p) => !isAlive(p)));
      expect(existsSync(join(workDir, PIDFILE_NAME))).toBe(false);
      expect(reapStaleProcesses(workDir).reaped).toEqual([]);
    })();

    await Promise.all([throwing, terminated, killed]);
  });

  // A terminal's Ctrl-C goes to the harness's whole process group. The harness owns the
  // shutdown: nodes (their own sessions) and the Toxiproxy child (ignores SIGINT) must still run
  // when its handler does, so it can heal the links and stop them in order; and a `once`
  // handler must keep the exit guard from killing them.
  it('a Ctrl-C to the harness\'s process group leaves the stopping to the harness', async () => {
    const workDir = spec().workDir;
    const child = execa(process.execPath, ['--import', 'tsx', CRASHING, workDir, 'graceful'], { reject: false, detached: true });
    const { pids, toxiproxyUrl } = await firstJson(child);
    process.kill(-child.pid!, 'SIGINT');
    const result = await child;
    expect(result.exitCode, result.stderr).toBe(0);
    const seen = JSON.parse(result.stdout.split('\n').filter((l) => l.startsWith('{')).at(-1)!) as { alive: string[]; toxiproxy: boolean };
    expect(seen).toEqual({ alive: ['n1', 'n2'], toxiproxy: true });
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await answers(`${toxiproxyUrl}/version`)).toBe(false);
    expect(existsSync(join(workDir, PIDFILE_NAME))).toBe(false);
  });
});

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

/** The pids line the crashing harness prints once its cluster is up. */
async function firstJsonLine(child: ReturnType<typeof execa>): Promise<number[]> {
  return (await firstJson(child)).pids;
}

/** The line the crashing harness prints once its cluster is up: its node pids and Toxiproxy. */
function firstJson(child: ReturnType<typeof execa>): Promise<{ pids: number[]; toxiproxyUrl: string }> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line !== undefined) resolve(JSON.parse(line) as { pids: number[]; toxiproxyUrl: string });
    });
    child.catch(reject);
    void child.then((r) => reject(new Error(`harness ended before printing pids: ${r.stderr}`)));
  });
}
