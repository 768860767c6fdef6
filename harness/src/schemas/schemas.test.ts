import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { FAULT_KIND_NAMES } from '../faults/registry.js';
import { scenarios } from '../../../scenarios/index.js';
import { MAX_NODES, validateScenario } from '../scenario/validate.js';
import { validateSubjectFile } from '../subject/validate.js';
import { generateSchemas, SCHEMA_FILES, schemaText } from './generate.js';

const ROOT = path.resolve(import.meta.dirname, '../../..');
const read = (file: string): unknown => JSON.parse(readFileSync(path.join(ROOT, file), 'utf8'));
// ajv's default strictness: a keyword it does not know fails the compile.
const ajv = new Ajv({ allowUnionTypes: true, allErrors: true });
const scenarioSchema = ajv.compile(read(SCHEMA_FILES.scenario) as object);
const subjectSchema = ajv.compile(read(SCHEMA_FILES.subject) as object);
const SUBJECT_DIR = path.join(ROOT, 'examples/subjects');
/** Every example file of a kind (`examples/scenarios/*.json`), read. */
const examples = (dir: string): Case[] =>
  readdirSync(path.join(ROOT, dir)).filter((f) => f.endsWith('.json')).map((f): Case => [`${dir}/${f}`, read(`${dir}/${f}`)]);

type Case = readonly [label: string, file: unknown];
/** A file only the runtime refuses, and what its message must say. */
type RuntimeOnly = readonly [label: string, file: unknown, why: RegExp];

/** Whether the runtime validator accepts `file`; throws for anything but a ConfigError. */
function runtimeAccepts(validate: (x: unknown) => unknown, file: unknown): boolean {
  try {
    validate(file);
    return true;
  } catch (err) {
    if (err instanceof ConfigError) return false;
    throw err;
  }
}
const scenarioRuntime = (x: unknown) => validateScenario(x, 'case.json');
const subjectRuntime = (x: unknown) => validateSubjectFile(x, 'case.json', SUBJECT_DIR);

function verdicts(schema: ValidateFunction, runtime: (x: unknown) => unknown, file: unknown): { schema: boolean; runtime: boolean } {
  return { schema: schema(file) as boolean, runtime: runtimeAccepts(runtime, file) };
}

// ---------------------------------------------------------------- scenario files
const base = { name: 'x', description: 'd', steps: [] as unknown[] };
const withStep = (step: unknown) => ({ ...base, steps: [step] });
const withFault = (fault: unknown, extra: object = {}) => withStep({ fault, ...extra });

