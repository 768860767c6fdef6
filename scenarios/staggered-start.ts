import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * The seed chapter's exercise "what happens when nodes start at different times": n1 starts
 * alone, n2 1.5 s later, n3 3 s later. Nobody can win before a majority is up; then the node up
 * longest usually wins, its timer already running. The run's exercise figure (summary.exercise,
 * printed at the end) says who won, when, and who was up.
 */
const scenario: Scenario = {
  name: 'staggered-start',
  description:
    'Starts n1 alone, n2 1.5 s later and n3 3 s later: no leader before a majority is up, then exactly one (usually n1, up longest); no split brain, and the third node joins without an election. Runs on processes and on --runtime sim, not on Docker.',
  nodes: 3,
  startDelaysMs: { n2: 1500, n3: 3000 },
  steps: [{ wait: 4000 }],
};
export default scenario;
