import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { bootWait } from './boot-wait.js';
import { HistoryBuilder } from './testing/history-builder.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-boot-wait-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('boot-wait', () => {
  it('valid: the first campaign of each boot comes a minimum election timeout after its start; later ones are not held to it', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n1', 'start', 0, {}, 0).event('n1', 'become-pre-candidate', 0, { reason: 'election-timeout' }, 150);
    h.event('n1', 'become-candidate', 1, { reason: 'pre-vote-won' }, 152).end(300);
    const r = bootWait.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/1 boots/);
  });

  it('invalid: a restarted node that campaigns as it boots', () => {
    const h = new HistoryBuilder(nodes).start();
    h.event('n2', 'start', 0, {}, 0).event('n2', 'become-candidate', 1, { reason: 'election-timeout' }, 200);
    h.restart('n2').event('n2', 'start', 1, {}, 1000).event('n2', 'become-candidate', 2, { reason: 'election-timeout' }, 1000).end(1500);
    const r = bootWait.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 started at 1000 ms and campaigned \(become-candidate\) 0 ms later/);
    expect(r.witnesses).toHaveLength(2);
  });

  it("a real node's whole-millisecond stamps: 149.6 ms on a 150 ms minimum is within them, 148.9 ms is early", () => {
    const at = (gap: number) => {
      const h = new HistoryBuilder(nodes).start();
      h.event('n3', 'start', 0, {}, 300.7).event('n3', 'become-pre-candidate', 0, { reason: 'election-timeout' }, 300.7 + gap).end(1000);
      return bootWait.check(h.entries, h.ctx()).verdict;
    };
    expect(at(149.6)).toBe('valid');
    expect(at(148.9)).toBe('invalid');
  });

  it('vacuous-pass guard: no campaign is not judged', () => {
    const h = new HistoryBuilder(nodes).start().event('n1', 'start', 0, {}, 0).end(100);
    expect(bootWait.check(h.entries, h.ctx()).details?.['judged']).toBe(false);
  });

  it('--bug campaign-at-boot: invalid in simulation (crash-restart, Pre-Vote off, seed 1)', async () => {
    const r = await runScenario(findScenario('crash-restart')!, { runtime: 'sim', seed: 1, preVote: false, bugs: ['campaign-at-boot'], reportDir: dir, writeReport: false, writeHistory: false });
    const c = r.results.find((x) => x.name === 'boot-wait')!;
    expect(c.verdict).toBe('invalid');
    expect(c.message).toMatch(/campaigned \(become-candidate\) 0 ms later/);
  });
});