const goodScenarios: Case[] = [
  ...scenarios.map((s): Case => [`named scenario ${s.name}`, JSON.parse(JSON.stringify(s))]),
  ...examples('examples/scenarios'),
  ['$schema key', { $schema: '../../schemas/scenario.schema.json', ...base }],
  ['every top-level field', {
    ...base, nodes: 5, electionTimeout: [150, 300], heartbeatInterval: 50, rpcTimeout: 100, preVote: false, checkQuorum: true,
    startDelaysMs: { n2: 1500, n15: 1 }, warmupMs: 5000, recoveryMs: 2000, bounds: { electionMs: 900 }, skipChecks: { 'stable-leadership': 'flaps' },
  }],
  ['wait 0', withStep({ wait: 0 })],
  ['repeat', withStep({ repeat: 3, steps: [{ wait: 10 }, { heal: 'all' }] })],
  ['held fault and heal by id', { ...base, steps: [{ fault: { kind: 'kill', target: 'leader' }, id: 'k' }, { heal: 'k' }] }],
  ['target list', withFault({ kind: 'pause', target: ['n1', 'n3'] }, { holdMs: 100 })],
  ['every named target', { ...base, steps: ['leader', 'follower', 'random', 'all', 'minority', 'minority-with-leader', 'majority'].map((t) => ({ fault: { kind: 'stop', target: t }, holdMs: 1 })) }],
  ['one-way', withFault({ kind: 'one-way', target: 'n2', blocks: 'inbound' })],
  ['latency around', withFault({ kind: 'latency', links: { around: 'leader' }, latencyMs: 20, jitterMs: 5 })],
  ['latency from/to', withFault({ kind: 'latency', links: { from: 'n1', to: ['n2', 'n3'] }, latencyMs: 0 })],
  ['timeout all', withFault({ kind: 'timeout', links: 'all' })],
  ['bandwidth 0', withFault({ kind: 'bandwidth', links: 'all', rateKBps: 0 })],
  ['reset', withFault({ kind: 'reset', links: 'all', timeoutMs: 10 })],
  ['rolling restart', withFault({ kind: 'rolling-restart', target: 'all', graceful: false })],
  ['partition isolate', withFault({ kind: 'partition', partition: { isolate: 'leader' } })],
  ['partition halves', withFault({ kind: 'partition', partition: { halves: 'random' } })],
  ['partition ring', withFault({ kind: 'partition', partition: { ring: 'majorities' } })],
  ['partition bridge', withFault({ kind: 'partition', partition: { bridge: 'n3' } })],
  ['partition groups text', withFault({ kind: 'partition', partition: { groups: 'n1, n2 | n3,n4,n5' } })],
  ['partition groups arrays', withFault({ kind: 'partition', partition: { groups: [['n1'], ['n2', 'n3']] } })],
  ['triggered kill of the trigger', withFault({ kind: 'kill', target: 'trigger' }, { on: { event: 'vote-granted', node: 'any' }, delayMs: [0, 5], withinMs: 2000, holdMs: 300 })],
  ['triggered isolate of the trigger', withFault({ kind: 'partition', partition: { isolate: 'trigger' } }, { on: { event: 'campaign' }, delayMs: 3 })],
  ['triggered latency on links from the trigger', withFault({ kind: 'latency', links: { from: 'trigger', to: 'all' }, latencyMs: 200 }, { on: { event: 'pre-campaign', node: 'n2' } })],
  ['triggered one-way of the trigger', withFault({ kind: 'one-way', target: 'trigger', blocks: 'inbound' }, { on: { event: 'become-leader', node: 'n15' } })],
];

