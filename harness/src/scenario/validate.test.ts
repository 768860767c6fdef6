import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { scenarios } from '../../../scenarios/index.js';
import { validateScenario } from './validate.js';

const base = { name: 'x', description: 'd', steps: [] };

describe('validateScenario', () => {
  it('accepts every built-in scenario', () => {
    for (const s of scenarios) expect(() => validateScenario(s, s.name)).not.toThrow();
  });

  it('built-in scenario names are unique', () => {
    const names = scenarios.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each([
    [{ ...base, name: 'Bad Name' }, /name must match/],
    [{ ...base, description: '' }, /description must be a non-empty string/],
    [{ ...base, nodes: 0 }, /nodes must be a whole number from 3 to 15, got 0/],
    [{ ...base, nodes: 2 }, /my\.json: nodes is 2: a cluster needs at least 3 nodes/],
    [{ ...base, electionTimeout: [300, 150] }, /electionTimeout min 300 is above max 150/],
    [{ ...base, steps: [{ sleep: 5 }] }, /steps\[0\] must have one of wait, fault, heal or repeat/],
    [{ ...base, steps: [{ wait: -1 }] }, /steps\[0\]\.wait must be a whole number/],
    [{ ...base, steps: [{ fault: { kind: 'meteor' } }] }, /steps\[0\]\.fault\.kind must be one of partition/],
    [{ ...base, steps: [{ fault: { kind: 'partition', partition: { halves: 'thirds' } } }] }, /halves must be one of leader-minority, leader-majority or random; got "thirds"/],
    [{ ...base, steps: [{ fault: { kind: 'kill', target: 7 } }] }, /steps\[0\]\.fault\.target must be a node id/],
    [{ ...base, steps: [{ repeat: 2, steps: [{ fault: { kind: 'latency', links: 'all' } }] }] }, /steps\[0\]\.steps\[0\]\.fault\.latencyMs/],
    [{ ...base, bounds: { electionMillis: 5 } }, /bounds\.electionMillis is not a bound/],
    ['not an object', /must be an object/],
  ])('rejects a bad scenario with a message naming the place (%#)', (value, message) => {
    expect(() => validateScenario(value, 'my.json')).toThrow(ConfigError);
    expect(() => validateScenario(value, 'my.json')).toThrow(message);
  });

  const kill = { kind: 'kill', target: 'leader' };
  const isolate = { kind: 'partition', partition: { isolate: 'leader' } };

  it.each([
    ['top level', { ...base, colour: 'red' }, /^my\.json: colour is not a field of a scenario; its fields are name, description/],
    ['top level, near miss', { name: 'x', description: 'd', step: [] }, /^my\.json: step is not a field of a scenario \(did you mean "steps"\?\)/],
    ['fault step', { ...base, steps: [{ fault: kill, holdms: 500 }] }, /^my\.json: steps\[0\]\.holdms is not a field of a fault step \(did you mean "holdMs"\?\); its fields are fault, holdMs, id, on, delayMs, withinMs$/],
    ['fault step, fault field beside fault', { ...base, steps: [{ fault: { kind: 'kill' }, target: 'n1' }] }, /steps\[0\]\.target is not a field of a fault step; target goes inside fault/],
    ['holdMs inside fault', { ...base, steps: [{ fault: { ...kill, holdMs: 100 } }] }, /^my\.json: steps\[0\]\.fault\.holdMs is not a field of a kill fault; holdMs goes on the step, beside fault/],
    ['id inside fault', { ...base, steps: [{ fault: { ...kill, id: 'k' } }] }, /steps\[0\]\.fault\.id is not a field of a kill fault; id goes on the step/],
    ['partition fault', { ...base, steps: [{ fault: { ...isolate, target: 'n1' } }] }, /^my\.json: steps\[0\]\.fault\.target is not a field of a partition fault; its fields are kind, partition$/],
    ['partition fault, spec beside partition', { ...base, steps: [{ fault: { kind: 'partition', isolate: 'leader' } }] }, /steps\[0\]\.fault\.isolate is not a field of a partition fault; isolate goes inside partition/],
    ['partition spec', { ...base, steps: [{ fault: { kind: 'partition', partition: { isolate: 'leader', side: 'a' } } }] }, /steps\[0\]\.fault\.partition\.side is not a field of a partition; its fields are isolate, halves/],
    ['partition spec, near miss', { ...base, steps: [{ fault: { kind: 'partition', partition: { isolat: 'leader' } } }] }, /steps\[0\]\.fault\.partition\.isolat is not a field of a partition \(did you mean "isolate"\?\)/],
    ['partition spec, two kinds', { ...base, steps: [{ fault: { kind: 'partition', partition: { isolate: 'leader', halves: 'random' } } }] }, /steps\[0\]\.fault\.partition\.halves cannot go with isolate/],
    ['one-way fault', { ...base, steps: [{ fault: { kind: 'one-way', target: 'leader', blocks: 'inbound', both: true } }] }, /steps\[0\]\.fault\.both is not a field of a one-way fault/],
    ['latency fault, near miss', { ...base, steps: [{ fault: { kind: 'latency', links: 'all', latencyMs: 20, jitter: 5 } }] }, /steps\[0\]\.fault\.jitter is not a field of a latency fault \(did you mean "jitterMs"\?\)/],
    ['links', { ...base, steps: [{ fault: { kind: 'timeout', links: { arround: 'leader' } } }] }, /steps\[0\]\.fault\.links\.arround is not a field of a link selector \(did you mean "around"\?\)/],
    ['links around with from', { ...base, steps: [{ fault: { kind: 'bandwidth', rateKBps: 1, links: { around: 'leader', to: 'n2' } } }] }, /steps\[0\]\.fault\.links\.to is not a field of a link selector \{around\}/],
    ['rolling restart', { ...base, steps: [{ fault: { kind: 'rolling-restart', target: 'all', gracefull: true } }] }, /steps\[0\]\.fault\.gracefull is not a field of a rolling-restart fault \(did you mean "graceful"\?\)/],
    ['wait step', { ...base, steps: [{ wait: 5, ms: 3 }] }, /^my\.json: steps\[0\]\.ms is not a field of a wait step; its fields are wait$/],
    ['heal step', { ...base, steps: [{ heal: 'all', id: 'x' }] }, /steps\[0\]\.id is not a field of a heal step/],
    ['repeat step', { ...base, steps: [{ repeat: 2, steps: [], times: 3 }] }, /steps\[0\]\.times is not a field of a repeat step/],
    ['inside a repeat', { ...base, steps: [{ repeat: 2, steps: [{ fault: { kind: 'pause', tagret: 'n1' } }] }] }, /steps\[0\]\.steps\[0\]\.fault\.tagret is not a field of a pause fault \(did you mean "target"\?\)/],
    ['two kinds of step', { ...base, steps: [{ wait: 5, heal: 'all' }] }, /steps\[0\] has both wait and heal/],
    ['step, near miss', { ...base, steps: [{ wiat: 5 }] }, /steps\[0\] must have one of wait, fault, heal or repeat; got keys \["wiat"\] \(did you mean "wait"\?\)/],
    ['fault kind, near miss', { ...base, steps: [{ fault: { kind: 'kil', target: 'n1' } }] }, /steps\[0\]\.fault\.kind must be one of .*; got "kil" \(did you mean "kill"\?\)/],
  ])('refuses an unknown key (%s), naming its path', (_what, value, message) => {
    expect(() => validateScenario(value, 'my.json')).toThrow(ConfigError);
    expect(() => validateScenario(value, 'my.json')).toThrow(message);
  });

  it('refuses holdMs or id on a rolling restart, which ignores them', () => {
    const step = { fault: { kind: 'rolling-restart', target: 'all' }, holdMs: 100 };
    expect(() => validateScenario({ ...base, steps: [step] }, 'my.json')).toThrow(/steps\[0\]\.holdMs does nothing on a rolling restart/);
  });

  it('refuses skipChecks naming no checker, naming the checks', () => {
    expect(() => validateScenario({ ...base, skipChecks: { 'election-safty': 'flaky' } }, 'my.json')).toThrow(
      /^my\.json: skipChecks\.election-safty is not a check \(did you mean "election-safety"\?\); the checks are election-safety, election-time, liveness-at-start, step-down/,
    );
    expect(() => validateScenario({ ...base, skipChecks: { linearizability: 'n/a' } }, 'my.json')).toThrow(/skipChecks\.linearizability is not a check;/);
    expect(() => validateScenario({ ...base, skipChecks: { 'stable-leadership': 'flaps on purpose' } })).not.toThrow();
  });

  describe('heals and fault ids', () => {
    const open = (id: string) => ({ fault: kill, id });
    const ok = (steps: unknown[]) => expect(() => validateScenario({ ...base, steps }, 'my.json')).not.toThrow();
    const bad = (steps: unknown[], message: RegExp) => expect(() => validateScenario({ ...base, steps }, 'my.json')).toThrow(message);

    it('accepts a heal of a fault an earlier step started with that id, also inside a repeat', () => {
      ok([open('a'), { wait: 5 }, { heal: 'a' }]);
      ok([open('a'), { heal: 'all' }, open('a'), { heal: 'a' }]);
      ok([{ repeat: 3, steps: [open('a'), { wait: 5 }, { heal: 'a' }] }]);
      ok([{ repeat: 1, steps: [open('a'), { wait: 5 }] }, { heal: 'a' }]);
      ok([open('a'), { repeat: 4, steps: [{ heal: 'a' }, open('a')] }, { heal: 'all' }]);
    });

    it('refuses a heal of an id no step opened, naming the path and the ids in force', () => {
      bad([{ heal: 'nope' }], /^my\.json: steps\[0\]\.heal names "nope", but no earlier step started a fault with id "nope"; no fault with an id is in force here$/);
      bad([open('cut'), { heal: 'cat' }], /steps\[1\]\.heal names "cat", but no earlier step .* \(did you mean "cut"\?\); faults in force here: cut/);
      bad([{ heal: 'a' }, open('a')], /steps\[0\]\.heal names "a", but no earlier step/);
      bad([{ repeat: 2, steps: [{ wait: 1 }, { heal: 'a' }] }, open('a')], /steps\[0\]\.steps\[1\]\.heal names "a", but no earlier step/);
    });

    it('refuses a heal of a fault no longer in force: held, healed, or healed on the first run of a repeat', () => {
      bad([{ fault: kill, id: 'a', holdMs: 5 }, { heal: 'a' }], /steps\[1\]\.heal names "a", which is not in force here: steps\[0\] held it for holdMs and healed it/);
      bad([open('a'), { heal: 'all' }, { heal: 'a' }], /steps\[2\]\.heal names "a", which is not in force here: steps\[1\]\.heal healed it \(heal all\)/);
      bad([open('a'), { repeat: 2, steps: [{ heal: 'a' }] }], /steps\[1\]\.steps\[0\]\.heal names "a", which is not in force here \(on the 2nd run of steps\[1\]\): steps\[1\]\.steps\[0\]\.heal healed it/);
    });

    it('refuses opening an id already in force, which would stop the run half way', () => {
      bad([open('a'), open('a')], /^my\.json: steps\[1\]\.id "a" is already in force here, opened by steps\[0\]; heal it first/);
      bad([{ repeat: 2, steps: [open('a'), { wait: 5 }] }], /steps\[0\]\.steps\[0\]\.id "a" is already in force here, opened by steps\[0\]\.steps\[0\] \(on the 2nd run of steps\[0\]\)/);
      bad([open('a'), { fault: kill, id: 'a', holdMs: 5 }], /steps\[1\]\.id "a" is already in force/);
    });
  });

  it.each([
    ['a misspelled target word', { ...base, steps: [{ fault: { kind: 'kill', target: 'leeder' } }] }, /steps\[0\]\.fault\.target must be a node id \(n1, n2, \.\.\.\), a list of ids, or one of leader.*; got "leeder" \(did you mean "leader"\?\)/],
    ['a node id past n15', { ...base, steps: [{ fault: { kind: 'kill', target: 'n16' } }] }, /steps\[0\]\.fault\.target names n16, but a cluster has at most 15 nodes/],
    ['a list with a bad id', { ...base, steps: [{ fault: { kind: 'pause', target: ['n1', 'node2'] } }] }, /steps\[0\]\.fault\.target\[1\] must name a node n1\.\.n15; got "node2"/],
    ['a link end', { ...base, steps: [{ fault: { kind: 'timeout', links: { from: 'n1', to: 'x' } } }] }, /steps\[0\]\.fault\.links\.to must be a node id/],
    ['a late start', { ...base, startDelaysMs: { node2: 5 } }, /startDelaysMs\.node2 must name a node n1\.\.n15/],
    ['a group', { ...base, steps: [{ fault: { kind: 'partition', partition: { groups: 'n1,x|n3' } } }] }, /steps\[0\]\.fault\.partition\.groups must name a node n1\.\.n15; got "x"/],
    ['a node in two groups', { ...base, steps: [{ fault: { kind: 'partition', partition: { groups: [['n1', 'n2'], ['n2']] } } }] }, /steps\[0\]\.fault\.partition\.groups names n2 in more than one side/],
  ])('refuses %s as a node, naming the path', (_what, value, message) => {
    expect(() => validateScenario(value, 'my.json')).toThrow(ConfigError);
    expect(() => validateScenario(value, 'my.json')).toThrow(message);
  });
});
