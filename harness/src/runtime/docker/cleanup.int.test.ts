import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { EnvironmentError, RaftChaosError } from '../../../../common/src/errors.js';
import { cleanupStale, removeRunResources } from './cleanup.js';
import { ensureNodeImage } from './image.js';
import { LABEL_RUN, runLabels } from './labels.js';
import { DockerRuntime } from './runtime.js';
import { describeDocker, requireEngine, testSettings } from '../../test-support/docker.js';

const tag = `${process.pid}-${Date.now()}`;

describeDocker('docker cleanup by label', () => {
  let docker: Docker;
  let image: string;
  const extraContainers: Docker.Container[] = [];

  beforeAll(async () => {
    docker = requireEngine();
    image = (await ensureNodeImage(docker, { onProgress: () => {} })).tag;
  });
  afterAll(async () => {
    for (const c of extraContainers) await c.remove({ force: true }).catch(() => {});
    for (const r of ['dead', 'alive', 'old', 'sigint', 'sigkill', 'exit', 'clash']) {
      await removeRunResources(docker, `test-${r}-${tag}`).catch(() => {});
    }
  });

  /** A network, a volume and a created (not started) container labelled as run `runId`'s. */
  async function fakeRun(runId: string, labels: { pid: number; createdMs: number }): Promise<void> {
    const l = runLabels({ runId, host: (await import('node:os')).hostname(), ...labels });
    await docker.createNetwork({ Name: `raft-chaos-${runId}`, Labels: l });
    await docker.createVolume({ Name: `raft-chaos-${runId}-v`, Labels: l });
    await docker.createContainer({ name: `raft-chaos-${runId}-c`, Image: image, Labels: l, HostConfig: { NetworkMode: `raft-chaos-${runId}` } });
  }

  async function countOf(runId: string): Promise<number> {
    const filters = { label: [`${LABEL_RUN}=${runId}`] };
    const [c, n, v] = await Promise.all([
      docker.listContainers({ all: true, filters }),
      docker.listNetworks({ filters }),
      docker.listVolumes({ filters }),
    ]);
    return c.length + n.length + (v.Volumes ?? []).length;
  }

  it('cleanupStale removes runs whose harness pid is dead or that are too old, and nothing else', async () => {
    const deadPid = spawnSync('true').pid!;
    await fakeRun(`test-dead-${tag}`, { pid: deadPid, createdMs: Date.now() });
    await fakeRun(`test-alive-${tag}`, { pid: process.pid, createdMs: Date.now() });
    await fakeRun(`test-old-${tag}`, { pid: process.pid, createdMs: Date.now() - 48 * 3600_000 });
    const unlabelled = await docker.createContainer({ name: `raft-chaos-test-unlabelled-${tag}`, Image: image });
    extraContainers.push(unlabelled);

    const report = await cleanupStale(docker);
    expect(report.runs).toEqual(expect.arrayContaining([`test-dead-${tag}`, `test-old-${tag}`]));
    expect(report.runs).not.toContain(`test-alive-${tag}`);
    expect(await countOf(`test-dead-${tag}`)).toBe(0);
    expect(await countOf(`test-old-${tag}`)).toBe(0);
    expect(await countOf(`test-alive-${tag}`)).toBe(3);
    expect((await unlabelled.inspect()).Id).toBe(unlabelled.id); // a container without the label survives

    await removeRunResources(docker, `test-alive-${tag}`);
    expect(await countOf(`test-alive-${tag}`)).toBe(0);
    expect((await unlabelled.inspect()).Id).toBe(unlabelled.id);
  });

  it('Ctrl-C (SIGINT) of a harness removes its run; after SIGKILL the next cleanupStale does', async () => {
    const fixture = fileURLToPath(new URL('./fixtures/hold-cluster.ts', import.meta.url));
    const hold = async (runId: string, workDir?: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, runId, ...(workDir ? [workDir] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      await expect.poll(() => out, { timeout: 60_000, interval: 100 }).toMatch(/READY|Error/);
      expect(out).toContain(`READY ${runId}`);
      return { child, exited };
    };
    const runDir = mkdtempSync(join(tmpdir(), 'rc-stale-run-'));
    const [a, b] = await Promise.all([hold(`test-sigint-${tag}`), hold(`test-sigkill-${tag}`, join(runDir, 'nodes'))]);
    expect(await countOf(`test-sigint-${tag}`)).toBe(4); // network, volume, node, toxiproxy
    a.child.kill('SIGINT');
    b.child.kill('SIGKILL');
    await Promise.all([a.exited, b.exited]);
    expect(await countOf(`test-sigint-${tag}`)).toBe(0);
    expect(await countOf(`test-sigkill-${tag}`)).toBe(4);
    const report = await cleanupStale(docker);
    expect(await countOf(`test-sigkill-${tag}`)).toBe(0);
    // The killed run's container logs were saved into its own directory before removal.
    const logs = join(runDir, 'nodes', 'logs');
    expect(report.savedLogs).toContainEqual({ run: `test-sigkill-${tag}`, dir: logs });
    expect(readFileSync(join(logs, 'n1.log'), 'utf8')).toMatch(/^--- raft-chaos: starting n1 \(container \S+\) at \S+ ---$/m);
    expect(readFileSync(join(logs, 'toxiproxy.log'), 'utf8')).toMatch(/^--- raft-chaos: starting toxiproxy /);
    rmSync(runDir, { recursive: true, force: true });
  });

  it('a node that exits at start fails the start with its last log lines, and leaves nothing', async () => {
    const runId = `test-exit-${tag}`;
    const start = new DockerRuntime({ onProgress: () => {}, image }).start({
      runId,
      nodes: ['n1', 'n2', 'n3'],
      settings: testSettings({ bugs: ['no-such-bug'] }),
      workDir: '/tmp',
    });
    await expect(start).rejects.toThrow(RaftChaosError);
    await expect(start).rejects.toThrow(/node n\d \(container .*\) exited with code \d+ while starting\. Its last log lines:\n  \| .*no-such-bug/);
    expect(await countOf(runId)).toBe(0);
  });

  it('a taken host port is a clear port-clash error, and leaves nothing', async () => {
    const runId = `test-clash-${tag}`;
    const server: Server = createServer();
    await new Promise<void>((r) => server.listen({ host: '127.0.0.1', port: 0 }, r));
    const port = (server.address() as { port: number }).port;
    try {
      const start = new DockerRuntime({ onProgress: () => {}, image, hostPortBase: port }).start({
        runId,
        nodes: ['n1'],
        settings: testSettings(),
        workDir: '/tmp',
      });
      await expect(start).rejects.toThrow(EnvironmentError);
      await expect(start).rejects.toThrow(new RegExp(`port clash: cannot publish node n1 .* on 127\\.0\\.0\\.1:${port}`));
    } finally {
      server.close();
    }
    expect(await countOf(runId)).toBe(0);
  });
});
