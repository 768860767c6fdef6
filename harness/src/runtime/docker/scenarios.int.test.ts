import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarios } from '../../../../scenarios/index.js';
import type { RunResult } from '../../runner/run-scenario.js';
import { runScenario } from '../../runner/run-scenario.js';
import { findScenario, unsupportedOn } from '../../scenario/load.js';
import type { Scenario, Step } from '../../scenario/types.js';
import { validateScenario } from '../../scenario/validate.js';
import { LABEL_RUN } from './labels.js';
import { describeDocker, requireEngine } from '../../test-support/docker.js';

const reportDir = mkdtempSync(join(tmpdir(), 'rc-docker-scenarios-'));
afterAll(() => rmSync(reportDir, { recursive: true, force: true }));

/** Containers, networks and volumes of one run still in the engine. */
async function leftovers(runId: string): Promise<number> {
  const docker = requireEngine();
  const filters = { label: [`${LABEL_RUN}=${runId}`] };
  const [c, n, v] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listVolumes({ filters }),
  ]);
  return c.length + n.length + (v.Volumes?.length ?? 0);
}

/**
 * The run's `nodes/logs/` holds each node's container log (one header per life, as many as the
 * runtime saw the node start) and the Toxiproxy container's, as the process runtime's layout.
 */
function expectNodeLogs(r: RunResult): void {
  const logs = join(r.dir, 'nodes', 'logs');
  const nodes = [...new Set(r.history.flatMap((e) => (e.type === 'process' ? [e.node] : [])))];
  expect(readdirSync(logs).sort()).toEqual([...nodes.map((n) => `${n}.log`), 'toxiproxy.log'].sort());
  for (const n of nodes) {
    const text = readFileSync(join(logs, `${n}.log`), 'utf8');
    // One start entry per life, the runtime's, with its pid (a heal does not note another).
    const starts = r.history.filter((e) => e.type === 'process' && e.node === n && e.action === 'start').length;
    expect(r.history.filter((e) => e.type === 'process' && e.node === n && e.action === 'start' && e.pid === undefined)).toEqual([]);
    expect(text.match(new RegExp(`^--- raft-chaos: starting ${n} \\(container \\S+\\) at \\S+ ---$`, 'gm')), `${n}.log:\n${text}`).toHaveLength(starts);
  }
  expect(readFileSync(join(logs, 'toxiproxy.log'), 'utf8')).toMatch(/^--- raft-chaos: starting toxiproxy /);
}

/**
 * What every CI run on Docker must show: every check valid, the faults started as planned (none
 * skipped for want of a leader), faults probed in force (at least the final heal), each node's
 * log saved, and nothing of the run left in the engine.
 */
