import { describe, expect, it } from 'vitest';
import { nodeArgs, nodeEnv } from './node-args.js';

const settings = {
  electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50, rpcTimeout: 75,
  preVote: false, checkQuorum: true, bugs: ['vote-twice', 'slow-heartbeat'], logLevel: 'warn', seed: 40,
};

describe('nodeArgs', () => {
  it('spells every setting as a flag, seed offset by the node index', () => {
    expect(nodeArgs({ id: 'n2', host: '127.0.0.1', port: 7002, peers: 'n1=127.0.0.1:9,n3=127.0.0.1:10', dataDir: '/d/n2', settings, index: 1 })).toEqual([
      '--id', 'n2', '--host', '127.0.0.1', '--port', '7002', '--peers', 'n1=127.0.0.1:9,n3=127.0.0.1:10',
      '--data-dir', '/d/n2', '--election-timeout', '150-300', '--heartbeat-interval', '50', '--rpc-timeout', '75',
      '--no-pre-vote', '--check-quorum', '--bug', 'vote-twice', '--bug', 'slow-heartbeat', '--seed', '41',
      '--log-level', 'warn',
    ]);
  });

  it('passes a disk test mode on as --disk, and nothing when there is none', () => {
    const args = nodeArgs({ id: 'n1', host: 'h', port: 1, peers: '', dataDir: '/d', settings: { ...settings, disk: 'lossy,sync-delay=20' }, index: 0 });
    expect(args.slice(-2)).toEqual(['--disk', 'lossy,sync-delay=20']);
    expect(nodeArgs({ id: 'n1', host: 'h', port: 1, peers: '', dataDir: '/d', settings, index: 0 })).not.toContain('--disk');
  });

  it('keeps the node configuration variables and NODE_OPTIONS of the harness away from nodes', () => {
    expect(nodeEnv({ PATH: '/bin', BUGS: 'vote-twice', PORT: '1', NODE_OPTIONS: '--import tsx', HOME: '/h' })).toEqual({
      PATH: '/bin', HOME: '/h',
    });
  });
});
