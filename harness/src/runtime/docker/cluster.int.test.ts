import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { Toxiproxy } from 'toxiproxy-node-client';
import { createPartitioner } from '../../network/partitioner.js';
import type { FaultProbe } from '../../network/link-prober.js';
import type { RuntimeProcessEvent } from '../types.js';
import type { DockerCluster } from './cluster.js';
import { LABEL_RUN } from './labels.js';
import { DockerRuntime } from './runtime.js';
import { describeDocker, requireEngine, statuses, testSettings, waitForLeader } from '../../test-support/docker.js';

describeDocker('docker runtime: a 3-node cluster', () => {
  const runId = `test-cluster-${process.pid}-${Date.now()}`;
  const workDir = mkdtempSync(join(tmpdir(), 'rc-docker-cluster-'));
  let restarted: string | undefined;
  let docker: Docker;
  let cluster: DockerCluster;
  const events: RuntimeProcessEvent[] = [];
  const urls = (): Record<string, string> => Object.fromEntries(cluster.nodes.map((n) => [n, cluster.statusUrl(n)]));

  beforeAll(async () => {
    docker = requireEngine();
    cluster = await new DockerRuntime({ onProgress: () => {} }).start({
      runId,
      nodes: ['n1', 'n2', 'n3'],
      settings: testSettings(),
      workDir,
    });
    cluster.onProcessEvent((e) => events.push(e));
  });
  afterAll(async () => {
    await cluster?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('elects one leader; status ports and the Toxiproxy API are published on 127.0.0.1 only', async () => {
    const { leader, term } = await waitForLeader(urls());
    const view = await statuses(urls());
    expect(Object.values(view).filter((s) => s?.state === 'leader' && s.term === term).map((s) => s!.id)).toEqual([leader]);
    expect(cluster.runtime).toBe('docker');
    expect(cluster.description).toMatch(/Toxiproxy/);
    expect(cluster.toxiproxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    for (const n of cluster.nodes) expect(cluster.statusUrl(n)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const containers = await docker.listContainers({ filters: { label: [`${LABEL_RUN}=${runId}`] } });
    expect(containers).toHaveLength(4);
    for (const c of containers) {
      for (const p of c.Ports.filter((x) => x.PublicPort)) expect(p.IP).toBe('127.0.0.1');
    }
    expect(await new Toxiproxy(cluster.toxiproxyUrl).getAll()).toHaveProperty(cluster.proxyName('n1', 'n2'));
  });

  it('kill -9 then start keeps the node’s term (data volume survives)', async () => {
    const { leader } = await waitForLeader(urls());
    const victim = cluster.nodes.find((n) => n !== leader)!;
    restarted = victim;
    const before = (await statuses(urls()))[victim]!.term;
    const seen = events.length;
    await cluster.kill(victim);
    expect(cluster.isRunning(victim)).toBe(false);
    expect((await statuses(urls()))[victim]).toBeNull();
    await cluster.start(victim);
    expect(cluster.isRunning(victim)).toBe(true);
    // Reported by start() itself, with the new pid, before it returns.
    expect(events.slice(seen).filter((e) => e.action === 'start')).toEqual([{ node: victim, action: 'start', pid: expect.any(Number) }]);
    const res = await fetch(`${cluster.statusUrl(victim)}/events`);
    const start = ((await res.json()) as { events: Array<{ kind: string; stateTerm?: number }> }).events.find((e) => e.kind === 'start');
    expect(start?.stateTerm).toBeGreaterThanOrEqual(before);
    await waitForLeader(urls(), { accept: () => true });
    await expect.poll(() => events.map((e) => `${e.node}:${e.action}:${e.signal ?? ''}`)).toEqual(
      expect.arrayContaining([`${victim}:exit:SIGKILL`, `${victim}:start:`]),
    );
    // One start per restart: the engine's own start event is not reported again.
    await new Promise((r) => setTimeout(r, 500));
    expect(events.slice(seen).filter((e) => e.action === 'start')).toHaveLength(1);
  });

  it('pause and unpause: the others elect a new leader, the old one rejoins as follower', async () => {
    const old = await waitForLeader(urls());
    await cluster.pause(old.leader);
    expect(cluster.isRunning(old.leader)).toBe(true); // paused counts as running
    const next = await waitForLeader(urls(), { accept: (l, t) => l !== old.leader && t > old.term });
    await cluster.resume(old.leader);
    await expect
      .poll(async () => (await statuses(urls()))[old.leader], { timeout: 10_000, interval: 100 })
      .toMatchObject({ state: 'follower' });
    expect((await statuses(urls()))[old.leader]!.term).toBeGreaterThanOrEqual(next.term);
  });

  it('cutting the leader’s links in the Toxiproxy container isolates it; healing restores one leader', async () => {
    const old = await waitForLeader(urls());
    const probes: FaultProbe[] = [];
    const partitioner = createPartitioner(cluster, { onProbe: (e) => probes.push(e) });
    const others = cluster.nodes.filter((n) => n !== old.leader);
    const cuts = others.flatMap((o) => [[old.leader, o] as const, [o, old.leader] as const]);
    await partitioner.applyCuts(cuts);
    expect((await new Toxiproxy(cluster.toxiproxyUrl).get(cluster.proxyName(old.leader, others[0]!))).enabled).toBe(false);
    const next = await waitForLeader(
      Object.fromEntries(others.map((n) => [n, cluster.statusUrl(n)])),
      { accept: (l, t) => l !== old.leader && t > old.term },
    );
    // CheckQuorum: the isolated leader steps down on its own.
    await expect
      .poll(async () => (await statuses(urls()))[old.leader]?.state, { timeout: 10_000, interval: 100 })
      .not.toBe('leader');
    // Proven in force: the harness reached the proxies at the Toxiproxy container's IP.
    await partitioner.settled();
    expect(cluster.probeHost).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    const cutProbes = probes.flatMap((p) => p.probes);
    expect(cutProbes.length).toBeGreaterThanOrEqual(4);
    for (const p of cutProbes) expect({ from: p.from, to: p.to, expect: p.expect, result: p.result }).toMatchObject({ expect: 'blocked', result: expect.not.stringMatching(/^(answered|unprobed)$/) });
    await partitioner.healAll();
    const healProbes = probes.slice(-1)[0]!.probes;
    expect(healProbes.every((p) => p.expect === 'open' && p.result === 'answered'), JSON.stringify(healProbes)).toBe(true);
    const healed = await waitForLeader(urls(), { accept: (_, t) => t >= next.term });
    await expect
      .poll(async () => Object.values(await statuses(urls())).filter((s) => s?.leader === healed.leader).length, {
        timeout: 10_000,
        interval: 100,
      })
      .toBe(3);
  });

  it('close() removes every container, network and volume of the run, is idempotent, and keeps the logs', async () => {
    await cluster.close();
    await cluster.close();
    const filters = { label: [`${LABEL_RUN}=${runId}`] };
    expect(await docker.listContainers({ all: true, filters })).toEqual([]);
    expect(await docker.listNetworks({ filters })).toEqual([]);
    expect((await docker.listVolumes({ filters })).Volumes ?? []).toEqual([]);
    expect(await cluster.logs('n1')).toMatch(/listening on 0\.0\.0\.0:7000/);
  });

  it('close() saved each container’s whole log to <workDir>/logs/<node>.log, every life of a restarted node', () => {
    const logs = join(workDir, 'logs');
    for (const n of cluster.nodes) {
      const text = readFileSync(join(logs, `${n}.log`), 'utf8');
      const lives = n === restarted ? 2 : 1;
      expect(text.match(new RegExp(`^--- raft-chaos: starting ${n} \\(container \\S+-${n}\\) at \\S+ ---$`, 'gm')), text).toHaveLength(lives);
      expect(text.match(new RegExp(`node ${n} listening on 0\\.0\\.0\\.0:7000`, 'g')), text).toHaveLength(lives);
    }
    expect(readFileSync(join(logs, 'toxiproxy.log'), 'utf8')).toMatch(/^--- raft-chaos: starting toxiproxy \(container \S+-toxiproxy\) at /);
  });
});


describeDocker('docker runtime: a setup that fails', () => {
  it('still saves the logs of what started, then removes the run', async () => {
    const docker = requireEngine();
    const runId = `test-failed-setup-${process.pid}-${Date.now()}`;
    const workDir = mkdtempSync(join(tmpdir(), 'rc-docker-failed-'));
    try {
      // Every node refuses this log level and exits at once: the readiness wait fails.
      const start = new DockerRuntime({ onProgress: () => {}, readyTimeoutMs: 10_000 }).start({
        runId,
        nodes: ['n1', 'n2'],
        settings: testSettings({ logLevel: 'loud' }),
        workDir,
      });
      await expect(start).rejects.toThrow(/exited with code/);
      for (const n of ['n1', 'n2']) {
        const text = readFileSync(join(workDir, 'logs', `${n}.log`), 'utf8');
        expect(text).toMatch(new RegExp(`^--- raft-chaos: starting ${n} `));
        expect(text).toMatch(/"loud" is not one of/);
      }
      expect(readFileSync(join(workDir, 'logs', 'toxiproxy.log'), 'utf8')).toMatch(/^--- raft-chaos: starting toxiproxy /);
      expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).toEqual([]);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
