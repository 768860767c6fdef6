import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../common/src/errors.js';
import { parseConfig, type NodeConfig } from './config.js';

const base = ['--id', 'n1', '--port', '7001', '--data-dir', '/tmp/n1'];
const cfg = (argv: string[], env: Record<string, string> = {}): NodeConfig => {
  const r = parseConfig(argv, env, () => 42);
  if (r.help) throw new Error('help');
  return r.config;
};
const fails = (argv: string[], env: Record<string, string>, option: string) => {
  expect(() => parseConfig(argv, env, () => 42)).toThrow(ConfigError);
  expect(() => parseConfig(argv, env, () => 42)).toThrow(option);
};

describe('node configuration', () => {
  it('has the documented defaults', () => {
    expect(cfg(base)).toMatchObject({
      id: 'n1', host: '127.0.0.1', port: 7001, peers: [], dataDir: '/tmp/n1',
      electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, rpcTimeout: 75,
      preVote: true, checkQuorum: true, bugs: [], seed: 42, seedGiven: false, logLevel: 'info',
    });
  });

  it('reads the README command', () => {
    const c = cfg(['--id', 'n1', '--port', '7001', '--peers', 'n2=127.0.0.1:7002,n3=127.0.0.1:7003', '--data-dir', '/tmp/n1']);
    expect(c.peers).toEqual([
      { id: 'n2', host: '127.0.0.1', port: 7002 },
      { id: 'n3', host: '127.0.0.1', port: 7003 },
    ]);
  });

  it('reads the environment, and flags win over it', () => {
    const env = { NODE_ID: 'a', PORT: '1', DATA_DIR: '/d', PEERS: 'b=h:2', PRE_VOTE: 'false', CHECK_QUORUM: '0', BUGS: 'vote-twice,slow-heartbeat', SEED: '9', ELECTION_TIMEOUT: '200-400' };
    expect(cfg([], env)).toMatchObject({ id: 'a', port: 1, preVote: false, checkQuorum: false, bugs: ['vote-twice', 'slow-heartbeat'], seed: 9, rpcTimeout: 100, electionTimeoutMin: 200 });
    expect(cfg(['--id', 'z', '--pre-vote', '--bug', 'fixed-timeout'], env)).toMatchObject({ id: 'z', preVote: true, bugs: ['fixed-timeout'] });
    expect(cfg([...base, '--no-check-quorum', '--no-pre-vote'])).toMatchObject({ preVote: false, checkQuorum: false });
  });

  it('names the option in every error', () => {
    fails(['--port', '1', '--data-dir', 'd'], {}, '--id');
    fails([...base, '--id', 'bad id'], {}, '--id');
    fails([...base, '--port', '70000'], {}, '--port');
    fails([...base, '--peers', 'n2=127.0.0.1'], {}, '--peers');
    fails([...base, '--peers', 'n1=h:1'], {}, '--peers');
    fails([...base, '--peers', 'n2=h:1,n2=h:2'], {}, '--peers');
    fails([...base, '--election-timeout', '300-150'], {}, '--election-timeout');
    fails([...base, '--election-timeout', 'fast'], {}, '--election-timeout');
    fails([...base, '--heartbeat-interval', '200'], {}, '--heartbeat-interval');
    fails([...base, '--rpc-timeout', '-1'], {}, '--rpc-timeout');
    fails([...base, '--bug', 'nope'], {}, '--bug');
    fails(base, { BUGS: 'nope' }, 'BUGS');
    fails(base, { PRE_VOTE: 'maybe' }, 'PRE_VOTE');
    fails([...base, '--log-level', 'loud'], {}, '--log-level');
    fails([...base, '--wat'], {}, 'wat');
    fails([...base, '--pre-vote', '--no-pre-vote'], {}, '--pre-vote');
  });

  it('--help asks for usage', () => {
    expect(parseConfig(['--help'], {})).toEqual({ help: true });
  });
});
