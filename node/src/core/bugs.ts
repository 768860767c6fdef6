/**
 * The deliberate bugs a node can be started with (`--bug NAME`), so the harness can prove
 * each of its checkers catches the behaviour it is meant to catch. All are off by default.
 */
export const BUG_NAMES = [
  'forget-vote',
  'vote-twice',
  'majority-off-by-one',
  'fixed-timeout',
  'candidate-no-retry',
  'no-step-down',
  'slow-heartbeat',
  'candidate-ignores-leader',
  'pre-vote-ignores-lease',
  'pre-vote-raises-term',
  'majority-half',
  'count-any-reply',
  'reply-before-persist',
  'no-fsync',
  'stuck-election-timer',
  'grant-stale-term',
  'silent-leader',
  'check-quorum-ignores-flag',
  'quorum-needs-all-but-one',
  'timeout-past-max',
  'campaign-at-boot',
  'pre-vote-when-off',
  'yield-to-same-term',
  'pre-vote-stays-lost',
  'refuse-all-votes',
  'ignore-write-error',
  'accept-corrupt-state',
  'ignore-reply-term',
  'stale-refusal-logged-granted',
  'lease-never-expires',
  'vote-keeps-timer',
  'count-stale-votes',
  'quorum-counts-votes',
] as const;

/**
 * One deliberate bug. `forget-vote`, `reply-before-persist`, `no-fsync`, `ignore-write-error`
 * (a failed save of term and vote is ignored: the node goes on as if it were durable) and
 * `accept-corrupt-state` (a state file that fails validation is read as a fresh node's term 0
 * and no vote) are honoured by the server's driver and storage (node/src/server/driver.ts,
 * storage.ts), the rest by the core.
 */
export type BugName = (typeof BUG_NAMES)[number];

/** Whether `name` is a known bug name. */
export function isBugName(name: string): name is BugName {
  return (BUG_NAMES as readonly string[]).includes(name);
}
