import type { Scenario } from '../harness/src/scenario/types.js';

/** Latency on every link, first well below the election timeout, then above it. */
const scenario: Scenario = {
  name: 'latency',
  description:
    'Adds 20 ms (±5) to every link, which the cluster should ride out without an election; then 400 ms, above the election timeout, when elections may happen but never two leaders in a term.',
  nodes: 3,
  steps: [
    { wait: 1000 },
    { fault: { kind: 'latency', links: 'all', latencyMs: 20, jitterMs: 5 }, holdMs: 3000 },
    { wait: 1000 },
    { fault: { kind: 'latency', links: 'all', latencyMs: 400, jitterMs: 50 }, holdMs: 3000 },
    { wait: 1000 },
  ],
};
export default scenario;
