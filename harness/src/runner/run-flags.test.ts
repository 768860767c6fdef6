import { describe, expect, it } from 'vitest';
import { parseScenarioArgs, runOptionsFrom } from '../cli/scenario-args.js';
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

  it('--disk: read in a canonical spelling, printed back in replays, refused when malformed; real is the default and prints nothing', () => {
    const options = { ...runOptionsFrom(parseScenarioArgs(['crash-restart', '--disk', 'sync-delay=20, lossy', '--bug', 'no-fsync'])), seed: 3 };
    expect(options.disk).toBe('lossy,sync-delay=20');
    const scenario = scenarios.find((s) => s.name === 'crash-restart')!;
    const settings = resolveSettings(scenario, options, () => 1);
    expect(settings.config.disk).toBe('lossy,sync-delay=20');
    expect(replayCommand('crash-restart', 'process', settings, options)).toBe('npm run scenario crash-restart -- --seed 3 --runtime process --nodes 3 --bug no-fsync --disk lossy,sync-delay=20');
    expect(parseScenarioArgs(['crash-restart', '--disk', 'real']).flags.disk).toBeUndefined();
    expect(() => parseScenarioArgs(['crash-restart', '--disk', 'lossless'])).toThrow(/--disk: "lossless" is not a disk mode/);
  });

  it('--rpc-timeout: a deadline longer than the default (half the minimum timeout) is allowed, as the bug table and the triggered search use, and reaches the run config and its replay', () => {
    const options = { ...runOptionsFrom(parseScenarioArgs(['latency', '--rpc-timeout', '1000', '--runtime', 'sim'])), seed: 2 };
    const scenario = scenarios.find((s) => s.name === 'latency')!;
    const settings = resolveSettings(scenario, options, () => 1);
    expect(settings.config.rpcTimeout).toBe(1000);
    expect(replayCommand('latency', 'sim', settings, options)).toContain('--rpc-timeout 1000');
    expect(resolveSettings(scenario, { seed: 2 }, () => 1).config.rpcTimeout).toBe(75);
    expect(() => parseScenarioArgs(['latency', '--rpc-timeout', '0'])).toThrow(/--rpc-timeout/);
  });

  it('refuses clusters below three with the reason, and negative or non-numeric sizes by range', () => {
    expect(readNodes('3', '--nodes')).toBe(3);
    expect(() => readNodes('2', '--nodes')).toThrow(/^--nodes 2: a cluster needs at least 3 nodes/);
    expect(() => readNodes('-1', '--nodes')).toThrow(/^--nodes must be a whole number from 3 to 15, got "-1"$/);
  });
});

describe('--subject and --node-command', () => {
  it('select the course subject with a command, resolved against the user directory, and print back in replays', () => {
    const args = parseScenarioArgs(['partition-leader', '--subject', 'course', '--node-command', 'python3 node.py', '--runtime', 'process']);
    const s = args.flags.subject!;
    expect(s.name).toBe('course');
    expect(s.launch.kind === 'command' && s.launch.command).toEqual(['python3', 'node.py']);
    expect(formatRunFlags(args.flags)).toEqual(['--runtime process', '--subject course', '--node-command "python3 node.py"']);
    const scenario = scenarios.find((x) => x.name === 'partition-leader')!;
    const options = { subject: s, nodeCommand: 'python3 node.py', seed: 4 };
    expect(replayCommand('partition-leader', 'process', resolveSettings(scenario, options, () => 1), options)).toBe(
      'npm run scenario partition-leader -- --seed 4 --runtime process --nodes 3 --subject course --node-command "python3 node.py"',
    );
  });

  it('a subject without Pre-Vote or CheckQuorum runs with them off, whatever was asked', () => {
    const s = parseScenarioArgs(['partition-leader', '--subject', 'course', '--node-command', 'node n.mjs']).flags.subject!;
    const scenario = scenarios.find((x) => x.name === 'partition-leader')!;
    const c = resolveSettings(scenario, { subject: s, preVote: true }, () => 1).config;
    expect([c.preVote, c.checkQuorum]).toEqual([false, false]);
  });

  it('our node stays the default and prints nothing; --subject raft-chaos is the same', () => {
    expect(parseScenarioArgs(['partition-leader']).flags.subject).toBeUndefined();
    expect(parseScenarioArgs(['partition-leader', '--subject', 'raft-chaos']).flags.subject).toBeUndefined();
  });

  it('refuses --runtime sim for a subject, --node-command without one, and an unknown subject with the near miss', () => {
    expect(() => parseScenarioArgs(['partition-leader', '--subject', 'course', '--node-command', 'x', '--runtime', 'sim'])).toThrow(
      /--runtime sim runs only the project's own node \(raft-chaos\), not subject course/,
    );
    expect(() => parseScenarioArgs(['partition-leader', '--node-command', 'python3 node.py'])).toThrow(/--node-command needs --subject course/);
    expect(() => parseScenarioArgs(['partition-leader', '--subject', 'cours'])).toThrow(/unknown subject "cours".*course/);
  });
});

describe('timer settings a subject cannot take', () => {
  it('split-vote on the course subject says its narrow timeout is not applied; a subject file with the templates takes it', async () => {
    const { timersNotApplied } = await import('./run-scenario.js');
    const { resolveSubject } = await import('../subject/resolve.js');
    const splitVote = scenarios.find((x) => x.name === 'split-vote')!;
    const course = resolveSubject('course', { nodeCommand: 'python3 node.py' });
    expect(timersNotApplied(course, splitVote, {})).toEqual([
      expect.stringMatching(/^election timeout 150-155 ms not applied: subject course takes no \{electionTimeoutMin\}\/\{electionTimeoutMax\} template/),
      ...(splitVote.heartbeatInterval !== undefined ? [expect.stringMatching(/^heartbeat interval/)] : []),
    ]);
    const file = resolveSubject(new URL('../../../examples/subjects/course-node-ts.json', import.meta.url).pathname);
    expect(timersNotApplied(file, splitVote, {})).toEqual([]);
  });
});
