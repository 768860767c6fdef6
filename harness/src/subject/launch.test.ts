import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { subjectCapabilities } from './capabilities.js';
import { courseSubject } from './course.js';
import { isCommandSubject, launchPlan, type NodeSlot } from './launch.js';
import { raftChaosSubject } from './raft-chaos.js';
import { resolveSubject } from './resolve.js';
import type { CommandSubject } from './types.js';

const slot: NodeSlot = {
  id: 'n1', host: '127.0.0.1', port: 4001,
  peers: [{ id: 'n2', host: '127.0.0.1', port: 5012 }, { id: 'n3', host: '127.0.0.1', port: 5013 }],
  dataDir: '/tmp/run/n1', electionTimeoutMin: 150, electionTimeoutMax: 300, heartbeatInterval: 50,
};

function command(subject: ReturnType<typeof resolveSubject>): CommandSubject {
  if (!isCommandSubject(subject)) throw new Error('not a command subject');
  return subject;
}

describe('launchPlan', () => {
  it("sets the course protocol's environment and runs --node-command's words as given", () => {
    const s = command(resolveSubject('course', { nodeCommand: 'env BUGS=volatile DATA_DIR={dataDir} node my-node.mjs', cwd: '/home/me' }));
    const plan = launchPlan(s, slot, 'process');
    expect(plan.argv).toEqual(['env', 'BUGS=volatile', 'DATA_DIR=/tmp/run/n1', 'node', 'my-node.mjs']);
    expect(plan.env).toEqual({ NODE_ID: 'n1', HOST: '127.0.0.1', PORT: '4001', PEERS: '127.0.0.1:5012,127.0.0.1:5013', DATA_DIR: '/tmp/run/n1' });
    expect(plan).toMatchObject({ cwd: '/home/me', baseUrl: 'http://127.0.0.1:4001', readyPath: '/status', stopSignal: 'SIGTERM', stopGraceMs: 3000 });
    expect(plan.applied).toEqual({ electionTimeout: false, heartbeatInterval: false });
    expect(plan.image).toBeUndefined();
  });

  it('fills templates in command words and reports timers that reach the node', () => {
    const s: CommandSubject = {
      ...courseSubject('/x'),
      launch: {
        kind: 'command',
        command: ['./node', '--peers={peers}', '--timeout', '{electionTimeoutMin}-{electionTimeoutMax}'],
        env: { HB: '{heartbeatInterval}' },
        peers: 'id=http://host:port',
        cwd: '/x',
      },
    };
    const plan = launchPlan(s, slot, 'process');
    expect(plan.argv).toEqual(['./node', '--peers=n2=http://127.0.0.1:5012,n3=http://127.0.0.1:5013', '--timeout', '150-300']);
    expect(plan.env).toEqual({ HB: '50' });
    expect(plan.applied).toEqual({ electionTimeout: true, heartbeatInterval: true });
  });

  it('needs a command on processes and an image on Docker', () => {
    const noCommand = courseSubject('/x') as CommandSubject;
    expect(() => launchPlan(noCommand, slot, 'process')).toThrow(ConfigError);
    expect(() => launchPlan(noCommand, slot, 'process')).toThrow(/subject course has no command to start a process: give --node-command/);
    const withCommand = command(resolveSubject('course', { nodeCommand: 'python3 server.py' }));
    expect(() => launchPlan(withCommand, slot, 'docker')).toThrow(/subject course has no image for --runtime docker/);
    const withImage: CommandSubject = { ...withCommand, launch: { ...withCommand.launch, image: 'my/node:1' } };
    expect(launchPlan(withImage, slot, 'docker')).toMatchObject({ image: 'my/node:1', argv: ['python3', 'server.py'] });
  });

  it('brackets an IPv6 host in the base URL', () => {
    const s = command(resolveSubject('course', { nodeCommand: 'x' }));
    expect(launchPlan(s, { ...slot, host: '::1' }, 'process').baseUrl).toBe('http://[::1]:4001');
  });
});

describe('subjectCapabilities', () => {
  it('our node: everything, and the simulator', () => {
    expect(subjectCapabilities(raftChaosSubject)).toEqual({
      preVote: true, checkQuorum: true, votedFor: true, events: true, durable: true, electionTimeout: true, heartbeatInterval: true, simulated: true,
    });
  });
  it('the course protocol: status polls only, no Pre-Vote, CheckQuorum, votedFor or settable timers', () => {
    expect(subjectCapabilities(courseSubject('/x'))).toEqual({
      preVote: false, checkQuorum: false, votedFor: false, events: false, durable: true, electionTimeout: false, heartbeatInterval: false, simulated: false,
    });
  });
  it('an election timeout is settable only when both ends reach the node', () => {
    const base = courseSubject('/x') as CommandSubject;
    const half: CommandSubject = { ...base, launch: { ...base.launch, env: { ...base.launch.env, MIN: '{electionTimeoutMin}' } } };
    expect(subjectCapabilities(half).electionTimeout).toBe(false);
  });
});
