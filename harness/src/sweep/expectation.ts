import { createRng } from '../util/rng.js';
import { summarize, type Summary } from './stats.js';

/** What the expectation is computed from. */
export interface ExpectationInput {
  /** Cluster size before the leader is removed. */
  nodes: number;
  min: number;
  max: number;
  heartbeatMs: number;
  /** One RPC round trip between nodes (default 2 ms: loopback through a proxy). */
  rttMs?: number;
  /** A pre-vote round trip before each candidacy (default true, as the node runs). */
  preVote?: boolean;
  /** Monte Carlo samples (default 20 000). */
  samples?: number;
  seed?: number;
}

/** The distribution the timeouts alone predict, and how often an election needs another term. */
export interface Expectation extends Summary {
  /** Share of elections that needed more than one term (a split vote). */
  splitShare: number;
  /** Mean number of terms per election. */
  meanRounds: number;
  /** What it was computed from. */
  input: ExpectationInput;
}

/**
 * What the timeouts predict for the time from the leader's removal to a new leader's
 * `become-leader`, by Monte Carlo with a fixed seed. The leader's last heartbeat reached every
 * follower U(0, heartbeat) before the removal; each of the n-1 followers fires after U(min,max)
 * from it (then a pre-vote round trip). Candidates that fire within half a round trip of the
 * first (before its request reaches them) split the cluster: every other follower votes for
 * the candidate whose request reaches it first (arrival jittered ±50%), each candidate for
 * itself; a candidate with a majority of the whole cluster wins a vote round trip later.
 * Otherwise the term elects nobody and everyone draws a fresh U(min,max) from when it last
 * voted or stood: a new term. Message loss, CPU scheduling and timer resolution are left out,
 * which is exactly what a measurement shows beyond this.
 */
export function expectedElection(input: ExpectationInput): Expectation {
  const { times, splits, rounds } = simulate(input);
  return { ...summarize(times), splitShare: splits / times.length, meanRounds: rounds / times.length, input: { ...input } };
}

/** The raw Monte Carlo times of `expectedElection` (for a CDF). */
export function expectedSamples(input: ExpectationInput): number[] {
  return simulate(input).times;
}

function simulate(input: ExpectationInput): { times: number[]; splits: number; rounds: number } {
  const { nodes, min, max, heartbeatMs } = input;
  const rtt = input.rttMs ?? 2;
  const preVote = input.preVote ?? true;
  const samples = input.samples ?? 20_000;
  const rng = createRng(input.seed ?? 16);
  const alive = nodes - 1;
  const majority = Math.floor(nodes / 2) + 1;
  const draw = () => min + rng.next() * (max - min);
  const times: number[] = [];
  let splits = 0;
  let rounds = 0;
  for (let i = 0; i < samples; i++) {
    const phase = rng.next() * heartbeatMs;
    let fire = Array.from({ length: alive }, () => Math.max(0, draw() - phase) + (preVote ? rtt : 0));
    let round = 1;
    for (; ; round++) {
      const first = Math.min(...fire);
      const candidates = fire.map((t, k) => [t, k] as const).filter(([t]) => t < first + rtt / 2);
      const votes = new Map<number, number>(candidates.map(([, k]) => [k, 1]));
      const next = [...fire];
      fire.forEach((_, voter) => {
        if (candidates.some(([, k]) => k === voter)) {
          next[voter] = fire[voter]! + draw() + (preVote ? rtt : 0);
          return;
        }
        let best = -1;
        let bestAt = Infinity;
        for (const [t, k] of candidates) {
          const at = t + (rtt / 2) * (0.5 + rng.next());
          if (at < bestAt) [best, bestAt] = [k, at];
        }
        votes.set(best, (votes.get(best) ?? 0) + 1);
        next[voter] = bestAt + draw() + (preVote ? rtt : 0);
      });
      const winner = [...votes].find(([, v]) => v >= majority);
      if (winner || round >= 50) {
        times.push(fire[winner?.[0] ?? 0]! + rtt);
        break;
      }
      fire = next;
    }
    rounds += round;
    if (round > 1) splits++;
  }
  return { times, splits, rounds };
}

/**
 * The bench's original model, kept for `npm run bench -- failover`: the first of the n-1
 * followers' timeouts after the last heartbeat, plus a pre-vote and a vote round trip, no split
 * votes. Equal to `expectedElection` whenever the first timeout is alone.
 */
export function expectedFailover(n: number, min: number, max: number, heartbeat: number, rttMs = 1): Summary {
  const rng = createRng(16);
  const xs: number[] = [];
  for (let i = 0; i < 20_000; i++) {
    let first = Infinity;
    for (let f = 0; f < n - 1; f++) first = Math.min(first, min + rng.next() * (max - min));
    xs.push(Math.max(0, first - rng.next() * heartbeat) + 2 * rttMs);
  }
  return summarize(xs);
}
