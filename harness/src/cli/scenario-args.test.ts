import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { parseScenarioArgs, runOptionsFrom, SCENARIO_USAGE } from './scenario-args.js';

describe('parseScenarioArgs', () => {
  it('takes a scenario and every documented option', () => {
    const a = parseScenarioArgs([
      'partition-leader',
      '--nodes', '5',
      '--runtime', 'process',
      '--seed', '42',
      '--report-dir', '/tmp/r',
      '--bug', 'vote-twice',
      '--bug', 'forget-vote,slow-heartbeat',
      '--election-timeout', '100-200',
      '--heartbeat-interval', '20',
      '--rpc-timeout', '40',
      '--no-pre-vote',
      '--check-quorum',
      '--poll-interval', '25',
      '--toxiproxy-url', 'http://127.0.0.1:8474',
      '--log-level', 'debug',
    ]);
    expect(a).toMatchObject({
      scenario: 'partition-leader',
      runtime: 'process',
      reportDir: '/tmp/r',
      logLevel: 'debug',
      flags: {
        nodes: 5,
        runtime: 'process',
        seed: 42,
        reportDir: '/tmp/r',
        bugs: ['vote-twice', 'forget-vote', 'slow-heartbeat'],
        electionTimeout: [100, 200],
        heartbeatInterval: 20,
        rpcTimeout: 40,
        preVote: false,
        checkQuorum: true,
        pollIntervalMs: 25,
        toxiproxyUrl: 'http://127.0.0.1:8474',
      },
    });
    // The run options a command passes on: the flags, the report dir and the nodes' log level; runtime and seed are the command's.
    expect(runOptionsFrom(a)).toEqual({ ...a.flags, runtime: undefined, seed: undefined, nodeLogLevel: 'debug' });
  });

  it('defaults to the auto runtime and reports/', () => {
    const a = parseScenarioArgs(['baseline']);
    expect(a.runtime).toBe('auto');
    expect(a.reportDir).toBe('reports');
    expect(a.flags).toEqual({});
    expect(runOptionsFrom(a)).toEqual({ reportDir: 'reports', bugs: [] });
  });

  it('derives its usage from the option table: every run option once, under its one name', () => {
    const a = parseScenarioArgs(['--help']);
    expect(a.help).toBe(true);
    for (const o of ['--report-dir DIR', '--heartbeat-interval MS', '--nodes N', '--pre-vote / --no-pre-vote', '--max-shrinks N', '--seeds N']) {
      expect(SCENARIO_USAGE.split(o).length - 1).toBe(1);
    }
  });

  it('keeps the exact flags given, for printed commands (runFlags, replays)', () => {
    const a = parseScenarioArgs(['split-vote', '--nodes', '5', '--no-pre-vote', '--report-dir', '/tmp/x y']);
    expect(a.flags).toEqual({ nodes: 5, preVote: false, reportDir: '/tmp/x y' });
  });

  it('lets --list and --help go without a scenario', () => {
    expect(parseScenarioArgs(['--list']).list).toBe(true);
    expect(parseScenarioArgs(['--help']).help).toBe(true);
  });

  it('keeps the options of random schedules for random', () => {
    const a = parseScenarioArgs(['random', '--runs', '5', '--time-limit', '60', '--checks', 'safety', '--seeds', '3']);
    expect(a.rest).toMatchObject({ runs: '5', 'time-limit': '60', checks: 'safety', seeds: '3' });
  });

  it.each([
    [['baseline', '--runs', '5'], /^--runs is an option of random schedules only \(npm run scenario random -- \.\.\.\), not of the scenario "baseline"; drop it, or run random$/],
    [['./mine.json', '--time-limit', '9', '--checks', 'safety'], /^--time-limit, --checks are options of random schedules only .*not of the scenario "\.\/mine\.json"; drop them/],
    [['kill-leader', '--seeds', '3'], /--seeds is an option of random schedules only/],
    [['kill-leader', '--path', '1:2'], /--path is an option of random schedules only/],
    [['kill-leader', '--max-shrinks', '3', '--replay-on', 'none', '--replay-runs', '2'], /--max-shrinks, --replay-on, --replay-runs are options of random/],
  ])('refuses random-only options for a named scenario or file: %j', (argv, message) => {
    expect(() => parseScenarioArgs(argv)).toThrow(ConfigError);
    expect(() => parseScenarioArgs(argv)).toThrow(message);
  });

  it.each([
    [['baseline', '--nodes', 'three'], /--nodes must be a whole number/],
    [['baseline', '--nodes', '0'], /^--nodes 0: a cluster needs at least 3 nodes \(partitions, majorities/],
    [['baseline', '--nodes', '1'], /^--nodes 1: a cluster needs at least 3 nodes/],
    [['baseline', '--nodes', '2'], /^--nodes 2: a cluster needs at least 3 nodes.*give 3 to 15$/],
    [['baseline', '--nodes', '16'], /^--nodes must be a whole number from 3 to 15, got "16"$/],
    [['baseline', '--nodes', '-1'], /^--nodes must be a whole number from 3 to 15, got "-1"$/],
    [['baseline', '--seed', '-1'], /^--seed must be a whole number from 0 to 4294967295, got "-1"$/],
    [['baseline', '--poll-interval', '-5'], /^--poll-interval must be a whole number from 5 to 10000, got "-5"$/],
    [['baseline', '--report-dir', '/proc/self/reports'], /^--report-dir "\/proc\/self\/reports": is under \/proc, a kernel pseudo-filesystem/],
    [['baseline', '--report-dir', '/etc/hostname/reports'], /^--report-dir "\/etc\/hostname\/reports": .*is a file, not a directory/],
    [['baseline', '--runtime', 'k8s'], /--runtime must be one of auto, process, docker, sim, got "k8s"/],
    [['baseline', '--bug', 'eat-logs'], /--bug "eat-logs" is not a known bug; known: forget-vote/],
    [['baseline', '--election-timeout', '300-150'], /--election-timeout: "300-150": min 300 is above max 150/],
    [['baseline', '--election-timeout', 'fast'], /--election-timeout: "fast" is not MIN-MAX/],
    [['baseline', '--seed=-1'], /--seed must be a whole number/],
    [['baseline', '--frobnicate'], /unknown option --frobnicate/],
    [['baseline', '--toxiproxy-url', 'localhost:8474'], /--toxiproxy-url must be an http URL/],
    [[], /name a scenario/],
    [['a', 'b'], /one scenario at a time/],
  ])('rejects %j with a message naming the problem', (argv, message) => {
    expect(() => parseScenarioArgs(argv)).toThrow(ConfigError);
    expect(() => parseScenarioArgs(argv)).toThrow(message);
  });
});
