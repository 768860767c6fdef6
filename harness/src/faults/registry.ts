import type { FaultSpec } from './fault-spec.js';
import type { FaultKind } from './fault-kind.js';
import { bandwidth } from './kinds/bandwidth.js';
import { corruptState } from './kinds/corrupt-state.js';
import { diskFail } from './kinds/disk-fail.js';
import { failovers } from './kinds/failovers.js';
import { kill } from './kinds/kill.js';
import { latency } from './kinds/latency.js';
import { oneWay } from './kinds/one-way.js';
import { partition } from './kinds/partition.js';
import { pause } from './kinds/pause.js';
import { reset } from './kinds/reset.js';
import { rollingRestart } from './kinds/rolling-restart.js';
import { stop } from './kinds/stop.js';
import { timeout } from './kinds/timeout.js';

/**
 * Every fault kind of the nemesis, one file each under `kinds/`. A new kind is a new file plus
 * one line here. The order is the order of random generation's choices: append new kinds at
 * the end, or every seed's random schedules change.
 */
export const FAULT_KINDS: readonly FaultKind[] = [
  partition, oneWay, latency, timeout, bandwidth, kill, stop, pause, rollingRestart, reset, failovers, diskFail, corruptState,
];

const byName = new Map<string, FaultKind>(FAULT_KINDS.map((k) => [k.kind, k]));

/** The names of every kind, in registry order. */
export const FAULT_KIND_NAMES: readonly string[] = FAULT_KINDS.map((k) => k.kind);

/** The kind of this name, or undefined. */
export function findFaultKind(name: string): FaultKind | undefined {
  return byName.get(name);
}

/** The kind of a (validated) spec. Throws for a kind no file registered: a bug, not bad input. */
export function faultKindOf(spec: FaultSpec): FaultKind {
  const k = byName.get(spec.kind);
  if (!k) throw new Error(`no fault kind "${spec.kind}" is registered (faults/registry.ts)`);
  return k;
}