const badScenarios: Case[] = [
  ['not an object', []],
  ['missing name', { description: 'd', steps: [] }],
  ['missing description', { name: 'x', steps: [] }],
  ['missing steps', { name: 'x', description: 'd' }],
  ['unknown top-level key', { ...base, node: 3 }],
  ['$schema not a string', { ...base, $schema: 1 }],
  ['name not kebab-case', { ...base, name: 'Bad Name' }],
  ['empty description', { ...base, description: '' }],
  ['nodes a string', { ...base, nodes: '3' }],
  ['nodes 2', { ...base, nodes: 2 }],
  ['nodes 16', { ...base, nodes: 16 }],
  ['nodes 3.5', { ...base, nodes: 3.5 }],
  ['electionTimeout of one', { ...base, electionTimeout: [150] }],
  ['electionTimeout of three', { ...base, electionTimeout: [1, 2, 3] }],
  ['electionTimeout above 60000', { ...base, electionTimeout: [150, 60001] }],
  ['electionTimeout 0', { ...base, electionTimeout: [0, 10] }],
  ['heartbeatInterval 0', { ...base, heartbeatInterval: 0 }],
  ['rpcTimeout above an hour', { ...base, rpcTimeout: 3_600_001 }],
  ['warmupMs a string', { ...base, warmupMs: '5s' }],
  ['preVote a string', { ...base, preVote: 'yes' }],
  ['unknown bound', { ...base, bounds: { electionMS: 10 } }],
  ['bound 0', { ...base, bounds: { stepDownMs: 0 } }],
  ['startDelaysMs bad node id', { ...base, startDelaysMs: { node2: 100 } }],
  ['startDelaysMs n16', { ...base, startDelaysMs: { n16: 100 } }],
  ['startDelaysMs n0', { ...base, startDelaysMs: { n0: 100 } }],
  ['startDelaysMs 0 ms', { ...base, startDelaysMs: { n2: 0 } }],
  ['skipChecks unknown check', { ...base, skipChecks: { 'no-such-check': 'why' } }],
  ['skipChecks reason a number', { ...base, skipChecks: { 'stable-leadership': 1 } }],
  ['steps not an array', { ...base, steps: {} }],
  ['step of no kind', withStep({ sleep: 5 })],
  ['step of two kinds', withStep({ wait: 5, heal: 'all' })],
  ['unknown key on a wait step', withStep({ wait: 5, holdMs: 1 })],
  ['wait negative', withStep({ wait: -1 })],
  ['wait fractional', withStep({ wait: 1.5 })],
  ['holdMs above an hour', withFault({ kind: 'kill', target: 'leader' }, { holdMs: 3_600_001 })],
  ['empty id', withFault({ kind: 'kill', target: 'leader' }, { id: '' })],
  ['heal a number', withStep({ heal: 1 })],
  ['empty heal', withStep({ heal: '' })],
  ['repeat 0', withStep({ repeat: 0, steps: [] })],
  ['repeat without steps', withStep({ repeat: 2 })],
  ['bad step inside repeat', withStep({ repeat: 2, steps: [{ wait: 'x' }] })],
  ['fault without kind', withFault({ target: 'leader' })],
  ['unknown fault kind', withFault({ kind: 'explode', target: 'leader' })],
  ['unknown key in a fault', withFault({ kind: 'kill', target: 'leader', holdMs: 5 })],
  ['fault missing its target', withFault({ kind: 'kill' })],
  ['unknown target word', withFault({ kind: 'kill', target: 'leaderr' })],
  ['node id n16', withFault({ kind: 'kill', target: 'n16' })],
  ['node id n01', withFault({ kind: 'kill', target: 'n01' })],
  ['empty target list', withFault({ kind: 'kill', target: [] })],
  ['named target in a list', withFault({ kind: 'kill', target: ['leader'] })],
  ['target a number', withFault({ kind: 'kill', target: 1 })],
  ['one-way bad blocks', withFault({ kind: 'one-way', target: 'n1', blocks: 'both' })],
  ['latency missing latencyMs', withFault({ kind: 'latency', links: 'all' })],
  ['latency negative', withFault({ kind: 'latency', links: 'all', latencyMs: -1 })],
  ['jitter above an hour', withFault({ kind: 'latency', links: 'all', latencyMs: 1, jitterMs: 3_600_001 })],
  ['bandwidth above its max', withFault({ kind: 'bandwidth', links: 'all', rateKBps: 10_000_001 })],
  ['links a word', withFault({ kind: 'timeout', links: 'some' })],
  ['links from without to', withFault({ kind: 'timeout', links: { from: 'n1' } })],
  ['links around with from', withFault({ kind: 'timeout', links: { around: 'n1', from: 'n2' } })],
  ['links unknown key', withFault({ kind: 'timeout', links: { near: 'n1' } })],
  ['graceful a string', withFault({ kind: 'rolling-restart', target: 'all', graceful: 'yes' })],
  ['partition of no shape', withFault({ kind: 'partition', partition: {} })],
  ['partition of two shapes', withFault({ kind: 'partition', partition: { isolate: 'n1', bridge: 'n2' } })],
  ['partition key beside it', withFault({ kind: 'partition', isolate: 'n1' })],
  ['halves bad word', withFault({ kind: 'partition', partition: { halves: 'even' } })],
  ['ring bad word', withFault({ kind: 'partition', partition: { ring: 'minorities' } })],
  ['groups text of one side', withFault({ kind: 'partition', partition: { groups: 'n1,n2' } })],
  ['groups text with an empty side', withFault({ kind: 'partition', partition: { groups: 'n1||n2' } })],
  ['groups text with a bad id', withFault({ kind: 'partition', partition: { groups: 'n1|x2' } })],
  ['groups with an empty side', withFault({ kind: 'partition', partition: { groups: [['n1'], []] } })],
  ['groups no sides', withFault({ kind: 'partition', partition: { groups: [] } })],
  ['groups side of numbers', withFault({ kind: 'partition', partition: { groups: [[1], ['n2']] } })],
  ['trigger in a list of ids', withFault({ kind: 'kill', target: ['trigger', 'n2'] }, { on: { event: 'term' } })],
  ['trigger target misspelt', withFault({ kind: 'kill', target: 'triger' }, { on: { event: 'term' } })],
  ['trigger of an unknown event', withFault({ kind: 'kill', target: 'trigger' }, { on: { event: 'vote' } })],
  ['trigger node not an id', withFault({ kind: 'kill', target: 'leader' }, { on: { event: 'term', node: 'node1' } })],
  ['trigger node n16', withFault({ kind: 'kill', target: 'leader' }, { on: { event: 'term', node: 'n16' } })],
  ['trigger unknown key', withFault({ kind: 'kill', target: 'trigger' }, { on: { event: 'term', nodes: 'n1' } })],
];

