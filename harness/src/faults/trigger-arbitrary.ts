import fc from 'fast-check';
import { TRIGGER_TARGET, type NodeEventTrigger, type TriggerEvent } from './trigger.js';
import type { FaultSpec } from './fault-spec.js';

/**
 * A fault fired by a node event inside a random schedule (random/schedule-arbitrary.ts): the
 * event, the most delay after it (the run's seed picks the delay in 0..delayMaxMs), the fault
 * aimed at the node whose event fired it, and how long it holds.
 */
export interface TriggeredFault {
  on: NodeEventTrigger;
  delayMaxMs: number;
  fault: FaultSpec;
  holdMs: number;
}

/** The events a random trigger waits for, simplest first (what shrinking goes towards). */
const EVENTS: readonly TriggerEvent[] = ['vote-granted', 'campaign', 'become-leader', 'step-down', 'pre-campaign', 'term'];

/**
 * Messages delayed, not dropped, on the links into the node whose event fired (`into`: every
 * reply to its requests and every request to it arrives late) or out of it (`out`: its requests
 * and its replies, a new leader's first heartbeats included), by 0.5x to 2x the largest
 * election timeout: a reply to a candidate's vote request then lands in its next election, and
 * a voter hears the leader it voted for only after its own timer could have run out.
 */
export function triggeredLatencyArb(electionTimeoutMax: number): fc.Arbitrary<FaultSpec> {
  const e = electionTimeoutMax;
  return fc
    .record({
      into: fc.boolean(),
      latencyMs: fc.integer({ min: Math.max(1, Math.round(0.1 * e)), max: Math.max(2, Math.round(2 * e)) }),
    })
    .map(({ into, latencyMs }): FaultSpec => ({
      kind: 'latency',
      links: into ? { from: 'all', to: TRIGGER_TARGET } : { from: TRIGGER_TARGET, to: 'all' },
      latencyMs,
    }));
}

/**
 * Random triggered faults on a cluster whose largest election timeout is `electionTimeoutMax`:
 * kill (restarted after the hold), pause or isolate the node whose event fired, or delay the
 * messages into or out of it (`triggeredLatencyArb`), 0-5 ms or up to 50 ms after it, held
 * 0.3x to 2x the timeout. Shrinks towards a kill of the node that just granted a vote, at
 * once, held briefly.
 */
export function triggeredFaultArb(electionTimeoutMax: number): fc.Arbitrary<TriggeredFault> {
  const e = electionTimeoutMax;
  return fc.record({
    on: fc.constantFrom(...EVENTS).map((event): NodeEventTrigger => ({ event })),
    delayMaxMs: fc.oneof({ arbitrary: fc.constant(5), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 1 }),
    fault: fc.oneof(
      {
        arbitrary: fc.constantFrom<FaultSpec>(
          { kind: 'kill', target: TRIGGER_TARGET },
          { kind: 'pause', target: TRIGGER_TARGET },
          { kind: 'partition', partition: { isolate: TRIGGER_TARGET } },
        ),
        weight: 3,
      },
      { arbitrary: triggeredLatencyArb(e), weight: 1 },
    ),
    holdMs: fc.integer({ min: Math.max(1, Math.round(0.3 * e)), max: Math.max(1, Math.round(2 * e)) }),
  });
}
