import { defaultRpcTimeout } from '../../../common/src/election-settings.js';
import { ConfigError } from '../../../common/src/errors.js';
import type { Bounds } from '../history/types.js';

/** What the default bounds are derived from (a RunConfig has all of it). */
export interface BoundsInput {
  electionTimeoutMin: number;
  electionTimeoutMax: number;
  heartbeatInterval: number;
  pollIntervalMs: number;
  /** Per-RPC deadline; default as the node's: min(100, electionTimeoutMin / 2). */
  rpcTimeout?: number;
}

/** Time a killed node's process needs to start again (node/API.md: "well under a second"). */
export const PROCESS_START_SLACK_MS = 1000;

function positive(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} must be a positive number of ms, got ${String(value)}`);
  }
  return value;
}

/**
 * Default checker bounds, from the node timeouts and the poll interval (E = electionTimeoutMax,
 * R = rpcTimeout, P = pollIntervalMs):
 *
 * - `electionMs = 2E + 2R + 2P`. A follower notices the leader is gone within E of its last
 *   heartbeat; one split vote costs at most one more timeout (another E); the pre-vote and the
 *   vote round each take at most one RPC deadline (2R); the harness sees the new leader and a
 *   majority following it within about two polls (2P). For 150-300 ms, R = 75, P = 50: 850 ms
 *   (the issue's ceiling is 1 s; the Raft paper's p99 for these timeouts is about 415 ms).
 * - `stepDownMs = 2E + 2P`. CheckQuorum steps a leader down when it has not heard from a
 *   majority for an election timeout, checked once per timeout, so up to two timeouts after the
 *   cut; plus two polls to see it. 700 ms for 150-300. An RPC deadline longer than the node's
 *   default adds the difference (`lateReplyMs`): a reply sent before the cut counts that late.
 * - `recoveryMs = 2 * electionMs + 1000`. After the final heal a rejoining node may disrupt the
 *   leader once (one election) and a restarted node once more (another), and a killed node's
 *   process needs up to a second to start. 2700 ms for 150-300 (the default recovery window is
 *   max(2000, 10E) = 3000 ms).
 *
 * `overrides` (a scenario's `bounds`) replace single values. Throws ConfigError naming the
 * option for a non-positive value or a min above the max.
 */
export function deriveBounds(input: BoundsInput, overrides: Partial<Bounds> = {}): Bounds {
  const min = positive('electionTimeoutMin', input.electionTimeoutMin);
  const max = positive('electionTimeoutMax', input.electionTimeoutMax);
  positive('heartbeatInterval', input.heartbeatInterval);
  const poll = positive('pollIntervalMs', input.pollIntervalMs);
  if (min > max) throw new ConfigError(`electionTimeoutMin (${min}) must not exceed electionTimeoutMax (${max})`);
  const rpc = positive('rpcTimeout', input.rpcTimeout ?? defaultRpcTimeout(min));
  const electionMs = 2 * max + 2 * rpc + 2 * poll;
  const derived: Bounds = {
    electionMs,
    stepDownMs: 2 * max + 2 * poll + lateReplyMs(rpc, min),
    recoveryMs: 2 * electionMs + PROCESS_START_SLACK_MS,
  };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === undefined) continue;
    if (!(k in derived)) throw new ConfigError(`unknown bound ${k}; the bounds are electionMs, stepDownMs, recoveryMs`);
    derived[k as keyof Bounds] = positive(`bounds.${k}`, v);
  }
  return derived;
}

/**
 * How much later than the node's default RPC deadline (`defaultRpcTimeout`: half the minimum
 * timeout, at most 100 ms) a reply may still be counted: 0 by default. A CheckQuorum leader counts an AppendEntries reply
 * that arrives within its RPC deadline, so with a longer deadline a reply sent before a cut can
 * keep it leading that much longer (the random search draws such deadlines with
 * `--explore-config --triggers`).
 */
export function lateReplyMs(rpcTimeout: number, electionTimeoutMin: number): number {
  return Math.max(0, rpcTimeout - defaultRpcTimeout(electionTimeoutMin));
}

/** One line per bound saying how it was derived, for reports ("electionMs 850 = 2x300 + 2x75 + 2x50"). */
export function explainBounds(input: BoundsInput, overrides: Partial<Bounds> = {}): Record<keyof Bounds, string> {
  const b = deriveBounds(input, overrides);
  const max = input.electionTimeoutMax;
  const rpc = input.rpcTimeout ?? Math.min(100, input.electionTimeoutMin / 2);
  const p = input.pollIntervalMs;
  const given = (k: keyof Bounds, text: string) => (overrides[k] !== undefined ? `${k} ${b[k]} ms (set by the scenario)` : text);
  const electionMs = 2 * max + 2 * rpc + 2 * p;
  return {
    electionMs: given('electionMs', `electionMs ${b.electionMs} ms = 2x${max} (timeout + one split vote) + 2x${rpc} (pre-vote, vote RPCs) + 2x${p} (polls)`),
    stepDownMs: given(
      'stepDownMs',
      `stepDownMs ${b.stepDownMs} ms = 2x${max} (CheckQuorum window and check) + 2x${p} (polls)${lateReplyMs(rpc, input.electionTimeoutMin) > 0 ? ` + ${lateReplyMs(rpc, input.electionTimeoutMin)} (replies counted up to an RPC deadline of ${rpc} ms)` : ''}`,
    ),
    recoveryMs: given('recoveryMs', `recoveryMs ${b.recoveryMs} ms = 2x${electionMs} (two elections) + ${PROCESS_START_SLACK_MS} (process start)`),
  };
}
