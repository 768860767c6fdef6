import path from 'node:path';
import { ConfigError } from '../../../common/src/errors.js';
import { didYouMean } from '../../../common/src/did-you-mean.js';
import { splitCommand } from './command-words.js';
import { courseSubject } from './course.js';
import { templatesIn } from './templates.js';
import { PEER_FORMATS, STOP_SIGNALS, type CommandLaunch, type NodeRole, type StatusSpec, type Subject } from './types.js';

type Obj = Record<string, unknown>;

const KEYS = {
  subject: ['name', 'description', 'launch', 'ready', 'stop', 'status', 'events', 'durable', 'implements'],
  launch: ['command', 'image', 'env', 'peers', 'cwd'],
  ready: ['path', 'timeoutMs'],
  stop: ['signal', 'graceMs'],
  status: ['path', 'fields', 'states', 'noLeader'],
  fields: ['state', 'term', 'leader', 'votedFor', 'id'],
  events: ['path'],
  implements: ['preVote', 'checkQuorum'],
} as const;
const ROLES: readonly NodeRole[] = ['follower', 'candidate', 'leader'];

/**
 * Checks the JSON of a subject file (docs/subjects.md) and returns the Subject. Every field
 * left out is the `course` subject's (`launch.env` given replaces the course's whole), so
 * `{"launch": {"command": "python3 node.py"}}` is a complete file. `name` defaults to the
 * file's base name; a relative `launch.cwd` and the default cwd are the file's folder
 * (`fileDir`). Throws ConfigError naming `source` and the place (`status.fields.term`): unknown
 * keys at every level (with the near miss), unknown templates, bad paths, signals, formats.
 */
export function validateSubjectFile(value: unknown, source: string, fileDir: string): Subject {
  const v = new Check(source);
  const s = v.object(value, '');
  v.keys(s, '', KEYS.subject, 'a subject');
  const course = courseSubject(fileDir);
  const name = s.name === undefined ? defaultName(source) : v.string(s.name, 'name', /^[a-z0-9][a-z0-9._-]*$/);
  const status = s.status === undefined ? course.status : v.status(s.status, course.status);
  const ready = v.section(s.ready, 'ready', KEYS.ready);
  const stop = v.section(s.stop, 'stop', KEYS.stop);
  const impl = v.section(s.implements, 'implements', KEYS.implements);
  const events = s.events === undefined ? undefined : v.section(s.events, 'events', KEYS.events);
  return {
    name,
    description: s.description === undefined ? `subject file ${source}` : v.string(s.description, 'description'),
    source,
    launch: s.launch === undefined ? course.launch : v.launch(s.launch, course.launch as CommandLaunch, fileDir),
    ready: {
      path: ready.path === undefined ? status.path : v.urlPath(ready.path, 'ready.path'),
      timeoutMs: ready.timeoutMs === undefined ? course.ready.timeoutMs : v.int(ready.timeoutMs, 'ready.timeoutMs', 100, 600_000),
    },
    stop: {
      signal: stop.signal === undefined ? course.stop.signal : v.oneOf(stop.signal, 'stop.signal', STOP_SIGNALS),
      graceMs: stop.graceMs === undefined ? course.stop.graceMs : v.int(stop.graceMs, 'stop.graceMs', 0, 600_000),
    },
    status,
    ...(events ? { events: { path: v.urlPath(events.path, 'events.path') } } : {}),
    durable: s.durable === undefined ? course.durable : v.bool(s.durable, 'durable'),
    implements: {
      preVote: impl.preVote === undefined ? course.implements.preVote : v.bool(impl.preVote, 'implements.preVote'),
      checkQuorum: impl.checkQuorum === undefined ? course.implements.checkQuorum : v.bool(impl.checkQuorum, 'implements.checkQuorum'),
    },
  };
}

function defaultName(source: string): string {
  const base = path.basename(source).replace(/\.json$/, '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-');
  return /^[a-z0-9]/.test(base) ? base : `subject-${base}`;
}

class Check {
  constructor(private readonly source: string) {}

