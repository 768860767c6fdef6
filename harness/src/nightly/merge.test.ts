import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readManifest, writeManifest, type NightManifest } from './manifest.js';
import { mergeManifests, summaryMarkdown } from './merge.js';

const NIGHT = ['a', 'b', 'c', 'd', 'e'];

/** Shard k of n of NIGHT, every owed item with the given verdict unless overridden. */
function shard(k: number, n: number, over: Partial<NightManifest> = {}, verdicts: Record<string, 'valid' | 'invalid' | 'unknown'> = {}): NightManifest {
  const items = NIGHT.filter((_, i) => i % n === k - 1);
  return {
    kind: 'raft-chaos-nightly-shard', shard: { k, n }, seed: 7, runtime: 'sim', bugs: [], night: NIGHT, items,
    rows: items.map((scenario) => ({ scenario, verdict: verdicts[scenario] ?? 'valid', seconds: 1, failed: verdicts[scenario] ? 'x' : '' })),
    notRun: [], skipped: [], exitCode: 0, runs: [], replay: '', startedAt: '', finishedAt: '', ...over,
  };
}

describe('mergeManifests', () => {
  it('puts the rows back in the night order, each with its shard, valid when every shard is', () => {
    const m = mergeManifests([shard(3, 3), shard(1, 3), shard(2, 3)]);
    expect(m.rows.map((r) => [r.scenario, r.shard, r.verdict])).toEqual([['a', 1, 'valid'], ['b', 2, 'valid'], ['c', 3, 'valid'], ['d', 1, 'valid'], ['e', 2, 'valid']]);
    expect(m).toMatchObject({ present: [1, 2, 3], missing: [], verdict: 'valid', exitCode: 0 });
  });

  it('is invalid (1) when a shard found a failure, whatever the others say', () => {
    const m = mergeManifests([shard(1, 2), shard(2, 2, { exitCode: 1 }, { b: 'invalid' })]);
    expect(m).toMatchObject({ verdict: 'invalid', exitCode: 1 });
  });

  it('is unknown (2) when a shard is missing, its items marked not run', () => {
    const m = mergeManifests([shard(1, 3), shard(3, 3)]);
    expect(m).toMatchObject({ missing: [2], verdict: 'unknown', exitCode: 2 });
    expect(m.rows.filter((r) => r.verdict === 'unknown').map((r) => [r.scenario, r.failed])).toEqual([['b', 'not run: shard 2/3 is missing'], ['e', 'not run: shard 2/3 is missing']]);
    expect(summaryMarkdown(m)).toContain('MISSING 2/3');
  });

  it('is unknown when a shard was interrupted, or exited non-zero with only valid rows', () => {
    const cut = mergeManifests([shard(1, 2, { rows: [shard(1, 2).rows[0]!], notRun: ['c', 'e'], interrupted: 'SIGINT received', exitCode: 2 }), shard(2, 2)]);
    expect(cut).toMatchObject({ verdict: 'unknown', interrupted: ['shard 1/2: SIGINT received'] });
    expect(cut.rows.find((r) => r.scenario === 'c')!.failed).toBe('not run: shard 1/2 was interrupted');
    expect(mergeManifests([shard(1, 2, { exitCode: 2 }), shard(2, 2)]).verdict).toBe('unknown');
  });

  it('leaves out items a shard skipped on its runtime, as the unsharded table does', () => {
    const m = mergeManifests([shard(1, 1, { skipped: ['c'], rows: shard(1, 1).rows.filter((r) => r.scenario !== 'c') })]);
    expect(m.rows.map((r) => r.scenario)).toEqual(['a', 'b', 'd', 'e']);
    expect(m.verdict).toBe('valid');
  });

  it('refuses shards of different nights, a shard twice, and nothing at all', () => {
    expect(() => mergeManifests([shard(1, 2), shard(2, 2, { seed: 8 })])).toThrow('shard 2/2 and shard 1/2 are not of the same night: seed 8 vs 7');
    expect(() => mergeManifests([shard(1, 2), shard(2, 3)])).toThrow('3 shards vs 2');
    expect(() => mergeManifests([shard(1, 2), shard(2, 2, { runtime: 'docker' })])).toThrow('runtime docker vs sim');
    expect(() => mergeManifests([shard(1, 2), shard(2, 2, { night: ['a', 'b'] })])).toThrow('their lists of items differ');
    expect(() => mergeManifests([shard(1, 2), shard(1, 2)])).toThrow('shard 1/2 given twice');
    expect(() => mergeManifests([])).toThrow('--merge needs at least one shard report directory');
  });
});

describe('readManifest', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rc-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads what writeManifest wrote', () => {
    const { kind: _, ...m } = shard(2, 3);
    writeManifest(dir, m);
    expect(readManifest(dir)).toEqual(shard(2, 3));
  });

  it('refuses a directory that is not a shard, naming it', () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    expect(() => readManifest(join(dir, 'nope'))).toThrow(`--merge: "${join(dir, 'nope')}" is not a directory`);
    expect(() => readManifest(empty)).toThrow(`--merge: "${empty}" is not a nightly shard's report directory (it has no nightly.json)`);
    writeFileSync(join(empty, 'nightly.json'), '{ not json');
    expect(() => readManifest(empty)).toThrow('is not valid JSON');
    writeFileSync(join(empty, 'nightly.json'), JSON.stringify({ kind: 'something-else' }));
    expect(() => readManifest(empty)).toThrow('is not a nightly shard manifest');
  });
});
