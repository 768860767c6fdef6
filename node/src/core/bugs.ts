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
] as const;

/** One deliberate bug. `forget-vote` is honoured by the driver's storage, the rest by the core. */
export type BugName = (typeof BUG_NAMES)[number];

/** Whether `name` is a known bug name. */
export function isBugName(name: string): name is BugName {
  return (BUG_NAMES as readonly string[]).includes(name);
}
