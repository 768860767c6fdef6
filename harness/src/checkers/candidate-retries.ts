import type { HistoryEntry, NodeEventEntry, PollEntry, RunConfig } from '../history/types.js';
import { inTimeOrder } from './support/timeline.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notJudged, type Checker, type CheckContext, type CheckResult } from './types.js';

/**
 * How late a node's election timer may fire on a busy host, on top of two timeouts and two
 * polls: a correct candidate is never seen in one term for longer than the bound this gives,
 * and a candidate that never retries stays there until something from outside moves it.
 */
export const CAMPAIGN_SLACK_MS = 500;

/**
 * The longest a correct node is seen campaigning in one term: `2E + 2P + 500` ms (E the
 * maximum election timeout, P the poll interval). A candidate (or pre-candidate) times out
 * within E and starts a new election (Raft §5.2), so it is never in the same round for one
 * whole E; another E allows for a timer drawn just before the poll that first saw it, the polls
 * see the change within 2P, and CAMPAIGN_SLACK_MS allows for a timer that fires late. 1200 ms
 * for 150-300 ms and 50 ms polls.
 */
export function campaignBoundMs(config: Pick<RunConfig, 'electionTimeoutMax' | 'pollIntervalMs'>): number {
  return 2 * config.electionTimeoutMax + 2 * config.pollIntervalMs + CAMPAIGN_SLACK_MS;
}

/** A node seen campaigning in one election round for longer than the bound. */
export interface StuckCampaign {
  node: string;
  role: 'candidate' | 'pre-candidate';
  term: number;
  fromMs: number;
  /** From the poll that first showed it to the earliest moment the last such poll can have been read (at least). */
  lastedMs: number;
}

/** One campaign seen in a node's polls: same boot, role and term, and (with events) the same round. */
interface Round {
  first: PollEntry;
  last: PollEntry;
  role: 'candidate' | 'pre-candidate';
  /** Its violation once past the bound; `lastedMs` grows while the polls still show it. */
  stuck: StuckCampaign | null;
}

const ROUND_EVENTS = new Set(['become-candidate', 'become-pre-candidate', 'become-follower', 'become-leader', 'start']);

function campaignRole(p: PollEntry): 'candidate' | 'pre-candidate' | null {
  const role = p.role ?? p.state;
  return role === 'candidate' || role === 'pre-candidate' ? role : null;
}

/**
 * A failed election is retried (Raft §5.2: "each candidate times out and starts a new election
 * by incrementing its term"): no node's polls show it a candidate in one term, in one boot,
 * for longer than `campaignBoundMs` (2 maximum election timeouts, 2 polls and 500 ms). A
 * pre-candidate (Pre-Vote, thesis §9.6) retries in the same term, so it is judged only where
 * the node's events show each new round (`become-pre-candidate`); a subject without events is
 * judged on candidates only. A process event of the node (kill, pause, restart, ...) ends what
 * its polls showed so far. Unknown when no poll answered; not judged when no node was seen
 * campaigning. It needs only role and term in the status, which every subject gives.
 */
export const candidateRetries: Checker = {
  name: 'candidate-retries',
  description: 'A candidate whose election fails times out and starts a new one: no node campaigns in one term for longer than two election timeouts (and slack).',
  check(history: readonly HistoryEntry[], ctx: CheckContext): CheckResult {
    const bound = campaignBoundMs(ctx.config);
    const withEvents = ctx.subject === undefined || ctx.subject.capabilities.events;
    const open = new Map<string, Round>();
    const found: StuckCampaign[] = [];
    const w = new Witnesses();
    let polls = 0;
    let campaigning = 0;
    let preCandidatesUnjudged = 0;
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      if (e.type === 'process') {
        open.delete(e.node);
        continue;
      }
      if (e.type === 'events-gap') {
        open.delete(e.node);
        continue;
      }
      if (e.type === 'node-event') {
        if (withEvents && ROUND_EVENTS.has((e as NodeEventEntry).kind)) open.delete(e.node);
        continue;
      }
      if (e.type !== 'poll' || e.outcome !== 'ok' || e.term === undefined) continue;
      polls++;
      const role = campaignRole(e);
      if (role === null) {
        open.delete(e.node);
        continue;
      }
      if (role === 'pre-candidate' && !withEvents) {
        preCandidatesUnjudged++;
        open.delete(e.node);
        continue;
      }
      campaigning++;
      const cur = open.get(e.node);
      if (!cur || cur.role !== role || cur.first.term !== e.term || cur.first.bootId !== e.bootId) {
        open.set(e.node, { first: e, last: e, role, stuck: null });
        continue;
      }
      cur.last = e;
      const lasted = e.t - e.latencyMs - cur.first.t;
      if (cur.stuck !== null) {
        cur.stuck.lastedMs = Math.max(cur.stuck.lastedMs, lasted);
      } else if (lasted > bound) {
        cur.stuck = { node: e.node, role, term: e.term, fromMs: cur.first.t, lastedMs: lasted };
        found.push(cur.stuck);
        w.add(cur.first, e);
      }
    }
    const details = { violations: found, polls, campaigningPolls: campaigning, boundMs: bound, judgedPreCandidates: withEvents };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} stayed ${f.role} in term ${f.term} for ${ms(f.lastedMs)} from ${ms(f.fromMs)} without a new election`)
        .join('; ');
      return {
        name: this.name,
        verdict: 'invalid',
        message: `A failed election was not retried (bound ${ms(bound)} = 2 timeouts + 2 polls + ${CAMPAIGN_SLACK_MS} ms): ${say}.`,
        witnesses: w.toArray(),
        details,
      };
    }
    if (polls === 0) return { name: this.name, verdict: 'unknown', message: 'Not judged: no poll answered, so no campaign was seen.', witnesses: [], details };
    if (campaigning === 0) {
      const pre = preCandidatesUnjudged > 0 ? ` (${preCandidatesUnjudged} pre-candidate polls not judged: without events a new pre-vote round cannot be told from the last)` : '';
      return notJudged(this.name, `no node was seen campaigning in ${polls} polls${pre}.`, details);
    }
    return {
      name: this.name,
      verdict: 'valid',
      message: `Every campaign seen was retried or ended within ${ms(bound)} (${campaigning} campaigning polls of ${polls}).`,
      witnesses: [],
      details,
    };
  },
};
