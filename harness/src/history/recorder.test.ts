import { describe, expect, it } from 'vitest';
import { Recorder } from './recorder.js';
import { MemorySink } from './sink.js';

function clocks() {
  const c = { mono: 500, wall: 1_700_000_000_000 };
  return { c, monotonic: () => c.mono, wall: () => c.wall };
}

describe('Recorder', () => {
  it('stamps t from the monotonic clock relative to its origin, and wall from the wall clock', () => {
    const { c, monotonic, wall } = clocks();
    const sink = new MemorySink();
    const r = new Recorder({ sinks: [sink], monotonic, wall });
    c.mono += 12.5;
    c.wall += 13;
    const e = r.record({ type: 'phase', phase: 'warmup' });
    expect(e).toEqual({ type: 'phase', t: 12.5, wall: 1_700_000_000_013, phase: 'warmup' });
    expect(Object.keys(e).slice(0, 3)).toEqual(['type', 't', 'wall']);
    expect(sink.entries).toEqual([e]);
  });

  it('keeps t and wall an entry already has (node events)', () => {
    const { monotonic, wall } = clocks();
    const sink = new MemorySink();
    const r = new Recorder({ sinks: [sink], monotonic, wall, origin: 0 });
    const e = r.record({ type: 'node-event', t: 3, wall: 4, node: 'n1', bootId: 'b', seq: 1, kind: 'start', term: 0 });
    expect(e.t).toBe(3);
    expect(e.wall).toBe(4);
  });

  it('maps node wall times onto the run clock', () => {
    const { c, monotonic, wall } = clocks();
    const r = new Recorder({ sinks: [], monotonic, wall });
    c.mono += 100;
    c.wall += 100;
    expect(r.toRunTime(c.wall - 30)).toBe(70);
  });

  it('writes to every sink in call order and closes them all', async () => {
    const { monotonic, wall } = clocks();
    const a = new MemorySink();
    const b = new MemorySink();
    const r = new Recorder({ sinks: [a, b], monotonic, wall });
    r.record({ type: 'note', level: 'info', message: 'one' });
    r.record({ type: 'note', level: 'warn', message: 'two' });
    expect(b.entries.map((e) => (e.type === 'note' ? e.message : ''))).toEqual(['one', 'two']);
    expect(a.entries).toEqual(b.entries);
    await r.close();
  });
});
