import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { subjectCapabilities } from './capabilities.js';
import { raftChaosSubject } from './raft-chaos.js';
import { resolveSubject, subjectArgs } from './resolve.js';

const dir = mkdtempSync(path.join(tmpdir(), 'subject-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const repo = path.resolve(import.meta.dirname, '../../..');

function file(name: string, content: unknown): string {
  const f = path.join(dir, name);
  writeFileSync(f, typeof content === 'string' ? content : JSON.stringify(content));
  return f;
}

describe('resolveSubject', () => {
  it('is our own node by default and by name, and refuses --node-command for it', () => {
    expect(resolveSubject(undefined)).toBe(raftChaosSubject);
    expect(resolveSubject('raft-chaos')).toBe(raftChaosSubject);
    expect(() => resolveSubject(undefined, { nodeCommand: 'python3 x.py' })).toThrow(/--node-command needs --subject course or a subject file/);
  });

  it('course needs --node-command, which runs from the harness directory', () => {
    expect(() => resolveSubject('course')).toThrow(ConfigError);
    expect(() => resolveSubject('course')).toThrow(/subject course says neither how to start a process nor which image to run: give --node-command/);
    const s = resolveSubject('course', { nodeCommand: 'python3 node.py', cwd: '/work/me' });
    expect(s.launch).toMatchObject({ kind: 'command', command: ['python3', 'node.py'], commandText: 'python3 node.py', cwd: '/work/me', peers: 'host:port' });
    expect(() => resolveSubject('course', { nodeCommand: 'node x.mjs --data {datadir}' })).toThrow(/--node-command: \{datadir\} is not a template \(did you mean "dataDir"\?\)/);
  });

  it('refuses an unknown name with the near miss and the built-ins', () => {
    expect(() => resolveSubject('cource')).toThrow(/^--subject: unknown subject "cource" \(did you mean "course"\?\)\. Built in: raft-chaos, course; or give the path of a subject file/);
  });

  it('reads a minimal file: every field left out is the course subject\'s; cwd is the file\'s folder', () => {
    const f = file('My Node.json', { launch: { command: ['python3', 'node.py', '--id', '{id}'] } });
    const s = resolveSubject(f);
    expect(s.name).toBe('my-node');
    expect(s.source).toBe(f);
    expect(s.launch).toMatchObject({ command: ['python3', 'node.py', '--id', '{id}'], cwd: dir, env: { NODE_ID: '{id}', PEERS: '{peers}' } });
    expect(s.status.fields).toEqual({ state: 'state', term: 'term', leader: 'leader', id: 'id' });
    expect(s.implements).toEqual({ preVote: false, checkQuorum: false });
    expect(subjectArgs(s)).toEqual(['--subject', f]);
  });

  it('--node-command replaces a file\'s command; a relative path resolves against cwd', () => {
    file('imaged.json', { name: 'imaged', launch: { image: 'me/node:1', env: { ID: '{id}' } } });
    const s = resolveSubject('./imaged.json', { cwd: dir, nodeCommand: 'java -jar node.jar' });
    expect(s.launch).toMatchObject({ command: ['java', '-jar', 'node.jar'], image: 'me/node:1', env: { ID: '{id}' }, cwd: dir });
    expect(subjectArgs(s, 'java -jar node.jar')).toEqual(['--subject', path.join(dir, 'imaged.json'), '--node-command', 'java -jar node.jar']);
  });

  it('reads a full file', () => {
    const f = file('etcd-like.json', {
      name: 'etcd-like',
      description: 'a node with its own status shape',
      launch: { command: "./raftd --id {id} --peers '{peers}' --election {electionTimeoutMin}-{electionTimeoutMax}", env: {}, peers: 'id=http://host:port', cwd: 'bin' },
      ready: { path: '/health', timeoutMs: 30000 },
      stop: { signal: 'SIGINT', graceMs: 500 },
      status: {
        path: '/debug/raft',
        fields: { state: 'raft.state', term: 'raft.term', leader: 'raft.lead', votedFor: 'raft.vote' },
        states: { StateFollower: 'follower', StatePreCandidate: 'follower', StateCandidate: 'candidate', StateLeader: 'leader' },
        noLeader: [0],
      },
      events: { path: '/events' },
      durable: false,
      implements: { preVote: true, checkQuorum: true },
    });
    const s = resolveSubject(f);
    expect(s.launch).toMatchObject({ command: ['./raftd', '--id', '{id}', '--peers', '{peers}', '--election', '{electionTimeoutMin}-{electionTimeoutMax}'], cwd: path.join(dir, 'bin') });
    expect(s.ready).toEqual({ path: '/health', timeoutMs: 30000 });
    expect(s.stop).toEqual({ signal: 'SIGINT', graceMs: 500 });
    expect(subjectCapabilities(s)).toEqual({
      preVote: true, checkQuorum: true, votedFor: true, events: true, durable: false, electionTimeout: true, heartbeatInterval: false, simulated: false,
    });
  });

  it.each([
    [{ launch: { command: 'x' }, colour: 'red' }, /: colour is not a field of a subject; its fields are name, description, launch/],
    [{ lunch: { command: 'x' } }, /: lunch is not a field of a subject \(did you mean "launch"\?\)/],
    [{ launch: { comand: 'x' } }, /: launch\.comand is not a field of launch \(did you mean "command"\?\)/],
    [{ launch: { command: 'x', peers: 'host-port' } }, /launch\.peers must be one of host:port, id=host:port, id=http:\/\/host:port; got "host-port"/],
    [{ launch: { command: 'x --dir {data_dir}' } }, /launch\.command\[2\]: \{data_dir\} is not a template \(did you mean "dataDir"\?\)/],
    [{ launch: { command: 'x', env: { PORT: 4000 } } }, /launch\.env\.PORT must be a string, got 4000/],
    [{ launch: { command: 'x', env: { 'MY-VAR': 'a' } } }, /launch\.env\.MY-VAR is not a valid environment variable name/],
    [{ launch: { command: [] } }, /launch\.command must be a command line or a non-empty array of words/],
    [{ launch: { command: 'x | y' } }, /launch\.command: "\|" would reach the program as an argument/],
    [{ launch: { command: 'x' }, status: { fields: { state: 'role', term: 'term' } } }, /status\.fields\.leader is missing/],
    [{ launch: { command: 'x' }, status: { fields: { state: 'role', term: 'term', leader: 'leader', votedfor: 'v' } } }, /status\.fields\.votedfor is not a field of status\.fields \(did you mean "votedFor"\?\)/],
    [{ launch: { command: 'x' }, status: { states: { LEADER: 'leader', FOLLOWER: 'follower' } } }, /status\.states maps no value to candidate/],
    [{ launch: { command: 'x' }, status: { states: { LEADER: 'boss' } } }, /status\.states\.LEADER must be one of follower, candidate, leader; got "boss"/],
    [{ launch: { command: 'x' }, status: { path: 'status' } }, /status\.path must match/],
    [{ launch: { command: 'x' }, stop: { signal: 'SIGTREM' } }, /stop\.signal must be one of SIGTERM.*got "SIGTREM" \(did you mean "SIGTERM"\?\)/],
    [{ launch: { command: 'x' }, ready: { path: '/status', timeoutMs: 5 } }, /ready\.timeoutMs must be a whole number from 100 to 600000, got 5/],
    [{ launch: { command: 'x' }, implements: { preVote: 'yes' } }, /implements\.preVote must be true or false/],
    [{ launch: { command: 'x' }, implements: { checkquorum: true } }, /implements\.checkquorum is not a field of implements \(did you mean "checkQuorum"\?\)/],
    [{ launch: { command: 'x' }, events: { path: '/events', since: 0 } }, /events\.since is not a field of events/],
    [{ name: 'Bad Name', launch: { command: 'x' } }, /name must match/],
    [{ launch: { env: {} } }, /says neither how to start a process nor which image to run/],
    [[], /the subject must be an object/],
  ])('refuses a bad file with a message naming the place (%#)', (content, message) => {
    const f = file('bad.json', content);
    expect(() => resolveSubject(f)).toThrow(ConfigError);
    expect(() => resolveSubject(f)).toThrow(message);
  });

  it('names a missing or unreadable file', () => {
    expect(() => resolveSubject(path.join(dir, 'none.json'))).toThrow(/subject file .*none\.json does not exist/);
    const f = file('broken.json', '{ "launch": ');
    expect(() => resolveSubject(f)).toThrow(/cannot read subject file .*broken\.json: /);
  });

  it('accepts the example subject files shipped in examples/subjects', () => {
    for (const v of ['ts', 'py']) {
      const s = resolveSubject(path.join(repo, `examples/subjects/course-node-${v}.json`));
      expect(s.name).toBe(`course-node-${v}`);
      expect(s.launch).toMatchObject({ cwd: path.join(repo, `examples/course-node-${v}`) });
      expect(subjectCapabilities(s)).toMatchObject({ votedFor: true, events: false, electionTimeout: true, heartbeatInterval: true, preVote: false, checkQuorum: false });
    }
  });
});
