import type { HistoryEntry } from '../history/types.js';
import { electionSafety } from './election-safety.js';
import { checkQuorum } from './check-quorum.js';
import { candidateRetries } from './candidate-retries.js';
import { cutOffTerm } from './cut-off-term.js';
import { electionTime } from './election-time.js';
import { faultsInForce } from './faults-in-force.js';
import { followsAsFollower } from './follows-as-follower.js';
import { leaderHasVotes } from './leader-has-votes.js';
import { leaderMajority } from './leader-majority.js';
import { livenessAfterHeal } from './liveness-after-heal.js';
import { livenessAtStart } from './liveness-at-start.js';
import { monotonicTerms } from './monotonic-terms.js';
import { nodeCrash } from './node-crash.js';
import { nodeReports } from './node-reports.js';
import { voteTerm } from './vote-term.js';
import { needlessElection } from './needless-election.js';
import { observation } from './observation.js';
import { oneVotePerTerm } from './one-vote-per-term.js';
import { persistOrStop } from './persist-or-stop.js';
import { refuseCorruptState } from './refuse-corrupt-state.js';
import { stableLeadership } from './stable-leadership.js';
import { bootWait } from './boot-wait.js';
import { stepDown } from './step-down.js';
import { timeoutRange } from './timeout-range.js';
import { preVoteOff } from './pre-vote-off.js';
import { preVoteOutcome } from './pre-vote-outcome.js';
import { stepDownCause } from './step-down-cause.js';
import { termAdoption } from './term-adoption.js';
import { voteReplies } from './vote-replies.js';
import { timerReset } from './timer-reset.js';
import { preVoteWon } from './pre-vote-won.js';
import { quorumWindow } from './quorum-window.js';
import { worstVerdict, type Checker, type CheckContext, type CheckResult, type Verdict } from './types.js';

/** Every checker, in report order. A scenario's `skipChecks` removes some by name. */
export const defaultCheckers: readonly Checker[] = [
  electionSafety,
  electionTime,
  livenessAtStart,
  stepDown,
  checkQuorum,
  livenessAfterHeal,
  stableLeadership,
  monotonicTerms,
  oneVotePerTerm,
  voteTerm,
  followsAsFollower,
  candidateRetries,
  leaderMajority,
  leaderHasVotes,
  needlessElection,
  cutOffTerm,
  nodeCrash,
  nodeReports,
  termAdoption,
  voteReplies,
  timeoutRange,
  bootWait,
  preVoteOff,
  stepDownCause,
  preVoteOutcome,
  persistOrStop,
  refuseCorruptState,
  timerReset,
  preVoteWon,
  quorumWindow,
  observation,
  faultsInForce,
];

/**
 * The checks whose every violation is a bug, whatever the timing: two leaders in a term, two
 * votes in a term, a term going back, a candidate following a leader, a leader elected without
 * a majority (of links or of votes), a needless election or a new term from a cut-off node under Pre-Vote, a node that died by itself, a node whose reports are malformed or contradict its events, a higher term delivered and not adopted or a malformed message, a vote reply its voter's events contradict, an election timeout outside its range, a campaign as a node boots, a campaign before the timer restarted by a granted vote or a role change ran out, a candidacy on a Pre-Vote round a majority did not grant, a pre-vote round with Pre-Vote off, a leader stepping down in its own term without CheckQuorum, a node that shows state its failing disk could not persist, a node that starts from a corrupt state file, a leader that no majority answered in its first CheckQuorum window leading past it (judged on virtual time only). The others
 * check timing bounds (how soon a leader is elected or steps down), which randomized timeouts
 * overrun now and then. `--checks safety` stands for these, and the simulated search counts
 * their failures under any share of run seeds.
 */
export const SAFETY_CHECKS = [
  'election-safety',
  'one-vote-per-term',
  'vote-term',
  'monotonic-terms',
  'follows-as-follower',
  'leader-majority',
  'leader-has-votes',
  'needless-election',
  'cut-off-term',
  'node-crash',
  'node-reports',
  'term-adoption',
  'vote-replies',
  'timeout-range',
  'boot-wait',
  'pre-vote-off',
  'step-down-cause',
  'persist-or-stop',
  'refuse-corrupt-state',
  'timer-reset',
  'pre-vote-won',
  'quorum-window',
] as const;

/** What checkAll returns: the worst verdict, and each checker's result in order. */
export interface CheckAllResult {
  verdict: Verdict;
  results: CheckResult[];
}

/**
 * Runs checkers over one history and composes them (Jepsen `checker/compose`): the verdict is
 * the worst (`invalid` > `unknown` > `valid`). A checker that throws gives `unknown` with the
 * error in its message, never `valid`; one that returns a malformed verdict is `unknown` too.
 * The history must not change while this runs.
 */
export function checkAll(
  history: readonly HistoryEntry[],
  ctx: CheckContext,
  checkers: readonly Checker[] = defaultCheckers,
): CheckAllResult {
  const results = checkers.map((c): CheckResult => {
    try {
      const r = c.check(history, ctx);
      if (r.verdict !== 'valid' && r.verdict !== 'invalid' && r.verdict !== 'unknown') {
        return { name: c.name, verdict: 'unknown', message: `Checker returned a bad verdict ${JSON.stringify(r.verdict)}.`, witnesses: [] };
      }
      return r;
    } catch (err) {
      const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
      return { name: c.name, verdict: 'unknown', message: `Checker threw, so nothing is known: ${text}`, witnesses: [], details: { error: text } };
    }
  });
  return { verdict: worstVerdict(results.map((r) => r.verdict)), results };
}

/**
 * The default checkers minus those a scenario skips (`skipChecks`: name → reason). Throws
 * nothing; unknown names in `skip` are returned in `unknownSkips` so the caller can report them.
 */
export function selectCheckers(
  skip: Readonly<Record<string, string>> = {},
  from: readonly Checker[] = defaultCheckers,
): { checkers: Checker[]; skipped: Array<{ name: string; reason: string }>; unknownSkips: string[] } {
  const names = new Set(from.map((c) => c.name));
  return {
    checkers: from.filter((c) => !(c.name in skip)),
    skipped: from.filter((c) => c.name in skip).map((c) => ({ name: c.name, reason: skip[c.name] as string })),
    unknownSkips: Object.keys(skip).filter((n) => !names.has(n)),
  };
}
