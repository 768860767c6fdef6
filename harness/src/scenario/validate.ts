import { ConfigError } from '../../../common/src/errors.js';
import type { FaultSpec, LinkSelector, PartitionSpec, Scenario, Step, Target } from './types.js';

type Obj = Record<string, unknown>;

const NAMED_TARGETS = new Set(['leader', 'follower', 'random', 'all', 'minority', 'minority-with-leader', 'majority']);
const MAX_MS = 3_600_000;

/**
 * Checks that `value` is a well-formed Scenario and returns it typed. Every problem is a
 * ConfigError whose message names the place (`steps[2].fault.holdMs`) and what was expected,
 * so a hand-written scenario file can be fixed without reading this code.
 */
export function validateScenario(value: unknown, source = 'scenario'): Scenario {
  const v = new Validator(source);
  const s = v.object(value, '');
  v.string(s.name, 'name', /^[a-z0-9][a-z0-9-]*$/);
  v.string(s.description, 'description');
  if (s.nodes !== undefined) v.int(s.nodes, 'nodes', 1, 15);
  if (s.electionTimeout !== undefined) {
    const r = v.array(s.electionTimeout, 'electionTimeout');
    if (r.length !== 2) v.fail('electionTimeout', 'must be [min, max] in ms');
    const min = v.int(r[0], 'electionTimeout[0]', 1, 60_000);
    const max = v.int(r[1], 'electionTimeout[1]', 1, 60_000);
    if (min > max) v.fail('electionTimeout', `min ${min} is above max ${max}`);
  }
  for (const k of ['heartbeatInterval', 'rpcTimeout', 'warmupMs', 'recoveryMs'] as const) {
    if (s[k] !== undefined) v.int(s[k], k, 1, MAX_MS);
  }
  for (const k of ['preVote', 'checkQuorum'] as const) {
    if (s[k] !== undefined && typeof s[k] !== 'boolean') v.fail(k, 'must be true or false');
  }
  if (s.bounds !== undefined) {
    const b = v.object(s.bounds, 'bounds');
    for (const [k, x] of Object.entries(b)) {
      if (!['electionMs', 'stepDownMs', 'recoveryMs'].includes(k)) v.fail(`bounds.${k}`, 'is not a bound (electionMs, stepDownMs, recoveryMs)');
      v.int(x, `bounds.${k}`, 1, MAX_MS);
    }
  }
  if (s.startDelaysMs !== undefined) {
    const d = v.object(s.startDelaysMs, 'startDelaysMs');
    for (const [k, x] of Object.entries(d)) {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(k)) v.fail(`startDelaysMs.${k}`, 'is not a node id');
      v.int(x, `startDelaysMs.${k}`, 1, MAX_MS);
    }
  }
  if (s.skipChecks !== undefined) {
    const sc = v.object(s.skipChecks, 'skipChecks');
    for (const [k, x] of Object.entries(sc)) v.string(x, `skipChecks.${k}`);
  }
  v.steps(s.steps, 'steps');
  return value as Scenario;
}

class Validator {
  constructor(private readonly source: string) {}

