import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { scenarios } from '../../../../scenarios/index.js';
import type { RunResult } from '../../runner/run-scenario.js';
import { runScenario } from '../../runner/run-scenario.js';
import { findScenario, unsupportedOn } from '../../scenario/load.js';
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

// The scenarios that pass on processes pass on Docker: every named scenario, the correct node,
// real containers, links through a Toxiproxy container; nothing of the run is left afterwards.
describeDocker('every named scenario on Docker', () => {
  beforeAll(() => {
    requireEngine();
  });

  const onDocker = scenarios.filter((s) => unsupportedOn(s, 'docker') === null);
  it('runs every scenario that Docker supports (all but staggered start, which needs the process or simulated runtime)', () => {
    expect(scenarios.filter((s) => !onDocker.includes(s)).map((s) => s.name)).toEqual(['staggered-start']);
  });

  it.each(onDocker.map((s) => [s.name, s] as const))('%s is valid and leaves nothing behind', async (_name, scenario) => {
    const r = await runScenario(scenario, { runtime: 'docker', seed: 1, reportDir, writeReport: false });
    const failed = r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name}: ${c.verdict}: ${c.message}`);
    expect(failed, `replay: ${r.summary.replay}`).toEqual([]);
    expect(r.summary.runtime).toBe('docker');
    // Faults proven in force on Docker too: at least the final heal is probed.
    expect(r.history.filter((e) => e.type === 'fault-probe').length).toBeGreaterThan(0);
    expectNodeLogs(r);
    expect(await leftovers(r.runId)).toBe(0);
  }, 180_000);

  it('a harness killed with SIGKILL mid-run leaves nothing once the next run has started', async () => {
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
    expect(await leftovers(runId)).toBeGreaterThan(0);
    const next = await runScenario(findScenario('baseline')!, { runtime: 'docker', seed: 2, reportDir, writeReport: false });
    expect(next.verdict).toBe('valid');
    expect(await leftovers(runId)).toBe(0);
  }, 180_000);
});
