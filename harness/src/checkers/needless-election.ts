import type { HistoryEntry } from '../history/types.js';
import { MajorityWatch } from './support/majority-watch.js';
import { faultGraceMs, Pending } from './support/pending.js';
import { crossNodeSlackMs } from './support/stamps.js';
import { termShown } from './support/terms.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A leader deposed while it kept a clean majority. */
export interface NeedlessElection {
  leader: string;
  term: number;
  /** The node that started the new term, or the leader itself for a step-down. */
  by: string;
  newTerm: number | null;
  atMs: number;
  /** Since when the leader had had a clean majority. */
  majoritySinceMs: number;
  how: 'new-term' | 'step-down';
}

/** A pre-vote granted to a candidate, as the voter's `vote` event recorded it. */
interface PreVoteGrant {
  voter: string;
  role: unknown;
  /** Ms since the voter last heard its leader (null: none known); absent when the node does not say. */
  leaderHeardAgoMs: unknown;
}

/**
 * For each term, the pre-votes each node that campaigned for it (a `become-candidate` event of
 * that term) was granted in the pre-vote round that made it a candidate: grants of that term
 * (`requestTerm`, where the voter says it) stamped from its last `become-pre-candidate` to the
 * candidacy, each end widened by the stamps' slack on processes. A real node stamps whole milliseconds and
 * the harness reads each node's events in its own poll, so a grant stamped in the round's first
 * millisecond can come before the round's start in the history, and one in its last after the
 * candidacy. Found in passes of their own: the first node seen in the new term may be a voter
 * that adopted it, recorded a moment before the candidate's own events.
 */
function preVoteRounds(history: readonly HistoryEntry[], slack: number): Map<number, PreVoteGrant[][]> {
  const grants = new Map<string, { t: number; requestTerm: unknown; grant: PreVoteGrant }[]>();
  for (const e of history) {
    if (e.type !== 'node-event' || e.kind !== 'vote' || e['preVote'] !== true || e['granted'] !== true || typeof e['candidate'] !== 'string') continue;
    const list = grants.get(e['candidate']) ?? [];
    list.push({ t: e.t, requestTerm: e['requestTerm'], grant: { voter: e.node, role: e['role'], leaderHeardAgoMs: 'leaderHeardAgoMs' in e ? e['leaderHeardAgoMs'] : undefined } });
    grants.set(e['candidate'], list);
  }
  const roundStart = new Map<string, number>();
  const rounds = new Map<number, PreVoteGrant[][]>();
  for (const e of history) {
    if (e.type !== 'node-event') continue;
    if (e.kind === 'become-pre-candidate') roundStart.set(e.node, e.t);
    if (e.kind === 'become-candidate') {
      const from = roundStart.get(e.node);
      const won =
        from === undefined
          ? []
          : (grants.get(e.node) ?? [])
              .filter((g) => (g.requestTerm === undefined || g.requestTerm === e.term) && g.t >= from - slack && g.t <= e.t + slack)
              .map((g) => g.grant);
      rounds.set(e.term, [...(rounds.get(e.term) ?? []), won]);
      roundStart.delete(e.node);
    }
  }
  return rounds;
}

/**
 * Whether every node that campaigned for a term won its pre-votes outside the voters' lease:
 * each grant came from a voter that had not heard its leader for `electionTimeoutMin`, so
 * heartbeats came late (CPU starvation or a slow host, which the history cannot attribute to
 * the node). Only when each grant says how long ago its voter heard the leader; otherwise (no
 * campaign recorded, a candidate with no grant, a node that does not say) the term is judged
 * as before.
 */
function grantedOutsideLease(rounds: readonly PreVoteGrant[][] | undefined, electionTimeoutMin: number): boolean {
  if (!rounds || rounds.length === 0) return false;
  return rounds.every(
    (grants) =>
      grants.length > 0 &&
      grants.every((g) => g.role !== 'leader' && (g.leaderHeardAgoMs === null || (typeof g.leaderHeardAgoMs === 'number' && g.leaderHeardAgoMs >= electionTimeoutMin))),
  );
}

/** How long a leader must have led with a clean majority before deposing it is needless. */
export function needlessWindowMs(c: { electionTimeoutMax: number; rpcTimeout: number; heartbeatInterval: number }): number {
  return 2 * c.electionTimeoutMax + c.rpcTimeout + c.heartbeatInterval;
}

/**
 * No needless elections (thesis §9.6, Pre-Vote and CheckQuorum): with Pre-Vote on, a leader that
 * keeps direct two-way links to a majority, unslowed (see `MajorityWatch.clean`), is never
 * deposed, whoever was cut off or restarted meanwhile: its followers hear it within every
 * election timeout, so they refuse every pre-vote, and CheckQuorum hears a majority. Invalid
 * when a node starts a term above the leader's (a `term` event, or a poll showing a new highest
 * term), or the leader steps down on its own, while the leader has had such a majority for a
 * whole window (`needlessWindowMs`: two quorum windows, an RPC and a heartbeat, so what a fault
 * set in motion has finished), unless a fault or process entry within `faultGraceMs` after it
 * takes that majority away (the fault was being applied). A new term is not judged needless when
 * every pre-vote granted for it came from a voter that, by its own `vote` event
 * (`leaderHeardAgoMs`), had not heard the leader for a minimum election timeout: the links were
 * clean but the heartbeats late (a starved host), which is timing, not a Raft violation; such
 * elections are listed in `details.lateHeartbeats`. Applies with Pre-Vote on only: off, a rejoining node's higher
 * term deposes the leader by design (the report says "not applicable"). Unknown when no leader
 * was ever watched through a window.
 */
