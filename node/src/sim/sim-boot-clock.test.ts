import { afterEach, describe, expect, it, vi } from 'vitest';
import { RaftCore } from '../core/raft-core.js';
import type { Input, NodeId } from '../core/types.js';
import { SimCluster } from './sim-cluster.js';

/** Every input a core was stepped with: its node, the time it was told, and the cluster's time then. */
function recordInputs(cluster: () => SimCluster): { node: NodeId; input: Input; clusterNow: number }[] {
  const seen: { node: NodeId; input: Input; clusterNow: number }[] = [];
  const step = RaftCore.prototype.step;
  vi.spyOn(RaftCore.prototype, 'step').mockImplementation(function (this: RaftCore, input: Input) {
    seen.push({ node: this.config.id, input, clusterNow: cluster().now });
    return step.call(this, input);
  });
  return seen;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a simulated node's core runs on its own boot clock, as a process does", () => {
  it('a node restarted at cluster time 5 s tells its core the time since that restart', () => {
    let c: SimCluster | undefined;
    const seen = recordInputs(() => c!);
    c = new SimCluster({ seed: 3 });
    c.runUntil(2000);
    c.crash('n1');
    c.runUntil(5000);
    c.restart('n1');
    expect(c.bootTime('n1')).toBe(5000);
    c.runUntil(6000);
    const after = seen.filter((s) => s.node === 'n1' && s.clusterNow >= 5000);
    expect(after.length).toBeGreaterThan(0);
    // The first thing it handles comes within an election timeout of its boot, on its own clock.
    expect(after[0]!.input.now).toBeGreaterThanOrEqual(0);
    expect(after[0]!.input.now).toBeLessThanOrEqual(300);
    for (const s of after) expect(Math.abs(s.input.now - (s.clusterNow - 5000))).toBeLessThan(1e-9);
    // Its status still speaks cluster time: it heard its leader after the restart, before now.
    const contact = c.status('n1')!.lastLeaderContact;
    expect(contact).not.toBeNull();
    expect(contact!).toBeGreaterThanOrEqual(5000);
    expect(contact!).toBeLessThanOrEqual(6000);
  });

  it('a node that first boots late starts its clock at 0 then; the others keep theirs', () => {
    let c: SimCluster | undefined;
    const seen = recordInputs(() => c!);
    c = new SimCluster({ seed: 5, bootAt: (id) => (id === 'n3' ? 1234 : 0) });
    c.runUntil(3000);
    expect(c.bootTime('n3')).toBe(1234);
    expect(c.bootTime('n1')).toBe(0);
    const n3 = seen.filter((s) => s.node === 'n3');
    expect(n3.length).toBeGreaterThan(0);
    for (const s of n3) expect(Math.abs(s.input.now - (s.clusterNow - 1234))).toBeLessThan(1e-9);
    for (const s of seen.filter((x) => x.node === 'n1')) expect(s.input.now).toBe(s.clusterNow);
  });
});
