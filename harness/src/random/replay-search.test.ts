import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import { runRandom, whatCounts } from '../cli/random-command.js';
import { captureConsole } from '../test-support/capture-console.js';

/**
 * Issue 18 item 7: the search's output says what counts, shrinking does not print the same
 * line over and over, and the printed `replay search` command reproduces the same minimal.
 */
const root = mkdtempSync(join(tmpdir(), 'rc-replay-search-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const captured = captureConsole();

function searchJson(dir: string): Record<string, any> {
  const base = join(root, dir);
  const d = readdirSync(base).find((x) => existsSync(join(base, x, 'search.json')))!;
  return JSON.parse(readFileSync(join(base, d, 'search.json'), 'utf8'));
}

describe('random search output and replay', () => {
  const cases = [
    { name: 'shrinking cut by its budget', dir: 'budget', argv: ['--seed', '3', '--max-shrinks', '4', '--checks', 'safety'] },
    { name: 'a weak failure judged under --seeds 4', dir: 'weak', argv: ['--seed', '1', '--seeds', '4'] },
  ];
  for (const c of cases) {
    it(`the printed replay-search command gives the same minimal, run seed and path (${c.name})`, async () => {
      const argv = ['random', '--runtime', 'sim', '--runs', '300', '--bug', 'vote-twice', '--replay-on', 'none', ...c.argv];
      expect(await runRandom(parseScenarioArgs([...argv, '--report-dir', join(root, c.dir)]))).toBe(1);
      const first = searchJson(c.dir)['failure'];
      const text = captured.lines.join('\n');
      const line = captured.lines.find((l) => l.includes('replay search:'))!;
      const command = line.slice(line.indexOf('npm run scenario random -- ') + 'npm run scenario random -- '.length).trim().split(/\s+/);
      expect(command).toContain('--path');

      // What counts is said once: no line per invalid run that is then not counted; a shrink
      // line is never printed twice in a row.
      expect(text).not.toMatch(/run \d+\/\d+: INVALID/);
      const shrinkLines = captured.lines.filter((l) => /\] (shrink|greedy) /.test(l)).map((l) => l.replace(/^\[[^\]]*\]/, ''));
      for (let i = 1; i < shrinkLines.length; i++) expect(shrinkLines[i]).not.toBe(shrinkLines[i - 1]);
      expect(text).toMatch(/FAILURE \(shrinking it\)|weak failure/);
      // Weak failures get a line only when more robust than every one before (at most one per rate).
      expect(captured.lines.filter((l) => l.includes('weak failure')).length).toBeLessThanOrEqual(5);

      captured.lines = [];
      expect(await runRandom(parseScenarioArgs(['random', ...command, '--report-dir', join(root, `${c.dir}-again`)]))).toBe(1);
      const again = searchJson(`${c.dir}-again`)['failure'];
      expect(again.minimalSteps).toEqual(first.minimalSteps);
      expect(again.runSeed).toBe(first.runSeed);
      expect(again.path).toBe(first.path);
    });
  }
});

describe('whatCounts', () => {
  it('says what the invalid runs counted as', () => {
    const counts = { runs: 100, valid: 60, invalid: 30, unknown: 10 };
    expect(whatCounts({ counts })).toBe('');
    expect(whatCounts({ counts: { ...counts, variance: 26, weak: 3 } })).toBe(' (1 a failure, 3 weak: too few seeds, 26 timing variance: not failures)');
    expect(whatCounts({ counts: { ...counts, invalid: 4, weak: 4 }, failure: {} as never })).toBe(' (4 weak: too few seeds, the most robust shrunk)');
  });
});
