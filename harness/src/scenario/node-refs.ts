import { ConfigError } from '../../../common/src/errors.js';
import { faultKindOf } from '../faults/registry.js';
import type { FaultSpec, Scenario, Step } from './types.js';
import { NODE_ID } from './validate.js';
import { aimAt } from '../faults/trigger.js';

/** A node a scenario names by id, and where (`steps[1].fault.target`). */
export interface NodeRef {
  path: string;
  node: string;
}

/**
 * Every node a scenario names by id, in order: fault targets, partition sides, link ends and
 * late starts (`startDelaysMs`). Target words (`leader`, `all`, ...) are not ids.
 */
export function namedNodes(scenario: Scenario): NodeRef[] {
  const refs: NodeRef[] = [];
  // Each fault kind knows which of its fields name nodes (faults/kinds/).
  const fault = (f: FaultSpec, path: string) => faultKindOf(f).nodeRefs(f, path, (p, node) => refs.push({ path: p, node }));
  const steps = (list: readonly Step[], path: string) =>
    list.forEach((s, i) => {
      // A triggered step's `trigger` target is the node whose event fires it, not a node id.
      if ('fault' in s) fault(s.on ? aimAt(s.fault, 'leader') : s.fault, `${path}[${i}].fault`);
      if ('fault' in s && s.on?.node !== undefined && s.on.node !== 'any') refs.push({ path: `${path}[${i}].on.node`, node: s.on.node });
      else if ('repeat' in s) steps(s.steps, `${path}[${i}].steps`);
    });
  for (const node of Object.keys(scenario.startDelaysMs ?? {})) refs.push({ path: `startDelaysMs.${node}`, node });
  steps(scenario.steps, 'steps');
  return refs;
}

/**
 * Throws ConfigError when the scenario names a node the cluster `nodes` does not have (`n9` on
 * three nodes), naming every such place. Call it once the cluster's size is final (the
 * scenario's `nodes`, or `--nodes`), before anything starts or is written; `sizeFrom` says
 * where that size came from (`--nodes 3`).
 */
export function checkNodesFit(scenario: Scenario, nodes: readonly string[], sizeFrom: string): void {
  const missing = namedNodes(scenario).filter((r) => !nodes.includes(r.node));
  if (missing.length === 0) return;
  const where = missing.map((r) => `${r.path} names ${r.node}`).join(', ');
  const needed = Math.max(...missing.map((r) => Number(NODE_ID.exec(r.node)?.[1] ?? 0)));
  const fix = needed > nodes.length ? `run at least ${needed} nodes (--nodes ${needed}) or name nodes that exist` : 'name nodes that exist';
  throw new ConfigError(
    `${scenario.name}: ${where}, but the cluster has ${nodes.length} node(s), ${nodes.join(', ')} (${sizeFrom}); ${fix}`,
  );
}
