import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { nodeCrash } from './node-crash.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-node-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('node-crash', () => {
  it('valid: exits after a kill or a stop, and every exit of the teardown', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 200, { term: 1, leader: 'n1' });
    h.process('n1', 'kill', 200).push({ type: 'process', node: 'n1', action: 'exit', code: null, signal: 'SIGKILL' }, 220);
    h.process('n1', 'start', 500).process('n2', 'stop', 600).push({ type: 'process', node: 'n2', action: 'exit', code: 0, signal: null }, 620);
    h.phase('teardown', 900);
    for (const n of nodes) h.push({ type: 'process', node: n, action: 'exit', code: null, signal: 'SIGKILL' }, 910);
    const r = nodeCrash.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/2 exit\(s\), each after a kill or stop/);
  });

  it('invalid: an exit with no kill or stop since the node last started, with its detail', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 200, { term: 1, leader: 'n1' });
    h.process('n2', 'kill', 200).push({ type: 'process', node: 'n2', action: 'exit', code: null, signal: 'SIGKILL' }, 220).process('n2', 'start', 400);
    // One kill excuses one exit: the second exit of n2 came by itself.
    h.push({ type: 'process', node: 'n2', action: 'exit', code: 1, signal: null, detail: 'crashed on tick at 612: Error: boom' }, 612).end(900);
    const r = nodeCrash.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 at 612 ms \(exit code 1\): crashed on tick at 612: Error: boom/);
    expect(r.witnesses).toHaveLength(1);
  });

  it('an exit during setup (a node that died as it started) is not judged here: the run could not start (exit 3)', () => {
    const h = new HistoryBuilder(nodes);
    h.push({ type: 'run-start', runId: 'test', scenario: 'test', seed: 1, runtime: 'process', nodes, config: h.config, replay: '' }, 0).phase('setup', 0);
    h.process('n1', 'start', 5).push({ type: 'process', node: 'n1', action: 'exit', code: 3, signal: null }, 40).end(60);
    const r = nodeCrash.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/1 exit\(s\)/);
    // The same exit once the cluster was up is the node's own failure.
    const later = new HistoryBuilder(nodes).start();
    later.process('n1', 'start', 5).push({ type: 'process', node: 'n1', action: 'exit', code: 3, signal: null }, 40).end(60);
    expect(nodeCrash.check(later.entries, later.ctx()).verdict).toBe('invalid');
  });

  it('vacuous-pass guard: no process seen starting or ending is not judged', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 100, { term: 1, leader: 'n1' }).end(100);
    const r = nodeCrash.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.['judged']).toBe(false);
  });

  it('--bug stuck-election-timer: the simulator takes the stuck node down and node-crash says invalid (split-vote, seed 1)', async () => {
    const r = await runScenario(findScenario('split-vote')!, { runtime: 'sim', seed: 1, bugs: ['stuck-election-timer'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'node-crash')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/asks for a tick at .* after ticking at/);
    expect(r.verdict).toBe('invalid');
    expect(r.error).toBeUndefined();
  });
});
