import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Toxiproxy } from 'toxiproxy-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeEventEntry } from '../../history/types.js';
import type { PollerEntry } from '../../poller/poller.js';
import { createPoller, type Poller } from '../../poller/poller.js';
import { createPartitioner, type Partitioner } from '../../network/partitioner.js';
import type { RuntimeProcessEvent } from '../types.js';
import { PIDFILE_NAME } from './pidfile.js';
import type { ProcessCluster } from './process-cluster.js';
import { createProcessRuntime } from './process-runtime.js';

/**
 * Three real nodes on local processes, every link through the embedded Toxiproxy, watched by the
 * poller. One cluster for the whole file; each test leaves it with one settled leader. Waits are
 * conditions with generous deadlines (a loaded 2-core machine), never sleeps.
 */
const NODES = ['n1', 'n2', 'n3'];
const ELECT_MS = 8_000;

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('process runtime: a 3-node cluster through Toxiproxy', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'raft-chaos-proc-'));
  const entries: PollerEntry[] = [];
  const processEvents: RuntimeProcessEvent[] = [];
  const pidsSeen = new Set<number>();
  let cluster: ProcessCluster;
  let poller: Poller;
  let partitioner: Partitioner;

  /** Every node answers, in one term, following one leader that says it leads. */
  async function waitAllAgree(timeoutMs = ELECT_MS): Promise<{ node: string; term: number }> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const polls = NODES.map((n) => poller.leaderView.lastPoll(n));
      const first = polls[0];
      if (
        first?.outcome === 'ok' && typeof first.leader === 'string' &&
        polls.every((p) => p?.outcome === 'ok' && p.term === first.term && p.leader === first.leader) &&
        polls.find((p) => p?.node === first.leader)?.state === 'leader'
      ) {
        return { node: first.leader, term: first.term! };
      }
      if (Date.now() > deadline) throw new Error(`nodes did not agree on a leader: ${poller.leaderView.describe()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  beforeAll(async () => {
    cluster = await createProcessRuntime({ readyTimeoutMs: 20_000 }).start({
      runId: `it${process.pid}`,
      nodes: NODES,
      workDir,
      settings: {
        electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, rpcTimeout: 75,
        preVote: true, checkQuorum: true, bugs: [], logLevel: 'info', seed: 7,
      },
    });
    cluster.onProcessEvent((e) => {
      processEvents.push(e);
      if (e.pid !== undefined) pidsSeen.add(e.pid);
    });
    for (const n of NODES) pidsSeen.add(cluster.pid(n)!);
    poller = createPoller(cluster, { record: (e) => entries.push(e) });
    partitioner = createPartitioner(cluster);
    poller.start();
  });

  afterAll(async () => {
    await poller?.stop();
    await cluster?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  it('elects one leader, with every peer reached through its own proxy', async () => {
    expect(cluster.runtime).toBe('process');
    expect(cluster.description).toMatch(/3 local processes on 127\.0\.0\.1.*embedded Toxiproxy/);
    const proxies = await new Toxiproxy(cluster.toxiproxyUrl).getAll();
    expect(Object.keys(proxies).sort()).toEqual(
      NODES.flatMap((f) => NODES.filter((t) => t !== f).map((t) => cluster.proxyName(f, t))).sort(),
    );
    const leader = await poller.leaderView.waitForSettledLeader(ELECT_MS);
    expect(NODES).toContain(leader.node);
    // n1 dials n2 at proxy n1→n2, which forwards to n2's own port.
    const p12 = proxies[cluster.proxyName('n1', 'n2')]!;
    expect(p12.upstream).toBe(new URL(cluster.statusUrl('n2')).host);
    expect(await cluster.logs('n1')).toContain(`"port":${Number(p12.listen.split(':')[1])}`);
  });

  it('kill -9 of the leader gives a new leader; the node restarts on its port with its term', async () => {
    const old = await waitAllAgree();
    const url = cluster.statusUrl(old.node);
    await poller.flushEvents([old.node]);
    await cluster.kill(old.node);
    expect(cluster.isRunning(old.node)).toBe(false);
    expect(processEvents).toContainEqual(expect.objectContaining({ node: old.node, action: 'exit', signal: 'SIGKILL' }));
    const next = await poller.leaderView.waitForSettledLeader(ELECT_MS, { exclude: old.node, afterTerm: old.term });
    expect(next.node).not.toBe(old.node);

    await cluster.start(old.node);
    pidsSeen.add(cluster.pid(old.node)!);
    expect(cluster.statusUrl(old.node)).toBe(url);
    await waitAllAgree();
    await poller.flushEvents([old.node]); // the new boot's `start` event may not be fetched yet
    const starts = entries.filter(
      (e): e is NodeEventEntry => e.type === 'node-event' && e.node === old.node && e.kind === 'start',
    );
    expect(starts.length).toBeGreaterThanOrEqual(2);
    expect(starts.at(-1)!['stateTerm']).toBeGreaterThanOrEqual(old.term); // same data directory
  });

  it('cutting every link of the leader elects another; healing restores one leader', async () => {
    const old = await waitAllAgree();
    const others = NODES.filter((n) => n !== old.node);
    const cuts = others.flatMap((o) => [[old.node, o], [o, old.node]] as Array<[string, string]>);
    await partitioner.applyCuts(cuts);
    const next = await poller.leaderView.waitForSettledLeader(ELECT_MS, { exclude: old.node, afterTerm: old.term });
    expect(others).toContain(next.node);
    await partitioner.healCuts(cuts);
    const healed = await waitAllAgree();
    expect(healed.term).toBeGreaterThanOrEqual(next.term);
  });

  it('pause stops the leader (a new one is elected), resume brings it back', async () => {
    const old = await waitAllAgree();
    await cluster.pause(old.node);
    expect(cluster.isRunning(old.node)).toBe(true);
    const next = await poller.leaderView.waitForSettledLeader(ELECT_MS, { exclude: old.node, afterTerm: old.term });
    // A paused node's polls time out (after the poll deadline, 200 ms by default).
    const deadline = Date.now() + 3000;
    while (poller.leaderView.lastPoll(old.node)?.outcome !== 'timeout' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(poller.leaderView.lastPoll(old.node)?.outcome).toBe('timeout');
    await cluster.resume(old.node);
    const after = await waitAllAgree();
    expect(after.term).toBeGreaterThanOrEqual(next.term);
  });

  it('close() leaves no process, no proxy port and no pidfile, and can be called again', async () => {
    const proxies = await new Toxiproxy(cluster.toxiproxyUrl).getAll();
    const ports = Object.values(proxies).map((p) => Number(p.listen.split(':')[1]));
    ports.push(Number(new URL(cluster.toxiproxyUrl).port));
    await poller.stop();
    expect(poller.stats().pollsPerNodePerSecond).toBeGreaterThan(5);
    await cluster.close();
    await cluster.close();
    expect(pidsSeen.size).toBeGreaterThanOrEqual(4);
    for (const pid of pidsSeen) expect(pidAlive(pid), `pid ${pid}`).toBe(false);
    for (const port of ports) expect(await isListening(port), `port ${port}`).toBe(false);
    expect(existsSync(join(workDir, PIDFILE_NAME))).toBe(false);
    await expect(cluster.kill('n1')).rejects.toThrow(/closed/);
  });
});