/**
 * Rules only the runtime validator holds (JSON Schema cannot say them, or the generated one does
 * not): the schema accepts these files, the runtime refuses them. A case moving out of this list
 * (the schema learnt the rule) fails the test until it is moved to badScenarios.
 */
const runtimeOnlyScenarios: RuntimeOnly[] = [
  ['electionTimeout min above max', { ...base, electionTimeout: [300, 150] }, /min 300 is above max 150/],
  ['heal of an id no earlier step started', withStep({ heal: 'nope' }), /steps\[0\]\.heal/],
  ['two fault steps with one id', { ...base, steps: [{ fault: { kind: 'kill', target: 'n1' }, id: 'a' }, { fault: { kind: 'kill', target: 'n2' }, id: 'a' }] }, /steps\[1\]\.id/],
  ['holdMs on a rolling restart (it heals each node itself)', withFault({ kind: 'rolling-restart', target: 'all' }, { holdMs: 100 }), /holdMs does nothing on a rolling restart/],
  ['a node in two sides of groups', withFault({ kind: 'partition', partition: { groups: [['n1'], ['n1', 'n2']] } }), /names n1 in more than one side/],
  ['the target trigger in a step no node event fires', withFault({ kind: 'kill', target: 'trigger' }), /aims at "trigger".*no on: \{ event \}/],
  ['delayMs without on', withFault({ kind: 'kill', target: 'leader' }, { delayMs: 5 }), /delayMs is for a step fired by a node event/],
  ['a rolling restart fired by a node event', withFault({ kind: 'rolling-restart', target: 'all' }, { on: { event: 'term' } }), /runs on its own schedule: it cannot be fired by a node event/],
];

// ---------------------------------------------------------------- subject files
const goodSubjects: Case[] = [
  ...examples('examples/subjects'),
  ['empty (all defaults)', {}],
  ['$schema key', { $schema: '../../schemas/subject.schema.json' }],
  ['command words', { launch: { command: ['node', 'x.mjs', '--port={port}', '{{literal}}'] } }],
  ['image only', { launch: { image: 'ghcr.io/x/y:1' } }],
  ['status fields and states', { status: { path: '/s', fields: { state: 'raft.state', term: 'term', leader: 'leader' }, states: { '0': 'follower', '1': 'candidate', '2': 'leader' }, noLeader: ['', 0] } }],
  ['events', { events: { path: '/events' } }],
];

const badSubjects: Case[] = [
  ['not an object', 'course'],
  ['unknown top-level key', { launch: {}, lunch: {} }],
  ['$schema not a string', { $schema: true }],
  ['name with spaces', { name: 'my node' }],
  ['empty description', { description: '' }],
  ['launch not an object', { launch: 'node x' }],
  ['unknown launch key', { launch: { cmd: 'node x' } }],
  ['empty command words', { launch: { command: [] } }],
  ['command word a number', { launch: { command: ['node', 1] } }],
  ['unknown template in command', { launch: { command: 'node x --port {prt}' } }],
  ['lone brace in env', { launch: { env: { A: '{id' } } }],
  ['bad env name', { launch: { env: { '1A': 'x' } } }],
  ['env value a number', { launch: { env: { PORT: 1 } } }],
  ['image with a space', { launch: { image: 'a b' } }],
  ['bad peers format', { launch: { peers: 'host' } }],
  ['empty cwd', { launch: { cwd: '' } }],
  ['ready.path without a slash', { ready: { path: 'status' } }],
  ['ready.timeoutMs below 100', { ready: { timeoutMs: 99 } }],
  ['ready unknown key', { ready: { timeout: 10 } }],
  ['stop bad signal', { stop: { signal: 'SIGSTOP' } }],
  ['ready.timeoutMs above 600000', { ready: { timeoutMs: 600_001 } }],
  ['stop.graceMs negative', { stop: { graceMs: -1 } }],
  ['stop.graceMs above 600000', { stop: { graceMs: 600_001 } }],
  ['stop.graceMs fractional', { stop: { graceMs: 1.5 } }],
  ['status unknown key', { status: { url: '/s' } }],
  ['status.fields missing term', { status: { fields: { state: 'state', leader: 'leader' } } }],
  ['status.fields bad path', { status: { fields: { state: 'a..b', term: 'term', leader: 'leader' } } }],
  ['status.fields unknown key', { status: { fields: { state: 's', term: 't', leader: 'l', vote: 'v' } } }],
  ['status.states bad role', { status: { states: { L: 'boss', F: 'follower', C: 'candidate' } } }],
  ['noLeader of booleans', { status: { noLeader: [false] } }],
  ['events without path', { events: {} }],
  ['events.path with a query', { events: { path: '/events?since=0' } }],
  ['durable a string', { durable: 'yes' }],
  ['implements unknown key', { implements: { prevote: true } }],
  ['implements.preVote a number', { implements: { preVote: 1 } }],
];

