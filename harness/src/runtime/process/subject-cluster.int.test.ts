import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TINY_COURSE_NODE } from '../../subject/fixtures/tiny-course-node.js';
import { fetchStatus } from '../../subject/probe.js';
import { resolveSubject } from '../../subject/resolve.js';
import type { Subject } from '../../subject/types.js';
import { nodeSettings } from '../node-settings.js';
import type { RuntimeProcessEvent } from '../types.js';
import { ProcessCluster } from './process-cluster.js';

/**
 * The process testbed with a command subject: a tiny course node (not in the repository) in
 * every slot, its peers the per-link proxies; kill, stop, pause and restart act on it; a node
 * that never becomes ready fails the setup naming the node and URL, leaving nothing running.
 */
const home = mkdtempSync(join(tmpdir(), 'rc-subject-cluster-'));
writeFileSync(join(home, 'node.py'), TINY_COURSE_NODE);
afterAll(() => rmSync(home, { recursive: true, force: true }));

const course = (): Subject => resolveSubject('course', { nodeCommand: 'python3 node.py', cwd: home });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function leaderOf(cluster: ProcessCluster, subject: Subject, among: readonly string[], ms = 10_000): Promise<string> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const seen = await Promise.all(among.map((n) => fetchStatus(subject.status, cluster.statusUrl(n), 500)));
    const leaders = seen.flatMap((r, i) => (r.ok && r.status.state === 'leader' ? [among[i]!] : []));
    if (leaders.length === 1) return leaders[0]!;
    await sleep(50);
  }
  throw new Error('no single leader');
}

describe('the process testbed starts a command subject', () => {
  it('elects through the proxies; kill, restart, pause, resume and stop work on its processes', async () => {
    const subject = course();
    const events: RuntimeProcessEvent[] = [];
    const cluster = await ProcessCluster.start({
      runId: `subject-${process.pid}`, nodes: ['n1', 'n2', 'n3'], workDir: join(home, 'w1'), settings: nodeSettings({ seed: 1 }),
      subject, onProcessEvent: (e) => events.push(e),
    });
    try {
      expect(cluster.description).toContain('subject course: python3 node.py');
      const first = await leaderOf(cluster, subject, cluster.nodes);
      const pid = cluster.pid(first)!;
      await cluster.kill(first);
      expect(cluster.isRunning(first)).toBe(false);
      const others = cluster.nodes.filter((n) => n !== first);
      const second = await leaderOf(cluster, subject, others);
      await cluster.start(first);
      expect(cluster.pid(first)).not.toBe(pid);
      expect((await fetchStatus(subject.status, cluster.statusUrl(first))).ok).toBe(true);
      await cluster.pause(second);
      expect(await leaderOf(cluster, subject, cluster.nodes.filter((n) => n !== second))).not.toBe(second);
      await cluster.resume(second);
      await cluster.stop(second);
      expect(cluster.isRunning(second)).toBe(false);
      expect(events.filter((e) => e.action === 'exit' && e.signal === 'SIGTERM').map((e) => e.node)).toContain(second);
    } finally {
      await cluster.close();
    }
    expect(cluster.nodes.every((n) => !cluster.isRunning(n))).toBe(true);
  });

  it('a node that never becomes ready: setup fails naming the node and the URL, nothing left running', async () => {
    // A plain file server on the node's port: it listens, but /status is 404 there.
    const files = resolveSubject('course', { nodeCommand: 'python3 -m http.server {port} --bind 127.0.0.1 --directory {dataDir}', cwd: home });
    const subject: Subject = { ...files, ready: { path: '/status', timeoutMs: 1500 } };
    const started = ProcessCluster.start({ runId: `subject-nr-${process.pid}`, nodes: ['n1', 'n2', 'n3'], workDir: join(home, 'w2'), settings: nodeSettings({ seed: 1 }), subject });
    await expect(started).rejects.toThrow(/node n\d \(pid \d+, 127\.0\.0\.1:\d+\) was not ready within 1500 ms: http:\/\/127\.0\.0\.1:\d+\/status not ready: answered 404/);
  });
});
