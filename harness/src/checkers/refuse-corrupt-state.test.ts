import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../scenario/load.js';
import { runScenario } from '../runner/run-scenario.js';
import { nodeCrash } from './node-crash.js';
import { refuseCorruptState } from './refuse-corrupt-state.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { judgement } from './types.js';

const nodes = ['n1', 'n2', 'n3'];
const dir = mkdtempSync(join(tmpdir(), 'rc-refuse-corrupt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** n2 is stopped at 300, its state file corrupted at 320, and it is started again at 380. */
function corruptN2(): HistoryBuilder {
  const h = new HistoryBuilder(nodes).start().steady(0, 300, { term: 3, leader: 'n1' });
  h.fault({ id: 'f1', kind: 'corrupt-state', targets: ['n2'], down: ['n2'] }, 300).process('n2', 'stop', 300);
  h.push({ type: 'process', node: 'n2', action: 'exit', code: 0, signal: null }, 320);
  h.push({ type: 'note', level: 'info', message: 'state file of n2 corrupted (term-fraction)', data: { disk: 'corrupt', node: 'n2', corruption: 'term-fraction', text: '{"version":1,"term":3.5,"votedFor":"n1"}\n' } }, 320);
  return h.process('n2', 'start', 380);
}

describe('refuse-corrupt-state', () => {
  it('valid: the node exits at its start attempt (node-crash expects that exit), and starts once the file is restored', () => {
    const h = corruptN2();
    h.push({ type: 'process', node: 'n2', action: 'exit', code: 1, signal: null, detail: 'could not start: StorageError: state file is corrupt' }, 900);
    h.push({ type: 'note', level: 'info', message: 'state file of n2 restored', data: { disk: 'restore', node: 'n2' } }, 1500);
    h.process('n2', 'start', 1560).restart('n2').event('n2', 'start', 3, { stateTerm: 3, stateVotedFor: 'n1' }, 2000).heal('f1', 2100).end(2500);
    const r = refuseCorruptState.check(h.entries, h.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.message).toMatch(/1 node\(s\) refused to start/);
    expect(nodeCrash.check(h.entries, h.ctx()).verdict).toBe('valid');
  });

  it('invalid: a start event (or an answered poll) after the corruption, naming how the file was corrupted and what the node read', () => {
    const h = corruptN2();
    h.restart('n2').event('n2', 'start', 0, { stateTerm: 0, stateVotedFor: null }, 900);
    h.push({ type: 'note', level: 'info', message: 'state file of n2 restored', data: { disk: 'restore', node: 'n2' } }, 1500).heal('f1', 1500).end(2000);
    const r = refuseCorruptState.check(h.entries, h.ctx());
    expect(r.verdict).toBe('invalid');
    expect(r.message).toMatch(/n2 started at 900 ms from a term-fraction state file \(start event: term 0, vote null\)/);
    expect(r.witnesses.map((e) => e.type)).toEqual(['note', 'node-event']);
    const p = corruptN2();
    p.poll('n2', { term: 0, leader: null }, 950).end(2000);
    expect(refuseCorruptState.check(p.entries, p.ctx()).message).toMatch(/\(poll: term 0/);
  });

  it('only an exit with an error code is a refusal: a clean exit or a kill by signal refused nothing', () => {
    for (const exit of [{ code: 0, signal: null }, { code: null, signal: 'SIGKILL' }]) {
      const h = corruptN2();
      h.push({ type: 'process', node: 'n2', action: 'exit', ...exit }, 900).end(2000);
      const r = refuseCorruptState.check(h.entries, h.ctx());
      expect(judgement(r), JSON.stringify(exit)).toBe('not judged');
      expect(r.details).toMatchObject({ refused: 0 });
    }
  });

  it('vacuous-pass guard: no corrupted file, or no start attempt seen, is not judged', () => {
    const h = new HistoryBuilder(nodes).start().steady(0, 300, { term: 1, leader: 'n1' }).end(300);
    expect(refuseCorruptState.check(h.entries, h.ctx()).details?.['judged']).toBe(false);
    const quiet = corruptN2().end(2000);
    const r = refuseCorruptState.check(quiet.entries, quiet.ctx());
    expect(r.verdict).toBe('valid');
    expect(r.details?.['judged']).toBe(false);
  });

  it('on the simulated node: every corruption is refused by the correct node; --bug accept-corrupt-state is invalid', async () => {
    const file = join(dir, 'corrupt-follower.json');
    writeFileSync(file, JSON.stringify({
      name: 'corrupt-follower',
      description: 'A follower\'s state file is corrupted while it is stopped.',
      nodes: 3,
      steps: [
        { fault: { kind: 'corrupt-state', target: 'follower', corruption: 'wrong-version' }, holdMs: 1200 },
        { fault: { kind: 'corrupt-state', target: 'follower', corruption: 'vote-bad-id' }, holdMs: 1200 },
      ],
    }));
    const scenario = await loadScenario(file);
    const run = (bugs: string[]) => runScenario(scenario, { runtime: 'sim', seed: 1, bugs, reportDir: dir, writeReport: false, writeHistory: false });
    const good = await run([]);
    expect(good.results.find((x) => x.name === 'refuse-corrupt-state')!.message).toMatch(/2 node\(s\) refused to start/);
    expect(good.results.find((x) => x.name === 'node-crash')!.verdict).toBe('valid');
    const bad = await run(['accept-corrupt-state']);
    expect(bad.results.find((x) => x.name === 'refuse-corrupt-state')!.verdict).toBe('invalid');
  });
});