  fail(where: string, why: string): never {
    throw new ConfigError(`${this.source}: ${where || 'the subject'} ${why}`);
  }
  keys(o: Obj, where: string, allowed: readonly string[], what: string): void {
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k)) this.fail(where ? `${where}.${k}` : k, `is not a field of ${what}${didYouMean(k, allowed)}; its fields are ${allowed.join(', ')}`);
    }
  }
  /** An optional object with known keys: `{}` when absent. */
  section(x: unknown, where: string, allowed: readonly string[]): Obj {
    if (x === undefined) return {};
    const o = this.object(x, where);
    this.keys(o, where, allowed, where);
    return o;
  }
  object(x: unknown, where: string): Obj {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(where, `must be an object, got ${show(x)}`);
    return x as Obj;
  }
  string(x: unknown, where: string, pattern?: RegExp): string {
    if (typeof x !== 'string' || x.length === 0) this.fail(where, `must be a non-empty string, got ${show(x)}`);
    if (pattern && !pattern.test(x)) this.fail(where, `must match ${pattern}, got ${show(x)}`);
    return x;
  }
  bool(x: unknown, where: string): boolean {
    if (typeof x !== 'boolean') this.fail(where, `must be true or false, got ${show(x)}`);
    return x;
  }
  int(x: unknown, where: string, min: number, max: number): number {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) this.fail(where, `must be a whole number from ${min} to ${max}, got ${show(x)}`);
    return x;
  }
  oneOf<T extends string>(x: unknown, where: string, choices: readonly T[]): T {
    if (typeof x === 'string' && (choices as readonly string[]).includes(x)) return x as T;
    this.fail(where, `must be one of ${choices.join(', ')}; got ${show(x)}${typeof x === 'string' ? didYouMean(x, choices) : ''}`);
  }
  urlPath(x: unknown, where: string): string {
    return this.string(x, where, /^\/[^\s?#]*$/);
  }
  launch(x: unknown, course: CommandLaunch, fileDir: string): CommandLaunch {
    const l = this.object(x, 'launch');
    this.keys(l, 'launch', KEYS.launch, 'launch');
    let command: string[] | undefined;
    let commandText: string | undefined;
    if (typeof l.command === 'string') {
      commandText = l.command;
      command = splitCommand(l.command, `${this.source}: launch.command`);
    } else if (l.command !== undefined) {
      if (!Array.isArray(l.command) || l.command.length === 0) this.fail('launch.command', `must be a command line or a non-empty array of words, got ${show(l.command)}`);
      command = l.command.map((w, i) => (typeof w === 'string' ? w : this.fail(`launch.command[${i}]`, `must be a string, got ${show(w)}`)));
    }
    command?.forEach((w, i) => this.templates(w, `launch.command[${i}]`));
    let env = course.env;
    if (l.env !== undefined) {
      const e = this.object(l.env, 'launch.env');
      const filled: Record<string, string> = {};
      env = filled;
      for (const [k, val] of Object.entries(e)) {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(k)) this.fail(`launch.env.${k}`, 'is not a valid environment variable name');
        if (typeof val !== 'string') this.fail(`launch.env.${k}`, `must be a string, got ${show(val)}`);
        this.templates(val, `launch.env.${k}`);
        filled[k] = val;
      }
    }
    return {
      kind: 'command',
      ...(command ? { command } : {}),
      ...(commandText !== undefined ? { commandText } : {}),
      ...(l.image !== undefined ? { image: this.string(l.image, 'launch.image', /^[^\s]+$/) } : {}),
      env,
      peers: l.peers === undefined ? course.peers : this.oneOf(l.peers, 'launch.peers', PEER_FORMATS),
      cwd: l.cwd === undefined ? fileDir : path.resolve(fileDir, this.string(l.cwd, 'launch.cwd')),
    };
  }
  templates(text: string, where: string): void {
    templatesIn(text, `${this.source}: ${where}`);
  }
  status(x: unknown, course: StatusSpec): StatusSpec {
    const st = this.object(x, 'status');
    this.keys(st, 'status', KEYS.status, 'status');
    let fields = course.fields;
    if (st.fields !== undefined) {
      const f = this.object(st.fields, 'status.fields');
      this.keys(f, 'status.fields', KEYS.fields, 'status.fields');
      for (const k of ['state', 'term', 'leader'] as const) if (f[k] === undefined) this.fail(`status.fields.${k}`, `is missing: status.fields names where state, term and leader are (e.g. "${k}" or "raft.${k}")`);
      const field = (k: string) => this.string(f[k], `status.fields.${k}`, /^[^.\s]+(\.[^.\s]+)*$/);
      fields = {
        state: field('state'),
        term: field('term'),
        leader: field('leader'),
        ...(f.votedFor !== undefined ? { votedFor: field('votedFor') } : {}),
        ...(f.id !== undefined ? { id: field('id') } : {}),
      };
    }
    let states = course.states;
    if (st.states !== undefined) {
      const m = this.object(st.states, 'status.states');
      const map: Record<string, NodeRole> = {};
      states = map;
      for (const [raw, role] of Object.entries(m)) map[raw] = this.oneOf(role, `status.states.${raw}`, ROLES);
      for (const role of ROLES) if (!Object.values(states).includes(role)) this.fail('status.states', `maps no value to ${role}; map each state your node reports to follower, candidate or leader`);
    }
    let noLeader = course.noLeader;
    if (st.noLeader !== undefined) {
      if (!Array.isArray(st.noLeader) || !st.noLeader.every((n) => typeof n === 'string' || typeof n === 'number')) {
        this.fail('status.noLeader', `must be an array of strings or numbers (values that mean "no leader" besides null), got ${show(st.noLeader)}`);
      }
      noLeader = st.noLeader as (string | number)[];
    }
    return { path: st.path === undefined ? course.path : this.urlPath(st.path, 'status.path'), fields, states, noLeader };
  }
}

function show(x: unknown): string {
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 60 ? `${s.slice(0, 60)}...` : s;
}