  fail(path: string, why: string): never {
    throw new ConfigError(`${this.source}: ${path || 'the scenario'} ${why}`);
  }
  object(x: unknown, path: string): Obj {
    if (typeof x !== 'object' || x === null || Array.isArray(x)) this.fail(path, `must be an object, got ${show(x)}`);
    return x as Obj;
  }
  array(x: unknown, path: string): unknown[] {
    if (!Array.isArray(x)) this.fail(path, `must be an array, got ${show(x)}`);
    return x;
  }
  string(x: unknown, path: string, pattern?: RegExp): string {
    if (typeof x !== 'string' || x.length === 0) this.fail(path, `must be a non-empty string, got ${show(x)}`);
    if (pattern && !pattern.test(x)) this.fail(path, `must match ${pattern}, got ${show(x)}`);
    return x;
  }
  int(x: unknown, path: string, min: number, max: number): number {
    if (typeof x !== 'number' || !Number.isInteger(x) || x < min || x > max) {
      this.fail(path, `must be a whole number from ${min} to ${max}, got ${show(x)}`);
    }
    return x;
  }
  steps(x: unknown, path: string): void {
    const steps = this.array(x, path);
    steps.forEach((st, i) => this.step(st, `${path}[${i}]`));
  }
  step(x: unknown, path: string): asserts x is Step {
    const s = this.object(x, path);
    if ('wait' in s) {
      this.int(s.wait, `${path}.wait`, 0, MAX_MS);
    } else if ('fault' in s) {
      this.fault(s.fault, `${path}.fault`);
      if (s.holdMs !== undefined) this.int(s.holdMs, `${path}.holdMs`, 0, MAX_MS);
      if (s.id !== undefined) this.string(s.id, `${path}.id`);
    } else if ('heal' in s) {
      this.string(s.heal, `${path}.heal`);
    } else if ('repeat' in s) {
      this.int(s.repeat, `${path}.repeat`, 1, 10_000);
      this.steps(s.steps, `${path}.steps`);
    } else {
      this.fail(path, `must have one of wait, fault, heal or repeat; got keys ${show(Object.keys(s))}`);
    }
  }
  target(x: unknown, path: string): asserts x is Target {
    if (typeof x === 'string' && x.length > 0) return;
    if (Array.isArray(x) && x.length > 0 && x.every((n) => typeof n === 'string' && n.length > 0)) return;
    this.fail(path, `must be a node id, a list of ids, or one of ${[...NAMED_TARGETS].join(', ')}; got ${show(x)}`);
  }
  links(x: unknown, path: string): asserts x is LinkSelector {
    if (x === 'all') return;
    const l = this.object(x, path);
    if ('around' in l) return this.target(l.around, `${path}.around`);
    if ('from' in l && 'to' in l) {
      this.target(l.from, `${path}.from`);
      this.target(l.to, `${path}.to`);
      return;
    }
    this.fail(path, `must be "all", {around: target} or {from: target, to: target}; got ${show(x)}`);
  }
  partition(x: unknown, path: string): asserts x is PartitionSpec {
    const p = this.object(x, path);
    if ('isolate' in p) return this.target(p.isolate, `${path}.isolate`);
    if ('halves' in p) {
      if (!['leader-minority', 'leader-majority', 'random'].includes(p.halves as string)) {
        this.fail(`${path}.halves`, `must be leader-minority, leader-majority or random; got ${show(p.halves)}`);
      }
      return;
    }
    if ('ring' in p) {
      if (p.ring !== 'majorities') this.fail(`${path}.ring`, `must be "majorities"; got ${show(p.ring)}`);
      return;
    }
    if ('bridge' in p) return this.target(p.bridge, `${path}.bridge`);
    if ('groups' in p) {
      if (typeof p.groups === 'string' && p.groups.includes('|')) return;
      if (Array.isArray(p.groups) && p.groups.every((g) => Array.isArray(g))) return;
      this.fail(`${path}.groups`, `must be "n1,n2|n3,n4,n5" or [["n1","n2"],["n3","n4","n5"]]; got ${show(p.groups)}`);
    }
    this.fail(path, `must have one of isolate, halves, ring, bridge or groups; got keys ${show(Object.keys(p))}`);
  }
  fault(x: unknown, path: string): asserts x is FaultSpec {
    const f = this.object(x, path);
    switch (f.kind) {
      case 'partition':
        return this.partition(f.partition, `${path}.partition`);
      case 'one-way':
        this.target(f.target, `${path}.target`);
        if (f.blocks !== 'inbound' && f.blocks !== 'outbound') this.fail(`${path}.blocks`, `must be inbound or outbound; got ${show(f.blocks)}`);
        return;
      case 'latency':
        this.links(f.links, `${path}.links`);
        this.int(f.latencyMs, `${path}.latencyMs`, 0, MAX_MS);
        if (f.jitterMs !== undefined) this.int(f.jitterMs, `${path}.jitterMs`, 0, MAX_MS);
        return;
      case 'bandwidth':
        this.links(f.links, `${path}.links`);
        this.int(f.rateKBps, `${path}.rateKBps`, 0, 10_000_000);
        return;
      case 'timeout':
        this.links(f.links, `${path}.links`);
        if (f.timeoutMs !== undefined) this.int(f.timeoutMs, `${path}.timeoutMs`, 0, MAX_MS);
        return;
      case 'kill':
      case 'stop':
      case 'pause':
        return this.target(f.target, `${path}.target`);
      case 'rolling-restart':
        this.target(f.target, `${path}.target`);
        if (f.graceful !== undefined && typeof f.graceful !== 'boolean') this.fail(`${path}.graceful`, 'must be true or false');
        return;
      default:
        this.fail(
          `${path}.kind`,
          `must be one of partition, one-way, latency, bandwidth, timeout, kill, stop, pause, rolling-restart; got ${show(f.kind)}`,
        );
    }
  }
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
