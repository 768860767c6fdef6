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
 * Messages delayed, not dropped, on every link of the node whose event fired (`around`), on the
 * links into it (every reply to its requests and every request to it arrives late) or out of it
 * (its requests and its replies, a new leader's first heartbeats included), by 0.3x to 1.2x the
 * largest election timeout. With an RPC deadline longer than that (drawn by `--explore-config
 * --triggers`) a reply to a candidate's vote request then lands in its next election; with the
 * node's default deadline (half the minimum timeout) a later reply is given up instead.
 */
export function triggeredLatencyArb(electionTimeoutMax: number): fc.Arbitrary<FaultSpec> {
  const e = electionTimeoutMax;
  return fc
    .record({
      way: fc.constantFrom('around', 'into', 'out'),
      latencyMs: fc.integer({ min: Math.max(1, Math.round(0.3 * e)), max: Math.max(2, Math.round(1.2 * e)) }),
    })
    .map(({ way, latencyMs }): FaultSpec => ({
      kind: 'latency',
      links: way === 'around' ? { around: TRIGGER_TARGET } : way === 'into' ? { from: 'all', to: TRIGGER_TARGET } : { from: TRIGGER_TARGET, to: 'all' },
      latencyMs,
    }));
}

/**
 * Random triggered faults on a cluster whose largest election timeout is `electionTimeoutMax`:
 * kill (restarted after the hold), pause or isolate the node whose event fired, 0-5 ms or up to
 * 50 ms after any event, held 0.3x to 2x the timeout; or (two in five) delay the messages
 * around, into or out of a node as it starts a Pre-Vote round or campaigns
 * (`triggeredLatencyArb`), held 1x to 2x the timeout: the elections that follow then meet the
 * replies of the one before. With `preVote` false (an explored configuration without Pre-Vote)
 * the delaying triggers wait for a campaign only: a pre-campaign never comes there, and such a
 * trigger would never fire. Shrinks towards a kill of the node that just granted a vote, at
 * once, held briefly.
 */
export function triggeredFaultArb(electionTimeoutMax: number, preVote?: boolean): fc.Arbitrary<TriggeredFault> {
  const e = electionTimeoutMax;
  // A cluster known to run without Pre-Vote never pre-campaigns: its delaying triggers all wait for a campaign.
  const delayEvents: readonly TriggerEvent[] = preVote === false ? ['campaign'] : ['pre-campaign', 'campaign'];
  const hold = (lo: number) => fc.integer({ min: Math.max(1, Math.round(lo * e)), max: Math.max(1, Math.round(2 * e)) });
  return fc.oneof(
    {
      weight: 3,
      arbitrary: fc.record({
        on: fc.constantFrom(...EVENTS).map((event): NodeEventTrigger => ({ event })),
        delayMaxMs: fc.oneof({ arbitrary: fc.constant(5), weight: 3 }, { arbitrary: fc.integer({ min: 0, max: 50 }), weight: 1 }),
        fault: fc.constantFrom<FaultSpec>(
          { kind: 'kill', target: TRIGGER_TARGET },
          { kind: 'pause', target: TRIGGER_TARGET },
          { kind: 'partition', partition: { isolate: TRIGGER_TARGET } },
        ),
        holdMs: hold(0.3),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        on: fc.constantFrom<TriggerEvent>(...delayEvents).map((event): NodeEventTrigger => ({ event })),
        delayMaxMs: fc.constant(5),
        fault: triggeredLatencyArb(e),
        holdMs: hold(1),
      }),
    },
  );
}