export const needlessElection: Checker = {
  name: 'needless-election',
  description: 'With Pre-Vote, no election deposes a leader that kept a majority (a node cut off or restarted rejoins without one).',
  check(history, ctx): CheckResult {
    const lacks = subjectLacks(ctx, ['preVote'], 'has no Pre-Vote, so a rejoining node may depose the leader by design');
    if (lacks !== null) return notApplicable(this.name, lacks);
    if (!ctx.config.preVote) {
      return { name: this.name, verdict: 'valid', message: 'Not applicable: Pre-Vote is off, so a rejoining node may depose the leader by design.', witnesses: [], details: { applicable: false } };
    }
    const window = needlessWindowMs(ctx.config);
    const watch = new MajorityWatch(ctx.nodes, ctx.config);
    const found: NeedlessElection[] = [];
    const lateHeartbeats: NeedlessElection[] = [];
    const ordered = inTimeOrder(history);
    const rounds = preVoteRounds(ordered, crossNodeSlackMs(history));
    const w = new Witnesses();
    let maxTerm = 0;
    let leader: { node: string; term: number; since: number; entry: HistoryEntry } | null = null;
    let watchedMs = 0;
    let lastT = 0;
    const steady = (t: number) => leader !== null && leader.term === maxTerm && t - leader.since >= window && watch.clean(leader.node, t, window);

    const pending = new Pending<{ v: NeedlessElection; leader: HistoryEntry; e: HistoryEntry }>(faultGraceMs(ctx.config));
    const flag = (v: NeedlessElection, leaderEntry: HistoryEntry, e: HistoryEntry) => pending.add(e.t, { v, leader: leaderEntry, e });
    const confirm = (xs: Array<{ v: NeedlessElection; leader: HistoryEntry; e: HistoryEntry }>) => {
      for (const x of xs) {
        found.push(x.v);
        w.add(x.leader, x.e);
      }
    };
    for (const e of ordered) {
      if (isTeardown(e)) break;
      if (steady(e.t) && steady(lastT)) watchedMs += e.t - lastT;
      lastT = e.t;
      // A fault recorded just after the election may have reached the leader's links before it.
      confirm(pending.confirmed(e.t));
      if (watch.apply(e)) pending.recheck((x) => watch.clean(x.v.leader, e.t));
      // A killed or stopped leader comes back a follower; a paused one resumes leading (the
      // watch counts it down meanwhile, so its window starts again at the resume).
      if (leader && e.type === 'process' && e.node === leader.node && (e.action === 'kill' || e.action === 'stop' || e.action === 'exit' || e.action === 'start')) leader = null;
      if (e.type === 'node-event') {
        if (e.kind === 'become-leader' && e.term >= maxTerm) {
          leader = { node: e.node, term: e.term, since: e.t, entry: e };
          maxTerm = e.term;
          continue;
        }
        if (leader && e.node === leader.node && (e.kind === 'start' || e.kind === 'step-down')) {
          if (e.kind === 'step-down' && e.term === leader.term && steady(e.t)) {
            flag({ leader: leader.node, term: leader.term, by: e.node, newTerm: null, atMs: e.t, majoritySinceMs: watch.cleanSinceOf(leader.node) as number, how: 'step-down' }, leader.entry, e);
          }
          leader = null;
        }
      }
      const shown = termShown(e);
      if (!shown || shown.term <= maxTerm) continue;
      if (leader && steady(e.t)) {
        const v: NeedlessElection = { leader: leader.node, term: leader.term, by: shown.node, newTerm: shown.term, atMs: e.t, majoritySinceMs: watch.cleanSinceOf(leader.node) as number, how: 'new-term' };
        if (grantedOutsideLease(rounds.get(shown.term), ctx.config.electionTimeoutMin)) lateHeartbeats.push(v);
        else flag(v, leader.entry, e);
      }
      maxTerm = shown.term;
      leader = null;
    }

    confirm(pending.drain());
    const details = { applicable: true, needless: found, lateHeartbeats, windowMs: window, watchedMs };
    const late =
      lateHeartbeats.length > 0
        ? ` Not judged: ${lateHeartbeats.length} new term(s) while a leader kept its links (first: ${lateHeartbeats[0]!.by} started term ${lateHeartbeats[0]!.newTerm} at ${ms(lateHeartbeats[0]!.atMs)}) won pre-votes only from voters that had not heard the leader for ${ms(ctx.config.electionTimeoutMin)} (late heartbeats: timing, not a Raft violation).`
        : '';
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((x) =>
          x.how === 'step-down'
            ? `${x.leader} (leader of term ${x.term}) stepped down at ${ms(x.atMs)} with a majority since ${ms(x.majoritySinceMs)}`
            : `${x.by} started term ${x.newTerm} at ${ms(x.atMs)} while ${x.leader} led term ${x.term} with a majority since ${ms(x.majoritySinceMs)}`,
        )
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} needless election(s), leader deposed: ${say}.${late}`, witnesses: w.toArray(), details };
    }
    if (watchedMs === 0) {
      return { name: this.name, verdict: 'unknown', message: `Not judged: no leader kept a clean majority for ${ms(window)}, so no election could be needless.`, witnesses: [], details };
    }
    return { name: this.name, verdict: 'valid', message: `No leader with a majority was deposed (${ms(watchedMs)} watched, window ${ms(window)}).${late}`, witnesses: [], details };
  },
};
