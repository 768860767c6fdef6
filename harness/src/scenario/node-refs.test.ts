import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../common/src/errors.js';
import { scenarios } from '../../../scenarios/index.js';
import { nodeIds, resolveSettings } from '../runner/options.js';
import { checkNodesFit, namedNodes } from './node-refs.js';
import type { Scenario } from './types.js';

const named: Scenario = {
  name: 'named',
  description: 'd',
  nodes: 5,
  startDelaysMs: { n5: 100 },
  steps: [
    { fault: { kind: 'kill', target: 'leader' }, holdMs: 5 },
    { fault: { kind: 'pause', target: ['n1', 'n2'] }, holdMs: 5 },
    { repeat: 2, steps: [{ fault: { kind: 'partition', partition: { isolate: 'n3' } }, holdMs: 5 }] },
    { fault: { kind: 'partition', partition: { groups: 'n1, n2|n4' } }, holdMs: 5 },
    { fault: { kind: 'latency', links: { from: 'n4', to: 'all' }, latencyMs: 5 }, holdMs: 5 },
  ],
};

describe('namedNodes', () => {
  it('lists every node named by id, with its path, and no target words', () => {
    expect(namedNodes(named)).toEqual([
      { path: 'startDelaysMs.n5', node: 'n5' },
      { path: 'steps[1].fault.target[0]', node: 'n1' },
      { path: 'steps[1].fault.target[1]', node: 'n2' },
      { path: 'steps[2].steps[0].fault.partition.isolate', node: 'n3' },
      { path: 'steps[3].fault.partition.groups', node: 'n1' },
      { path: 'steps[3].fault.partition.groups', node: 'n2' },
      { path: 'steps[3].fault.partition.groups', node: 'n4' },
      { path: 'steps[4].fault.links.from', node: 'n4' },
    ]);
  });
});

describe('checkNodesFit', () => {
  it('accepts nodes the cluster has', () => {
    expect(() => checkNodesFit(named, nodeIds(5), 'test')).not.toThrow();
  });

  it('refuses a node past the cluster, naming each place and the size it needs', () => {
    const s: Scenario = { name: 'n9', description: 'd', steps: [{ fault: { kind: 'kill', target: 'n9' }, holdMs: 5 }] };
    expect(() => checkNodesFit(s, nodeIds(3), '--nodes 3')).toThrow(ConfigError);
    expect(() => checkNodesFit(s, nodeIds(3), '--nodes 3')).toThrow(
      'n9: steps[0].fault.target names n9, but the cluster has 3 node(s), n1, n2, n3 (--nodes 3); run at least 9 nodes (--nodes 9) or name nodes that exist',
    );
    expect(() => checkNodesFit(named, nodeIds(3), 'x')).toThrow(/^named: startDelaysMs\.n5 names n5, steps\[3\]\.fault\.partition\.groups names n4, steps\[4\]\.fault\.links\.from names n4, but/);
  });
});

describe('resolveSettings checks named nodes against the final cluster size', () => {
  const seed = () => 1;
  const n5: Scenario = { name: 'five', description: 'd', nodes: 5, steps: [{ fault: { kind: 'kill', target: 'n5' }, holdMs: 5 }] };

  it('takes the size from --nodes over the scenario', () => {
    expect(resolveSettings(n5, {}, seed).nodes).toEqual(nodeIds(5));
    expect(() => resolveSettings(n5, { nodes: 3 }, seed)).toThrow(/five: steps\[0\]\.fault\.target names n5, but the cluster has 3 node\(s\), n1, n2, n3 \(--nodes 3\); run at least 5 nodes/);
    expect(() => resolveSettings({ ...n5, nodes: 4 }, {}, seed)).toThrow(/\(the scenario's nodes: 4\)/);
    expect(() => resolveSettings({ ...n5, nodes: undefined }, {}, seed)).toThrow(/\(the default size\)/);
    expect(resolveSettings({ ...n5, nodes: 3 }, { nodes: 7 }, seed).nodes).toHaveLength(7);
  });

  it('refuses clusters below three nodes, from --nodes or the scenario, before the node check', () => {
    const staggered = scenarios.find((s) => s.name === 'staggered-start')!;
    expect(() => resolveSettings(staggered, { nodes: 2 }, seed)).toThrow(/--nodes 2 is not a cluster size: a cluster needs at least 3 nodes/);
    expect(() => resolveSettings({ ...n5, nodes: 1 }, {}, seed)).toThrow(/the scenario's nodes: 1 is not a cluster size: a cluster needs at least 3/);
  });

  it('accepts every built-in scenario at its own size', () => {
    for (const s of scenarios) expect(() => resolveSettings(s, {}, seed)).not.toThrow();
  });
});
