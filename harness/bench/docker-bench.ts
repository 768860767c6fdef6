// Startup benchmark, processes vs Docker: time from `runtime.start` to a settled leader for a
// 5-node cluster, side by side in one run. Registered in main.ts by the harness owner.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireDocker } from '../src/runtime/docker/engine.js';
import { nodeSettings } from '../src/runtime/node-settings.js';
import { ensureNodeImage } from '../src/runtime/docker/image.js';
import { DockerRuntime } from '../src/runtime/docker/runtime.js';
import { waitForLeader } from '../src/runtime/docker/status-probe.js';
import { ensureNodeBundle } from '../src/build/bundles.js';
import { ProcessRuntime } from '../src/runtime/process/process-runtime.js';
import type { Cluster, NodeSettings, Runtime } from '../src/runtime/types.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const SETTINGS: NodeSettings = nodeSettings({ logLevel: 'info' });

interface Sample {
  /** `runtime.start` resolved: every node answers `/status`. */
  upMs: number;
  /** A leader followed by a majority in its term (the harness's "settled"). */
  leaderMs: number;
  /** Every node follows that leader. */
  allMs: number;
  closeMs: number;
}

/**
 * For a 5-node cluster with 150–300 ms timeouts, on processes and on Docker in alternating
 * rounds (`DOCKER_BENCH_ROUNDS`, default 5): time until the cluster is up, until a settled
 * leader, until all five follow it, and to close. Image and bundle are built before timing
 * (their time is printed separately). Prints min / median / max per runtime and the
 * Docker-to-process ratio of the median time to a settled leader (goal: at most 2x).
 * Throws when no Docker engine answers.
 */
export async function benchStartup(): Promise<void> {
  const rounds = Number(process.env.DOCKER_BENCH_ROUNDS ?? 5);
  const { docker, version } = await requireDocker();
  let t = performance.now();
  await ensureNodeBundle();
  const image = await ensureNodeImage(docker, { onProgress: () => {} });
  console.log(
    `warm-up: node bundle + image ${image.tag} (${image.method}, ${image.built ? 'built' : 'reused'}) in ${ms(performance.now() - t)}; ` +
      `Docker engine ${version}`,
  );
  const runtimes: Array<[string, Runtime]> = [
    ['process', new ProcessRuntime({ onWarning: () => {} })],
    ['docker', new DockerRuntime({ onProgress: () => {} })],
  ];
  const samples: Record<string, Sample[]> = { process: [], docker: [] };
  for (let round = 1; round <= rounds; round++) {
    for (const [name, runtime] of round % 2 ? runtimes : [...runtimes].reverse()) {
      const workDir = mkdtempSync(join(tmpdir(), `rc-bench-${name}-`));
      t = performance.now();
      let cluster: Cluster | undefined;
      try {
        cluster = await runtime.start({ runId: `bench-${name}-${process.pid}-${round}`, nodes: NODES, settings: SETTINGS, workDir });
        const upMs = performance.now() - t;
        const urls = Object.fromEntries(NODES.map((n) => [n, cluster!.statusUrl(n)]));
        const { leader } = await waitForLeader(urls, { timeoutMs: 30_000 });
        const leaderMs = performance.now() - t;
        await waitForLeader(urls, { timeoutMs: 30_000, accept: (l) => l === leader, all: true });
        const allMs = performance.now() - t;
        const c0 = performance.now();
        await cluster.close();
        samples[name]!.push({ upMs, leaderMs, allMs, closeMs: performance.now() - c0 });
        console.log(`  round ${round} ${name.padEnd(7)} up ${ms(upMs)}  leader ${ms(leaderMs)}  all follow ${ms(allMs)}`);
      } finally {
        await cluster?.close();
        rmSync(workDir, { recursive: true, force: true });
      }
    }
  }
  console.log(`\n5 nodes, 150-300 ms, ${rounds} rounds each   min / median / max`);
  for (const key of ['upMs', 'leaderMs', 'allMs', 'closeMs'] as const) {
    const label = { upMs: 'cluster up', leaderMs: 'settled leader', allMs: 'all follow', closeMs: 'close' }[key];
    const cells = ['process', 'docker'].map((n) => stats(samples[n]!.map((s) => s[key])));
    console.log(`  ${label.padEnd(15)} process ${cells[0]}   docker ${cells[1]}`);
  }
  const ratio = median(samples.docker!.map((s) => s.leaderMs)) / median(samples.process!.map((s) => s.leaderMs));
  console.log(`  docker / process, median time to a settled leader: ${ratio.toFixed(2)}x (goal <= 2x: ${ratio <= 2 ? 'met' : 'NOT met'})`);
  await benchScenarioWallTime();
}

/** The whole wall time of `partition-leader` (start to report) on processes and on Docker, side by side. */
export async function benchScenarioWallTime(): Promise<void> {
  const { runScenario } = await import('../src/runner/run-scenario.js');
  const { findScenario } = await import('../src/scenario/load.js');
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'rc-bench-wall-'));
  const wall: Record<string, number> = {};
  try {
    for (const runtime of ['process', 'docker']) {
      const t0 = performance.now();
      const r = await runScenario(findScenario('partition-leader')!, { runtime, seed: 1, reportDir: dir });
      wall[runtime] = performance.now() - t0;
      console.log(`  partition-leader on ${runtime.padEnd(7)} ${ms(wall[runtime]!)} wall, verdict ${r.verdict}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`  docker / process, partition-leader wall time: ${(wall.docker! / wall.process!).toFixed(2)}x`);
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

function stats(xs: number[]): string {
  return `${ms(Math.min(...xs))} / ${ms(median(xs))} / ${ms(Math.max(...xs))}`;
}

function ms(x: number): string {
  return `${Math.round(x)} ms`.padStart(8);
}
