import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from './load.js';

describe('loadScenario', () => {
  it('finds a built-in scenario by name', async () => {
    expect((await loadScenario('partition-leader')).name).toBe('partition-leader');
  });

  it('names the known scenarios for an unknown name', async () => {
    await expect(loadScenario('partition-leeder')).rejects.toThrow(/unknown scenario "partition-leeder" \(did you mean "partition-leader"\?\)\. Known scenarios: baseline, partition-leader/);
  });

  it('loads a JSON scenario file and a TypeScript one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-scen-'));
    const json = join(dir, 'mine.json');
    writeFileSync(json, JSON.stringify({ name: 'mine', description: 'd', steps: [{ wait: 10 }] }));
    expect((await loadScenario(json)).steps).toEqual([{ wait: 10 }]);
    const ts = join(dir, 'mine.ts');
    writeFileSync(ts, `export default { name: 'mine-ts', description: 'd', steps: [{ fault: { kind: 'kill', target: 'leader' }, holdMs: 5 }] };\n`);
    expect((await loadScenario(ts)).name).toBe('mine-ts');
  });

  it('says which file and place is wrong', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-scen-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'bad', description: 'd', steps: [{ fault: { kind: 'pause' } }] }));
    await expect(loadScenario(bad)).rejects.toThrow(`${bad}: steps[0].fault.target must be a node id`);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"name": ');
    await expect(loadScenario(broken)).rejects.toThrow(/cannot read scenario file .*broken\.json/);
    await expect(loadScenario(join(dir, 'missing.json'))).rejects.toThrow(/does not exist/);
  });

  it.each([
    ['colour', { colour: 'red' }, 'colour is not a field of a scenario'],
    ['holdms', { steps: [{ fault: { kind: 'kill', target: 'leader' }, holdms: 500 }] }, 'steps[0].holdms is not a field of a fault step (did you mean "holdMs"?)'],
    ['skip', { skipChecks: { 'election-safty': 'x' } }, 'skipChecks.election-safty is not a check (did you mean "election-safety"?)'],
    ['heal', { steps: [{ heal: 'nope' }] }, 'steps[0].heal names "nope", but no earlier step started a fault with id "nope"'],
  ])('refuses a file with a review finding (%s), naming the file and the place', async (file, fields, message) => {
    const dir = mkdtempSync(join(tmpdir(), 'rc-scen-'));
    const bad = join(dir, `${file}.json`);
    writeFileSync(bad, JSON.stringify({ name: 'bad', description: 'd', steps: [{ wait: 10 }], ...fields }));
    await expect(loadScenario(bad)).rejects.toThrow(`${bad}: ${message}`);
  });
});
