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
    [{ ...base, nodes: 0 }, /nodes must be a whole number from 1 to 15, got 0/],
    [{ ...base, electionTimeout: [300, 150] }, /electionTimeout min 300 is above max 150/],
    [{ ...base, steps: [{ sleep: 5 }] }, /steps\[0\] must have one of wait, fault, heal or repeat/],
    [{ ...base, steps: [{ wait: -1 }] }, /steps\[0\]\.wait must be a whole number/],
    [{ ...base, steps: [{ fault: { kind: 'meteor' } }] }, /steps\[0\]\.fault\.kind must be one of partition/],
    [{ ...base, steps: [{ fault: { kind: 'partition', partition: { halves: 'thirds' } } }] }, /halves must be leader-minority/],
    [{ ...base, steps: [{ fault: { kind: 'kill', target: 7 } }] }, /steps\[0\]\.fault\.target must be a node id/],
    [{ ...base, steps: [{ repeat: 2, steps: [{ fault: { kind: 'latency', links: 'all' } }] }] }, /steps\[0\]\.steps\[0\]\.fault\.latencyMs/],
    [{ ...base, bounds: { electionMillis: 5 } }, /bounds\.electionMillis is not a bound/],
    ['not an object', /must be an object/],
  ])('rejects a bad scenario with a message naming the place (%#)', (value, message) => {
    expect(() => validateScenario(value, 'my.json')).toThrow(ConfigError);
    expect(() => validateScenario(value, 'my.json')).toThrow(message);
  });
});