/** Subject rules only the runtime holds (see runtimeOnlyScenarios). */
const runtimeOnlySubjects: RuntimeOnly[] = [
  ['status.states reaching no leader role', { status: { states: { F: 'follower', C: 'candidate' } } }, /maps no value to leader/],
  ['command line with an unterminated quote', { launch: { command: 'node "x.mjs' } }, /unterminated " quote/],
];

describe('JSON Schemas of scenario and subject files', () => {
  it('the committed schemas are the ones the types generate (else: npm run schemas)', () => {
    const fresh = generateSchemas();
    for (const kind of ['scenario', 'subject'] as const) {
      expect(readFileSync(path.join(ROOT, SCHEMA_FILES[kind]), 'utf8'), `${SCHEMA_FILES[kind]} is stale: run npm run schemas`).toBe(schemaText(fresh[kind]));
    }
  }, 120_000);

  it('the schema\'s node ids are n1 to MAX_NODES, as the runtime\'s', () => {
    const schema = read(SCHEMA_FILES.scenario) as { definitions: { NodeId: { pattern: string } } };
    const pattern = new RegExp(schema.definitions.NodeId.pattern, 'u');
    const ids = Array.from({ length: MAX_NODES + 10 }, (_, k) => `n${k}`);
    expect(ids.filter((id) => pattern.test(id))).toEqual(Array.from({ length: MAX_NODES }, (_, k) => `n${k + 1}`));
  });

  it('every fault kind of the registry is in the scenario schema', () => {
    const schema = read(SCHEMA_FILES.scenario) as { definitions: Record<string, { properties?: { kind?: { const?: string } } }> };
    const kinds = Object.values(schema.definitions).map((d) => d.properties?.kind?.const).filter(Boolean);
    expect(kinds.sort()).toEqual([...FAULT_KIND_NAMES].sort());
    expect(kinds.length).toBeGreaterThanOrEqual(10);
  });

  describe.each([
    ['scenario', scenarioSchema, scenarioRuntime, goodScenarios, badScenarios, runtimeOnlyScenarios],
    ['subject', subjectSchema, subjectRuntime, goodSubjects, badSubjects, runtimeOnlySubjects],
  ] as const)('%s files: the schema and the runtime validator agree', (_, schema, runtime, good, bad, runtimeOnly) => {
    it.each(good)('both accept: %s', (__, file) => {
      expect(verdicts(schema, runtime, file), JSON.stringify(schema.errors)).toEqual({ schema: true, runtime: true });
    });
    it.each(bad)('both refuse: %s', (__, file) => {
      expect(verdicts(schema, runtime, file)).toEqual({ schema: false, runtime: false });
    });
    it.each(runtimeOnly)('runtime-only rule, the schema accepts and the runtime refuses: %s', (__, file, why) => {
      expect(verdicts(schema, runtime, file)).toEqual({ schema: true, runtime: false });
      expect(() => runtime(file)).toThrow(why);
    });
  });
});
