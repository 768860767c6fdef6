import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type Docker from 'dockerode';
import { ConfigError } from '../../../../common/src/errors.js';
import { REPO_ROOT } from '../../build/bundles.js';
import type { FaultProbe } from '../../network/link-prober.js';
import { createPartitioner } from '../../network/partitioner.js';
import { resolveSubject } from '../../subject/resolve.js';
import type { CommandLaunch } from '../../subject/types.js';
import type { RuntimeProcessEvent } from '../types.js';
import type { DockerCluster } from './cluster.js';
import { LABEL_RUN } from './labels.js';
import { DockerRuntime } from './runtime.js';
import { describeDocker, requireEngine, statuses, testSettings, waitForLeader } from '../../test-support/docker.js';

// A subject on Docker: the course's Python example (examples/subjects/course-node-py.json names
// its offline image, built on demand from this host's python3) in three containers, every link
// through the Toxiproxy container. One cluster, a few steps: CI time.
describeDocker('docker runtime: a subject that names an image (the course Python node)', () => {
  const runId = `test-subject-${process.pid}-${Date.now()}`;
  const workDir = mkdtempSync(join(tmpdir(), 'rc-docker-subject-'));
  const subject = resolveSubject(join(REPO_ROOT, 'examples/subjects/course-node-py.json'));
  const events: RuntimeProcessEvent[] = [];
  const progress: string[] = [];
  let docker: Docker;
  let cluster: DockerCluster;
  const urls = (): Record<string, string> => Object.fromEntries(cluster.nodes.map((n) => [n, cluster.statusUrl(n)]));

  beforeAll(async () => {
    docker = requireEngine();
    cluster = await new DockerRuntime({ onProgress: (l) => progress.push(l) }).start({
      runId,
      nodes: ['n1', 'n2', 'n3'],
      settings: testSettings(),
      workDir,
      subject,
      onProcessEvent: (e) => events.push(e),
    });
  }, 240_000);
  afterAll(async () => {
    await cluster?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('runs the image the subject names, configured by its environment with peers at the proxies', async () => {
    expect(cluster.image).toMatch(/^raft-chaos-course-py:[0-9a-f]{12}$/);
    expect(cluster.description).toContain('subject course-node-py');
    const containers = await docker.listContainers({ filters: { label: [`${LABEL_RUN}=${runId}`, 'raft-chaos.role=node'] } });
    expect(containers).toHaveLength(3);
    const info = await docker.getContainer(containers[0]!.Id).inspect();
    const env = Object.fromEntries(info.Config.Env.map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    const id = info.Config.Labels['raft-chaos.node']!;
    expect(env.NODE_ID).toBe(id);
    expect(env.PORT).toBe('7000');
    expect(env.DATA_DIR).toBe('/data');
    // host:port of the proxies in the Toxiproxy container, one per other node.
    expect(env.PEERS!.split(',')).toEqual([expect.stringMatching(new RegExp(`^${cluster.probeHost!.replace(/\./g, '\\.')}:\\d+$`)), expect.any(String)]);
    expect((info.Config as { StopSignal?: string }).StopSignal).toBe('SIGTERM');
    // The subject file's command (`python3 server.py`) runs in the image's /app.
    expect([info.Path, ...info.Args]).toEqual(['python3', 'server.py']);
    expect(events.filter((e) => e.action === 'start').map((e) => e.node).sort()).toEqual(['n1', 'n2', 'n3']);
  });

  it('isolating the leader is proven in force by probes; the others elect a new leader; healing restores one', async () => {
    const old = await waitForLeader(urls());
    const probes: FaultProbe[] = [];
    const partitioner = createPartitioner(cluster, { onProbe: (e) => probes.push(e) });
    const others = cluster.nodes.filter((n) => n !== old.leader);
    await partitioner.applyCuts(others.flatMap((o) => [[old.leader, o] as const, [o, old.leader] as const]));
    const next = await waitForLeader(Object.fromEntries(others.map((n) => [n, cluster.statusUrl(n)])), {
      accept: (l, t) => l !== old.leader && t > old.term,
    });
    await partitioner.settled();
    const cut = probes.flatMap((p) => p.probes);
    expect(cut.length).toBeGreaterThanOrEqual(4);
    expect(cut.filter((p) => p.expect !== 'blocked' || p.result === 'answered' || p.result === 'unprobed')).toEqual([]);
    await partitioner.healAll();
    expect(probes.at(-1)!.probes.filter((p) => p.result !== 'answered')).toEqual([]);
    await waitForLeader(urls(), { all: true, accept: (_, t) => t >= next.term });
  }, 60_000);

  it('kill -9 and start: one start event with the new pid, the term kept in the data volume', async () => {
    const { leader } = await waitForLeader(urls());
    const victim = cluster.nodes.find((n) => n !== leader)!;
    const before = (await statuses(urls()))[victim]!.term;
    const seen = events.length;
    await cluster.kill(victim);
    await cluster.start(victim);
    expect((await statuses(urls()))[victim]!.term).toBeGreaterThanOrEqual(before);
    await new Promise((r) => setTimeout(r, 500));
    expect(events.slice(seen).filter((e) => e.action === 'start')).toEqual([{ node: victim, action: 'start', pid: expect.any(Number) }]);
    expect(events.slice(seen)).toContainEqual(expect.objectContaining({ node: victim, action: 'exit', signal: 'SIGKILL' }));
  }, 60_000);

  it('a subject without an image is refused before anything starts; an image not on the engine is named', async () => {
    const noImage = resolveSubject('course', { nodeCommand: 'python3 server.py' });
    const spec = { nodes: ['n1', 'n2', 'n3'], settings: testSettings(), workDir };
    await expect(new DockerRuntime({ onProgress: () => {} }).start({ ...spec, runId: `${runId}-noimage`, subject: noImage })).rejects.toThrow(
      ConfigError,
    );
    const missing = { ...subject, launch: { ...(subject.launch as CommandLaunch), image: 'raft-chaos-test-missing:1' } };
    const start = new DockerRuntime({ onProgress: () => {} }).start({ ...spec, runId: `${runId}-missing`, subject: missing });
    await expect(start).rejects.toThrow(/the subject's image raft-chaos-test-missing:1 is not on this Docker engine \(the harness never pulls\)/);
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}-missing`] } })).toEqual([]);
    expect(await docker.listNetworks({ filters: { label: [`${LABEL_RUN}=${runId}-missing`] } })).toEqual([]);
  });

  it('close() saves every container log (the Python node’s own lines) and leaves nothing', async () => {
    await cluster.close();
    expect(await docker.listContainers({ all: true, filters: { label: [`${LABEL_RUN}=${runId}`] } })).toEqual([]);
    const log = join(workDir, 'logs', 'n1.log');
    expect(existsSync(log)).toBe(true);
    expect(readFileSync(log, 'utf8')).toMatch(/^--- raft-chaos: starting n1 /m);
  });
});
