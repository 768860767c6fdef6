import { ConfigError } from '../../../common/src/errors.js';
import { defaultCheckers } from '../checkers/compose.js';
import { didYouMean } from './did-you-mean.js';
import { checkStepIds } from './step-ids.js';
import type { FieldChecks } from '../faults/fault-kind.js';
import { FAULT_KIND_NAMES, FAULT_KINDS, faultKindOf, findFaultKind } from '../faults/registry.js';
import type { FaultSpec, LinkSelector, Scenario, Step, Target } from './types.js';

import { NAMED_TARGETS } from '../nemesis/targets.js';
import { aimAt, aimsAtTrigger, TRIGGER_EVENT_NAMES, TRIGGER_TARGET } from '../faults/trigger.js';

type Obj = Record<string, unknown>;

export { NAMED_TARGETS };
/** Most nodes a cluster can have (`nodes`, `--nodes`); node ids run n1..n15. */
export const MAX_NODES = 15;
/** Fewest nodes a cluster can have: partitions, majorities and an outvoted leader need three. */
export const MIN_NODES = 3;
/** Why fewer than MIN_NODES is refused (the end of the message of every place that checks). */
export const tooFewNodes = `a cluster needs at least ${MIN_NODES} nodes (partitions, majorities and a leader that can be outvoted mean nothing with fewer); give ${MIN_NODES} to ${MAX_NODES}`;
/** A node id: `n<k>`, k from 1 (whether the cluster has it is known only at run time: `--nodes`). */
export const NODE_ID = /^n([1-9][0-9]*)$/;
const MAX_MS = 3_600_000;

const TOP_KEYS = [
  'name', 'description', 'nodes', 'electionTimeout', 'heartbeatInterval', 'rpcTimeout', 'preVote', 'checkQuorum',
  'startDelaysMs', 'warmupMs', 'steps', 'recoveryMs', 'bounds', 'skipChecks',
];
const STEP_KEYS = { wait: ['wait'], fault: ['fault', 'holdMs', 'id', 'on', 'delayMs', 'withinMs'], heal: ['heal'], repeat: ['repeat', 'steps'] } as const;
/** Where a key put at the wrong level belongs. */
const STEP_HINTS: Record<string, string> = Object.fromEntries(
  ['kind', ...new Set(FAULT_KINDS.flatMap((k) => k.fields))].map((k) => [k, `; ${k} goes inside fault`]),
);
const FAULT_HINTS: Record<string, string> = {
  holdMs: '; holdMs goes on the step, beside fault: { fault: {...}, holdMs: 3000 }',
  id: '; id goes on the step, beside fault: { fault: {...}, id: "cut" }',
};

/**
 * Checks that `value` is a well-formed Scenario and returns it typed. Every problem is a
 * ConfigError whose message names the place (`steps[2].fault.holdMs`) and what was expected,
 * so a hand-written scenario file can be fixed without reading this code. Unknown keys are
 * refused at every level (with the nearest known one when it is a near miss), as are
 * `skipChecks` that name no checker and heals of ids no earlier step started. Node ids must be
 * `n<k>`; whether the cluster has them depends on `--nodes`, so `checkNodesFit` (node-refs.ts)
 * checks that once the size is known.
 */
export function validateScenario(value: unknown, source = 'scenario'): Scenario {
  const v = new Validator(source);
  const s = v.object(value, '');
  // `$schema` (the file's JSON Schema, for editors) is allowed but not listed as a field.
  const { $schema, ...fields } = s;
  v.knownKeys(fields, '', TOP_KEYS, 'a scenario');
  if ($schema !== undefined) v.string($schema, '$schema');
  v.string(s.name, 'name', /^[a-z0-9][a-z0-9-]*$/);
  v.string(s.description, 'description');
  if (s.nodes !== undefined) {
    if (typeof s.nodes === 'number' && Number.isInteger(s.nodes) && s.nodes >= 1 && s.nodes < MIN_NODES) v.fail('nodes', `is ${s.nodes}: ${tooFewNodes}`);
    v.int(s.nodes, 'nodes', MIN_NODES, MAX_NODES);
  }
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
    const bounds = ['electionMs', 'stepDownMs', 'recoveryMs'];
    for (const [k, x] of Object.entries(b)) {
      if (!bounds.includes(k)) v.fail(`bounds.${k}`, `is not a bound (${bounds.join(', ')})${didYouMean(k, bounds)}`);
      v.int(x, `bounds.${k}`, 1, MAX_MS);
    }
  }
  if (s.startDelaysMs !== undefined) {
    const d = v.object(s.startDelaysMs, 'startDelaysMs');
    for (const [k, x] of Object.entries(d)) {
      v.nodeId(k, `startDelaysMs.${k}`);
      v.int(x, `startDelaysMs.${k}`, 1, MAX_MS);
    }
  }
  if (s.skipChecks !== undefined) {
    const sc = v.object(s.skipChecks, 'skipChecks');
    const checks = defaultCheckers.map((c) => c.name);
    for (const [k, x] of Object.entries(sc)) {
      if (!checks.includes(k)) v.fail(`skipChecks.${k}`, `is not a check${didYouMean(k, checks)}; the checks are ${checks.join(', ')}`);
      v.string(x, `skipChecks.${k}`);
    }
  }
  v.steps(s.steps, 'steps');
  checkStepIds(s.steps as Step[], (path, why) => v.fail(path, why));
  return value as Scenario;
}

