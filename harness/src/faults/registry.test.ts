import { describe, expect, it } from 'vitest';
import { ActiveFaults, DownNodes, faultDown } from '../checkers/support/active-faults.js';
import type { FaultStartEntry } from '../history/types.js';
import { FAULT_KIND_NAMES, FAULT_KINDS, faultKindOf, findFaultKind } from './registry.js';

const start = (kind: string, extra: Partial<FaultStartEntry> = {}): FaultStartEntry => ({
  type: 'fault-start', t: 1, wall: 1, id: `f-${kind}`, kind, label: kind, targets: ['n1'], leaderBefore: null, removesLeader: null, ...extra,
});

describe('the fault kind registry', () => {
  it('has each kind once, in the order random schedules draw them (new kinds last)', () => {
    expect(FAULT_KIND_NAMES).toEqual(['partition', 'one-way', 'latency', 'timeout', 'bandwidth', 'kill', 'stop', 'pause', 'rolling-restart', 'reset', 'failovers', 'disk-fail', 'corrupt-state']);
    expect(new Set(FAULT_KIND_NAMES).size).toBe(FAULT_KINDS.length);
    expect(findFaultKind('reset')).toBe(faultKindOf({ kind: 'reset', links: 'all' }));
    expect(findFaultKind('nope')).toBeUndefined();
  });

  it('answers the questions callers used to switch on kind names', () => {
    expect(FAULT_KINDS.filter((k) => k.process).map((k) => k.kind)).toEqual(['kill', 'stop', 'pause', 'rolling-restart', 'failovers', 'disk-fail', 'corrupt-state']);
    expect(FAULT_KINDS.filter((k) => k.run).map((k) => k.kind)).toEqual(['rolling-restart', 'failovers']);
    // `failovers` (the sweep's measurement) is never drawn: a new weighted choice would change every seed's schedules.
    expect(FAULT_KINDS.filter((k) => k.random === undefined).map((k) => k.kind)).toEqual(['failovers']);
    expect(FAULT_KINDS.every((k) => k.random === undefined || k.random.weight > 0)).toBe(true);
    // The disk's kinds are drawn only with --disk-faults: without it every seed's schedules stay as they were.
    expect(FAULT_KINDS.filter((k) => k.randomOptIn !== undefined).map((k) => k.kind)).toEqual(['disk-fail', 'corrupt-state']);
  });
});

describe('fault-start down: read from the entry, inferred only for old histories', () => {
  it('uses the recorded field when present, whatever the kind', () => {
    expect(faultDown(start('kill', { down: ['n2'] }))).toEqual(['n2']);
    expect(faultDown(start('some-new-kind', { down: ['n3'] }))).toEqual(['n3']);
    expect(faultDown(start('partition'))).toEqual([]);
  });
  it('falls back to the targets of kill, stop and pause when the field is absent (histories before it)', () => {
    for (const k of ['kill', 'stop', 'pause']) expect(faultDown(start(k))).toEqual(['n1']);
    expect(faultDown(start('reset'))).toEqual([]);
  });
  it('drives ActiveFaults.down() and DownNodes', () => {
    const a = new ActiveFaults();
    a.apply(start('some-new-kind', { down: ['n3'] }));
    expect([...a.down()]).toEqual(['n3']);
    const d = new DownNodes();
    d.apply(start('pause'));
    expect(d.has('n1')).toBe(true);
  });
});
