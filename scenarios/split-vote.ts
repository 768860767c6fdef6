import type { Scenario } from '../harness/src/scenario/types.js';

/**
 * A narrow election timeout (150-155 ms) makes followers time out together, so elections often
 * split the vote and must be retried with new random timeouts (the Raft paper's Figure 16 shows
 * 150-155 ms taking a median of about 287 ms). Elections may be slow, but never two leaders in
 * a term: with `--bug vote-twice` this is where split brain shows.
 */
const scenario: Scenario = {
  name: 'split-vote',
  description:
    'Isolates the leader five times with a narrow 150-155 ms election timeout, so the two followers time out together and split their votes; randomization must still elect one leader per term.',
  nodes: 3,
  electionTimeout: [150, 155],
  steps: [
    { wait: 1000 },
    { repeat: 5, steps: [{ fault: { kind: 'partition', partition: { isolate: 'leader' } }, holdMs: 1500 }, { wait: 800 }] },
  ],
  // Split votes are the point here: a few retries are expected, so allow several rounds.
  bounds: { electionMs: 3000 },
};
export default scenario;