async function expectValidAndClean(r: RunResult, started: readonly string[]): Promise<void> {
  const failed = r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name}: ${c.verdict}: ${c.message}`);
  expect(failed, `replay: ${r.summary.replay}`).toEqual([]);
  expect(r.summary.runtime).toBe('docker');
  expect(r.history.flatMap((e) => (e.type === 'fault-start' ? [e.kind] : []))).toEqual(started);
  expect(r.history.filter((e) => e.type === 'fault-probe').length).toBeGreaterThan(0);
  expectNodeLogs(r);
  expect(await leftovers(r.runId)).toBe(0);
}

/** Starts partition-leader on Docker in a harness of its own, kills it with SIGKILL once its faults begin; its run id. */
async function killHarnessMidRun(): Promise<string> {
  const main = join(import.meta.dirname, '../../cli/scenario-main.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'partition-leader', '--runtime', 'docker', '--report-dir', reportDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const runId = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d;
      const id = /run\s+(\S+): partition-leader/.exec(out)?.[1];
      if (id && out.includes('phase  faults')) {
        child.kill('SIGKILL');
        resolve(id);
      }
    });
    child.on('close', () => reject(new Error(`the harness ended before its faults began:\n${out}`)));
  });
  await new Promise((r) => child.on('close', r));
  return runId;
}

/** The fault kinds a list of steps starts, repeats included. */
function kindsOf(steps: readonly Step[]): string[] {
  return steps.flatMap((s) => ('fault' in s ? [s.fault.kind] : 'repeat' in s ? kindsOf(s.steps) : []));
}

/**
 * Every fault kind the named scenarios use but `rolling-restart`, once each, in one cluster:
 * the Toxiproxy container's toxics (partition, one-way, latency, reset, timeout: a black hole) and the engine's node
 * control (pause, kill of the leader, kill of every node and restart from its volume). One
 * start and one recovery instead of eight; every named scenario on Docker runs in the nightly.
 */
const everyKind: Scenario = {
  name: 'docker-every-kind',
  description: 'Each fault kind the named scenarios use, but rolling-restart, once in one Docker cluster.',
  nodes: 3,
  steps: [
    { wait: 1000 },
    { fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 2000 },
    { wait: 1000 },
    { fault: { kind: 'one-way', target: 'leader', blocks: 'inbound' }, holdMs: 2000 },
    { wait: 1000 },
    { fault: { kind: 'latency', links: 'all', latencyMs: 20, jitterMs: 5 }, holdMs: 1000 },
    { fault: { kind: 'reset', links: { around: 'leader' } }, holdMs: 2000 },
    { wait: 1000 },
    { fault: { kind: 'timeout', links: { from: 'leader', to: 'all' } }, holdMs: 1500 },
    { wait: 1000 },
    { fault: { kind: 'pause', target: 'leader' }, holdMs: 2000 },
    { wait: 1000 },
    { fault: { kind: 'kill', target: 'leader' }, holdMs: 1000 },
    { wait: 1000 },
    { fault: { kind: 'kill', target: 'all' }, holdMs: 500 },
    { wait: 1500 },
  ],
};

/** The CI runs on Docker: the composite above, and the one named scenario of the kind it leaves out. */
const ciRuns: readonly Scenario[] = [everyKind, findScenario('rolling-restart')!];

// What is Docker's own is proven on every commit: containers started, paused, killed, restarted
// from their volumes and stopped gracefully, links cut through a Toxiproxy container, each
// node's log saved, nothing of a run left afterwards, a killed harness's leftovers reaped by the
// next run (the composite, so no run of its own).
// Every named scenario on Docker runs in the nightly (`npm run nightly -- --runtime docker`,
// .github/workflows/nightly.yml); every named scenario runs on processes in
// runner/scenarios.int.test.ts.
describeDocker('every fault kind on Docker', () => {
  beforeAll(() => {
    requireEngine();
  });

  it('covers every fault kind of the named scenarios that Docker supports (all but staggered start)', () => {
    const onDocker = scenarios.filter((s) => unsupportedOn(s, 'docker') === null);
    expect(scenarios.filter((s) => !onDocker.includes(s)).map((s) => s.name)).toEqual(['staggered-start']);
    const named = new Set(onDocker.flatMap((s) => kindsOf(s.steps)));
    const ci = new Set(ciRuns.flatMap((s) => kindsOf(s.steps)));
    expect([...named].filter((k) => !ci.has(k)), 'a named scenario uses a kind no CI run on Docker starts').toEqual([]);
    expect(validateScenario(everyKind)).toEqual(everyKind);
  });

  it('docker-every-kind is valid, leaves nothing behind, and reaps what a harness killed with SIGKILL mid-run left', async () => {
    const killed = await killHarnessMidRun();
    expect(await leftovers(killed)).toBeGreaterThan(0);
    const r = await runScenario(everyKind, { runtime: 'docker', seed: 1, reportDir, writeReport: false });
    await expectValidAndClean(r, kindsOf(everyKind.steps));
    expect(await leftovers(killed)).toBe(0);
  }, 240_000);

  it('rolling-restart is valid and leaves nothing behind', async () => {
    const r = await runScenario(findScenario('rolling-restart')!, { runtime: 'docker', seed: 1, reportDir, writeReport: false });
    // A rolling restart stops each node once, in turn.
    await expectValidAndClean(r, ['stop', 'stop', 'stop']);
  }, 180_000);
});
