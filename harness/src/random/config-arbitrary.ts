import fc from 'fast-check';
import { defaultRpcTimeout } from '../../../common/src/election-settings.js';
import type { Scenario } from '../scenario/types.js';

/**
 * The node configuration a random schedule may choose when the search explores configuration
 * (`--explore-config`): cluster size, Pre-Vote, CheckQuorum, the election timeout range and
 * the heartbeat interval. Some mistakes show only on 5 nodes, only with Pre-Vote off, only
 * with a narrow range; a search on the one default configuration never meets them.
 */
export interface ClusterConfig {
  nodes: number;
  preVote: boolean;
  checkQuorum: boolean;
  electionTimeout: readonly [min: number, max: number];
  heartbeatInterval: number;
  /**
   * The nodes' RPC deadline when it is not their default (half the minimum timeout, at most
   * 100 ms): drawn only with `rpcTimeout` exploration (`clusterConfigArb({ rpcTimeout: true })`).
   */
  rpcTimeout?: number;
}

/** The node's defaults: 3 nodes, Pre-Vote and CheckQuorum on, 150-300 ms, heartbeat 50 ms. */
export const DEFAULT_CLUSTER_CONFIG: ClusterConfig = { nodes: 3, preVote: true, checkQuorum: true, electionTimeout: [150, 300], heartbeatInterval: 50 };

/**
 * What the exploration ranges over: sizes 3-7; the timeout's lower end 60-400 ms and its width
 * 30-300 ms but at least half the lower end; heartbeats 10-100 ms, but never more than a third of the lower end (a heartbeat
 * near the timeout makes a correct node's followers time out: a false alarm, not a finding).
 */
export const CONFIG_RANGES = {
  nodes: [3, 7],
  timeoutMin: [60, 400],
  timeoutWidth: [30, 300],
  heartbeat: [10, 100],
  /** How much longer than its default the RPC deadline is, in thousandths of twice the largest timeout (0: the default). */
  rpcLonger: [0, 1000],
} as const;

/** The offsets a configuration is drawn as (see clusterConfigArb). */
interface DrawnConfig {
  nodes: number;
  preVoteOff: boolean;
  checkQuorumOff: boolean;
  timeoutMin: number;
  timeoutWidth: number;
  heartbeat: number;
  rpcLonger?: number;
}

/**
 * Random configurations that shrink toward the defaults: every field is drawn as an offset from
 * its default (fast-check shrinks integers toward 0 and booleans toward false, so "off" is drawn
 * as `true` and negated), and a field a failure does not need shrinks back to its default.
 * Each numeric field is its default outright half the time, so configurations near the
 * default one stay well searched. With `rpcTimeout` the RPC deadline is drawn too (the
 * default one time in four, else up to twice the largest timeout longer, and one time in two
 * at least the largest timeout longer; the random search does so with `--triggers`, whose
 * delayed links need it).
 */
export function clusterConfigArb(explore: { rpcTimeout?: boolean } = {}): fc.Arbitrary<ClusterConfig> {
  const d = DEFAULT_CLUSTER_CONFIG;
  const r = CONFIG_RANGES;
  const offset = (dflt: number, [lo, hi]: readonly [number, number]) =>
    fc.oneof({ arbitrary: fc.constant(0), weight: 1 }, { arbitrary: fc.integer({ min: lo - dflt, max: hi - dflt }), weight: 1 });
  const width = d.electionTimeout[1] - d.electionTimeout[0];
  const fields = {
    nodes: offset(d.nodes, r.nodes),
    preVoteOff: fc.boolean(),
    checkQuorumOff: fc.boolean(),
    timeoutMin: offset(d.electionTimeout[0], r.timeoutMin),
    timeoutWidth: offset(width, r.timeoutWidth),
    heartbeat: offset(d.heartbeatInterval, r.heartbeat),
  };
  // Without RPC deadline exploration the record is the one it always was: same draws per seed.
  // The deadline is the default one time in four, any longer one in four, and one time in two
  // long enough (at least the largest timeout more) that a reply held up past the next election
  // of its node still counts there: the timing a node that counts an earlier election's votes needs.
  const [, most] = r.rpcLonger;
  const rpcLonger = fc.oneof(
    { arbitrary: fc.constant(0), weight: 1 },
    { arbitrary: fc.integer({ min: 1, max: most }), weight: 1 },
    { arbitrary: fc.integer({ min: most / 2, max: most }), weight: 2 },
  );
  const drawn: fc.Arbitrary<DrawnConfig> = explore.rpcTimeout ? fc.record({ ...fields, rpcLonger }) : fc.record(fields);
  return drawn.map((o): ClusterConfig => {
    const min = d.electionTimeout[0] + o.timeoutMin;
    const max = min + Math.max(width + o.timeoutWidth, Math.ceil(min / 2));
    const config: ClusterConfig = {
      nodes: d.nodes + o.nodes,
      preVote: !o.preVoteOff,
      checkQuorum: !o.checkQuorumOff,
      // A range narrower than half its lower end makes split votes in a row common enough to
      // overrun the election-time bound on a correct node: the width never goes below that.
      electionTimeout: [min, max],
      heartbeatInterval: Math.max(r.heartbeat[0], Math.min(d.heartbeatInterval + o.heartbeat, Math.floor(min / 3))),
    };
    // A deadline longer than the default, up to twice the largest timeout: replies and requests
    // held up by a slow link then arrive in a later election instead of being given up.
    if (o.rpcLonger !== undefined && o.rpcLonger > 0) config.rpcTimeout = defaultRpcTimeout(min) + Math.round((o.rpcLonger / r.rpcLonger[1]) * 2 * max);
    return config;
  });
}

/** Whether a configuration is the default one in every field. */
export function isDefaultConfig(c: ClusterConfig): boolean {
  const d = DEFAULT_CLUSTER_CONFIG;
  return (
    c.nodes === d.nodes &&
    c.preVote === d.preVote &&
    c.checkQuorum === d.checkQuorum &&
    c.electionTimeout[0] === d.electionTimeout[0] &&
    c.electionTimeout[1] === d.electionTimeout[1] &&
    c.heartbeatInterval === d.heartbeatInterval &&
    c.rpcTimeout === undefined
  );
}

/** The scenario fields that carry a configuration (all of them: a scenario file replays as is). */
export function configFields(c: ClusterConfig): Pick<Scenario, 'nodes' | 'electionTimeout' | 'heartbeatInterval' | 'preVote' | 'checkQuorum' | 'rpcTimeout'> {
  return {
    nodes: c.nodes,
    electionTimeout: [c.electionTimeout[0], c.electionTimeout[1]],
    heartbeatInterval: c.heartbeatInterval,
    preVote: c.preVote,
    checkQuorum: c.checkQuorum,
    ...(c.rpcTimeout !== undefined ? { rpcTimeout: c.rpcTimeout } : {}),
  };
}

/** A configuration in a few words: `5 nodes, Pre-Vote off, CheckQuorum on, 90-140 ms, heartbeat 30 ms`. */
export function describeConfig(c: ClusterConfig): string {
  const rpc = c.rpcTimeout !== undefined ? `, RPC deadline ${c.rpcTimeout} ms` : '';
  return `${c.nodes} nodes, Pre-Vote ${c.preVote ? 'on' : 'off'}, CheckQuorum ${c.checkQuorum ? 'on' : 'off'}, ${c.electionTimeout[0]}-${c.electionTimeout[1]} ms, heartbeat ${c.heartbeatInterval} ms${rpc}`;
}
