import type { Scenario } from '../harness/src/scenario/types.js';
import baseline from './baseline.js';
import bridge from './bridge.js';
import crashRestart from './crash-restart.js';
import flapping from './flapping.js';
import killAfterVote from './kill-after-vote.js';
import killLeader from './kill-leader.js';
import latency from './latency.js';
import majoritiesRing from './majorities-ring.js';
import oneWay from './one-way.js';
import partitionHalves from './partition-halves.js';
import partitionLeader from './partition-leader.js';
import pauseLeader from './pause-leader.js';
import rollingRestart from './rolling-restart.js';
import splitVote from './split-vote.js';
import staggeredStart from './staggered-start.js';
import rejoinDisruption from './rejoin-disruption.js';
import resetLeader from './reset-leader.js';
import slowNewLeader from './slow-new-leader.js';
import reElectedLeader from './re-elected-leader.js';
import leaseForgotten from './lease-forgotten.js';

/** Every named scenario, in the order `--list` shows them. */
export const scenarios: readonly Scenario[] = [
  baseline,
  partitionLeader,
  partitionHalves,
  majoritiesRing,
  bridge,
  oneWay,
  killLeader,
  crashRestart,
  killAfterVote,
  pauseLeader,
  latency,
  flapping,
  rollingRestart,
  splitVote,
  staggeredStart,
  rejoinDisruption,
  resetLeader,
  slowNewLeader,
  reElectedLeader,
  leaseForgotten,
];
