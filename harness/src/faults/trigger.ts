import type { NodeEventEntry } from '../history/types.js';
import type { NodeId } from '../nemesis/types.js';
import type { FaultSpec } from './fault-spec.js';

/**
 * Node events a fault step can wait for (`on: { event }`), by name: what each means in the
 * node's own `/events` log (node/API.md).
 */
export const TRIGGER_EVENTS = {
  /** The node granted a real (not pre-) vote: it must have written that vote before replying. */
  'vote-granted': (e: NodeEventEntry) => e.kind === 'vote' && e['granted'] === true && e['preVote'] !== true,
  /** The node became a candidate (raised its term to campaign). */
  campaign: (e: NodeEventEntry) => e.kind === 'become-candidate',
  /** The node started a Pre-Vote round. */
  'pre-campaign': (e: NodeEventEntry) => e.kind === 'become-pre-candidate',
  /** The node became leader. */
  'become-leader': (e: NodeEventEntry) => e.kind === 'become-leader',
  /** The node, leader until now, stepped down. */
  'step-down': (e: NodeEventEntry) => e.kind === 'step-down',
  /** The node's current term changed. */
  term: (e: NodeEventEntry) => e.kind === 'term',
} as const satisfies Record<string, (e: NodeEventEntry) => boolean>;

/** A trigger's event name (a key of `TRIGGER_EVENTS`). */
export type TriggerEvent = keyof typeof TRIGGER_EVENTS;
export const TRIGGER_EVENT_NAMES = Object.keys(TRIGGER_EVENTS) as TriggerEvent[];

/** What a triggered fault step waits for: an event of one node, or of any (`any`, the default). */
export interface NodeEventTrigger {
  event: TriggerEvent;
  node?: NodeId | 'any';
}

/** The target word of a triggered step's fault: the node whose event fired it. */
export const TRIGGER_TARGET = 'trigger';
/** How long a triggered step waits for its event by default before it gives up (ms). */
export const DEFAULT_WITHIN_MS = 5000;

/** Whether a node-event entry fires `trigger`. */
export function fires(trigger: NodeEventTrigger, e: NodeEventEntry): boolean {
  if (trigger.node !== undefined && trigger.node !== 'any' && trigger.node !== e.node) return false;
  return TRIGGER_EVENTS[trigger.event](e);
}

/** `spec` with every `"trigger"` target replaced by `node` (the node whose event fired the step). */
export function aimAt(spec: FaultSpec, node: string): FaultSpec {
  const swap = (x: unknown): unknown =>
    x === TRIGGER_TARGET ? node : Array.isArray(x) ? x.map(swap) : x !== null && typeof x === 'object' ? Object.fromEntries(Object.entries(x).map(([k, v]) => [k, swap(v)])) : x;
  return swap(spec) as FaultSpec;
}

/** Whether a fault names the `trigger` target anywhere. */
export function aimsAtTrigger(spec: FaultSpec): boolean {
  return JSON.stringify(spec).includes(`"${TRIGGER_TARGET}"`);
}