class Validator implements FieldChecks {
  constructor(private readonly source: string) {}

  fail(path: string, why: string): never {
    throw new ConfigError(`${this.source}: ${path || 'the scenario'} ${why}`);
  }
  /** Refuses keys of `o` not in `allowed`, naming the near miss or where the key belongs. */
  knownKeys(o: Obj, path: string, allowed: readonly string[], what: string, hints: Record<string, string> = {}): void {
    for (const k of Object.keys(o)) {
      if (allowed.includes(k)) continue;
      const hint = didYouMean(k, allowed) || (hints[k] ?? '');
      this.fail(path ? `${path}.${k}` : k, `is not a field of ${what}${hint}; its fields are ${allowed.join(', ')}`);
    }
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
  /** One of `choices`, naming them all (and the near miss) otherwise. */
  oneOf(x: unknown, path: string, choices: readonly string[]): void {
    if (typeof x === 'string' && choices.includes(x)) return;
    const hint = typeof x === 'string' ? didYouMean(x, choices) : '';
    this.fail(path, `must be ${choices.length > 2 ? 'one of ' : ''}${orList(choices)}; got ${show(x)}${hint}`);
  }
  nodeId(x: string, path: string): void {
    const k = NODE_ID.exec(x)?.[1];
    if (k === undefined) this.fail(path, `must name a node n1..n${MAX_NODES}; got ${show(x)}`);
    if (Number(k) > MAX_NODES) this.fail(path, `names ${x}, but a cluster has at most ${MAX_NODES} nodes (n1..n${MAX_NODES})`);
  }
  steps(x: unknown, path: string): void {
    const steps = this.array(x, path);
    steps.forEach((st, i) => this.step(st, `${path}[${i}]`));
  }
  step(x: unknown, path: string): asserts x is Step {
    const s = this.object(x, path);
    const kinds = Object.keys(STEP_KEYS) as (keyof typeof STEP_KEYS)[];
    const kind = kinds.find((k) => k in s);
    if (kind === undefined) {
      const hint = Object.keys(s).map((k) => didYouMean(k, kinds)).find(Boolean) ?? '';
      this.fail(path, `must have one of wait, fault, heal or repeat; got keys ${show(Object.keys(s))}${hint}`);
    }
    const other = kinds.find((k) => k !== kind && k in s);
    if (other !== undefined) this.fail(path, `has both ${kind} and ${other}; a step is one of wait, fault, heal or repeat`);
    this.knownKeys(s, path, STEP_KEYS[kind], `a ${kind} step`, kind === 'fault' ? STEP_HINTS : {});
    if (kind === 'wait') {
      this.int(s.wait, `${path}.wait`, 0, MAX_MS);
    } else if (kind === 'fault') {
      const triggered = s.on !== undefined;
      if (triggered) this.trigger(s, path);
      for (const k of ['delayMs', 'withinMs']) {
        if (!triggered && s[k] !== undefined) this.fail(`${path}.${k}`, `is for a step fired by a node event: add on: { event: ${TRIGGER_EVENT_NAMES.join(' | ')} }`);
      }
      if (!triggered && typeof s.fault === 'object' && s.fault !== null && aimsAtTrigger(s.fault as FaultSpec)) {
        this.fail(`${path}.fault`, `aims at "${TRIGGER_TARGET}" (the node whose event fires the step), but the step has no on: { event }`);
      }
      // `trigger` is a target only here: checked as a named target would be.
      this.fault(triggered && typeof s.fault === 'object' && s.fault !== null ? aimAt(s.fault as FaultSpec, 'leader') : s.fault, `${path}.fault`);
      if (s.holdMs !== undefined) this.int(s.holdMs, `${path}.holdMs`, 0, MAX_MS);
      if (s.id !== undefined) this.string(s.id, `${path}.id`);
      if (faultKindOf(s.fault as FaultSpec).run) {
        for (const k of ['holdMs', 'id']) {
          if (s[k] !== undefined) this.fail(`${path}.${k}`, `does nothing on a ${(s.fault as FaultSpec).kind.replace(/-/g, ' ')}: it heals each node itself before the next; drop it`);
        }
      }
    } else if (kind === 'heal') {
      this.string(s.heal, `${path}.heal`);
    } else {
      this.int(s.repeat, `${path}.repeat`, 1, 10_000);
      this.steps(s.steps, `${path}.steps`);
    }
  }
  /** `on`, `delayMs`, `withinMs` of a fault step fired by a node event (runner/triggers.ts). */
  trigger(s: Record<string, unknown>, path: string): void {
    const on = this.object(s.on, `${path}.on`);
    this.knownKeys(on, `${path}.on`, ['event', 'node'], 'a trigger');
    this.oneOf(on.event, `${path}.on.event`, TRIGGER_EVENT_NAMES);
    if (on.node !== undefined && on.node !== 'any') {
      if (typeof on.node !== 'string' || !NODE_ID.test(on.node)) this.fail(`${path}.on.node`, `must be "any" or a node id (n1, n2, ...); got ${show(on.node)}`);
      this.nodeId(on.node, `${path}.on.node`);
    }
    const d = s.delayMs;
    if (Array.isArray(d)) {
      if (d.length !== 2) this.fail(`${path}.delayMs`, `must be a number of ms or a range [min, max]; got ${show(d)}`);
      this.int(d[0], `${path}.delayMs[0]`, 0, MAX_MS);
      this.int(d[1], `${path}.delayMs[1]`, d[0] as number, MAX_MS);
    } else if (d !== undefined) this.int(d, `${path}.delayMs`, 0, MAX_MS);
    if (s.withinMs !== undefined) this.int(s.withinMs, `${path}.withinMs`, 1, MAX_MS);
    if (typeof s.fault === 'object' && s.fault !== null && 'kind' in s.fault && findFaultKind(String(s.fault.kind))?.run) {
      this.fail(`${path}.on`, `a ${String(s.fault.kind)} runs on its own schedule: it cannot be fired by a node event`);
    }
  }
  target(x: unknown, path: string): asserts x is Target {
    if (typeof x === 'string' && NAMED_TARGETS.includes(x)) return;
    if (typeof x === 'string' && NODE_ID.test(x)) return this.nodeId(x, path);
    if (Array.isArray(x) && x.length > 0 && x.every((n) => typeof n === 'string')) {
      x.forEach((n: string, i) => this.nodeId(n, `${path}[${i}]`));
      return;
    }
    const hint = typeof x === 'string' ? didYouMean(x, NAMED_TARGETS) : '';
    this.fail(path, `must be a node id (n1, n2, ...), a list of ids, or one of ${NAMED_TARGETS.join(', ')}; got ${show(x)}${hint}`);
  }
  links(x: unknown, path: string): asserts x is LinkSelector {
    if (x === 'all') return;
    const l = this.object(x, path);
    this.knownKeys(l, path, ['around', 'from', 'to'], 'a link selector');
    if ('around' in l) {
      this.knownKeys(l, path, ['around'], 'a link selector {around}');
      return this.target(l.around, `${path}.around`);
    }
    if ('from' in l && 'to' in l) {
      this.target(l.from, `${path}.from`);
      this.target(l.to, `${path}.to`);
      return;
    }
    this.fail(path, `must be "all", {around: target} or {from: target, to: target}; got ${show(x)}`);
  }
  fault(x: unknown, path: string): asserts x is FaultSpec {
    const f = this.object(x, path);
    this.oneOf(f.kind, `${path}.kind`, FAULT_KIND_NAMES);
    const kind = findFaultKind(f.kind as string)!;
    this.knownKeys(f, path, ['kind', ...kind.fields], `a ${kind.kind} fault`, { ...FAULT_HINTS, ...kind.hints });
    kind.validate(f, path, this);
  }
  bool(x: unknown, path: string): void {
    if (typeof x !== 'boolean') this.fail(path, 'must be true or false');
  }
  show(x: unknown): string {
    return show(x);
  }
}

/** `a`, `a or b`, `a, b or c`. */
function orList(xs: readonly string[]): string {
  return xs.length === 1 ? JSON.stringify(xs[0]) : `${xs.slice(0, -1).join(', ')} or ${xs[xs.length - 1]}`;
}

function show(x: unknown): string {
  if (x === undefined) return 'nothing';
  const s = JSON.stringify(x);
  return s === undefined ? String(x) : s.length > 60 ? `${s.slice(0, 57)}...` : s;
}
