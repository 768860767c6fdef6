import { describe, expect, it } from 'vitest';
import { parseScenarioArgs } from '../cli/scenario-args.js';
import { fileReplayCommand, runFlags } from '../random/commands.js';
import { scenarios } from '../../../scenarios/index.js';
import { replayCommand, resolveSettings } from './options.js';
import { formatRunFlags, readNodes } from './run-flags.js';

describe('the one printer of run flags', () => {
  it('prints in table order, only what is set, never --report-dir', () => {
    expect(formatRunFlags({ bugs: ['vote-twice'], reportDir: '/tmp/x', nodes: 5, seed: 7, runtime: 'sim', preVote: false })).toEqual([
      '--seed 7', '--runtime sim', '--nodes 5', '--no-pre-vote', '--bug vote-twice',
    ]);
  });

  it('gives the same flags in a run replay and in the random search commands (they drifted on --report-dir)', () => {
    const args = parseScenarioArgs(['partition-leader', '--nodes', '5', '--election-timeout', '200-400', '--no-check-quorum', '--bug', 'vote-twice', '--report-dir', '/tmp/r']);
    const options = { nodes: 5, electionTimeout: [200, 400] as const, checkQuorum: false, bugs: ['vote-twice'], reportDir: '/tmp/r', seed: 9 };
    const scenario = scenarios.find((s) => s.name === 'partition-leader')!;
    const replay = replayCommand('partition-leader', 'sim', resolveSettings(scenario, options, () => 1), options);
    const file = fileReplayCommand(args, 'sim', 'partition-leader', 9);
    expect(replay).toBe('npm run scenario partition-leader -- --seed 9 --runtime sim --nodes 5 --election-timeout 200-400 --no-check-quorum --bug vote-twice');
    expect(file).toBe(replay);
    expect(runFlags(args, 'sim')).toEqual(['--runtime sim', '--nodes 5', '--election-timeout 200-400', '--no-check-quorum', '--bug vote-twice']);
  });

  it('refuses clusters below three with the reason, and negative or non-numeric sizes by range', () => {
    expect(readNodes('3', '--nodes')).toBe(3);
    expect(() => readNodes('2', '--nodes')).toThrow(/^--nodes 2: a cluster needs at least 3 nodes/);
    expect(() => readNodes('-1', '--nodes')).toThrow(/^--nodes must be a whole number from 3 to 15, got "-1"$/);
  });
});
