import type { HistoryEntry, NodeEventEntry } from '../history/types.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** A campaign that came before the election timer restarted by an earlier event could run out. */
export interface EarlyTimerCampaign {
  node: string;
  bootId: string;
  /** What restarted the timer: `vote` (a real vote granted as follower) or the `become-*` kind. */
  restartedBy: string;
  restartedAtMs: number;
  /** The timeout that countdown ran with (the node's last drawn one; the configured minimum when unknown). */
  timeoutMs: number;
  campaignedAtMs: number;
  kind: string;
  /** For a vote: the candidate and term it was granted to. */
  candidate?: string;
  term: number;
}

/** How coarse a real node's event stamps are (`Date.now()`), ms. */
const STAMP_RESOLUTION_MS = 1;

/**
 * How much later than the step that restarted the timer its event may be stamped: our node logs a
 * step's events once the state they depend on is durable (node/API.md), so a granted vote or a
 * new term is stamped after its write. The simulation's writes take 2-14 ms (sim-nodes.ts,
 * PROCESS_TIMING, measured on this machine's processes); a real one's write is allowed twice that.
 * A `--disk sync-delay=MS` adds 2 x MS (a file's fsync and its directory's).
 */
export const WRITE_ALLOWANCE_MS = 28;

/** The timer-restarting `become-*` kinds: each draws a new timeout (`electionTimeoutMs`). */
const BECOMES: ReadonlySet<string> = new Set(['become-follower', 'become-pre-candidate', 'become-candidate']);

/** The extra fsync time of a `--disk sync-delay=MS` mode, per write (file and directory). */
function syncDelayMs(disk: string | undefined): number {
  const m = /(?:^|,)sync-delay=(\d+)/.exec(disk ?? '');
  return m ? 2 * Number(m[1]) : 0;
}

/** What one boot's events say of its election timer so far. */
interface TimerState {
  role: string;
  /** The timeout the countdown runs with (the last drawn), or undefined before any `become-*` of the boot. */
  timeoutMs: number | undefined;
  /** The last event that restarted the countdown, when its timeout is known or bounded. */
  restart: { entry: NodeEventEntry; by: string; timeoutMs: number } | undefined;
}

/**
 * Figure 2, followers: a follower converts to candidate only when its election timeout elapses
 * "without receiving AppendEntries RPC from current leader or granting vote to candidate". So a
 * node campaigns (becomes pre-candidate or candidate on its timer; a `become-candidate` after a
 * won Pre-Vote round is not a timer's) no sooner than a whole election timeout after the last
 * event that restarted its countdown: a real vote it granted as a follower, or its last
 * `become-follower`, `become-pre-candidate` or `become-candidate` (each draws a new timeout, its
 * `electionTimeoutMs`). Our node restarts the countdown on a granted vote or a heartbeat with the
 * timeout it last drew (node/API.md, `--seed`), so that is the one held; before the boot's first
 * `become-*` it is unknown and the configured minimum is held instead. A pre-vote does not
 * restart it (thesis §9.6), nor does a vote granted by a pre-candidate (it is no follower).
 * Heartbeats restart it too but leave no event: they only make a correct campaign later. An
 * event is stamped once its write is done, so a restart may be stamped up to
 * `WRITE_ALLOWANCE_MS` (plus a slow disk's delay) after the step, and a real node's stamps are
 * whole milliseconds. Not applicable to another subject (its events are its own); not judged
 * when no campaign followed a restart the events show.
 */
export const timerReset: Checker = {
  name: 'timer-reset',
  description: 'A node campaigns no sooner than a whole election timeout after it granted a vote or changed role (Figure 2, followers).',
  check(history: readonly HistoryEntry[], ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} logs its own events.`);
    const slack = WRITE_ALLOWANCE_MS + syncDelayMs(ctx.config.disk) + STAMP_RESOLUTION_MS;
    const min = ctx.config.electionTimeoutMin;
    const boots = new Map<string, TimerState>();
    const found: EarlyTimerCampaign[] = [];
    const w = new Witnesses();
    let judged = 0;
    let afterVote = 0;
    for (const e of history) {
      if (isTeardown(e)) break;
      if (e.type === 'events-gap') {
        // Events of this boot were lost: what restarted its timer is no longer known.
        const s = boots.get(e.bootId);
        if (s) s.restart = undefined;
        continue;
      }
      if (e.type !== 'node-event') continue;
      let s = boots.get(e.bootId);
      if (s === undefined) boots.set(e.bootId, (s = { role: 'follower', timeoutMs: undefined, restart: undefined }));
      if (e.kind === 'term-exhausted') {
        // The node redrew its timeout without a `become-*` event: the countdown is not known.
        s.timeoutMs = undefined;
        s.restart = undefined;
        continue;
      }
      if (e.kind === 'vote') {
        if (e['granted'] === true && e['preVote'] !== true && s.role === 'follower') {
          s.restart = { entry: e, by: 'vote', timeoutMs: s.timeoutMs ?? min };
        }
        continue;
      }
      if (e.kind === 'become-leader') {
        s.role = 'leader';
        s.restart = undefined;
        continue;
      }
      if (!BECOMES.has(e.kind)) continue;
      const timerFired = e.kind !== 'become-follower' && e['reason'] !== 'pre-vote-won';
      const r = s.restart;
      if (timerFired && r !== undefined) {
        judged++;
        if (r.by === 'vote') afterVote++;
        if (e.t < r.entry.t + r.timeoutMs - slack) {
          found.push({
            node: e.node,
            bootId: e.bootId,
            restartedBy: r.by,
            restartedAtMs: r.entry.t,
            timeoutMs: r.timeoutMs,
            campaignedAtMs: e.t,
            kind: e.kind,
            ...(r.by === 'vote' ? { candidate: String(r.entry['candidate']) } : {}),
            term: r.entry.term,
          });
          w.add(r.entry, e);
        }
      }
      s.role = e.kind === 'become-follower' ? 'follower' : e.kind === 'become-pre-candidate' ? 'pre-candidate' : 'candidate';
      const drawn = e['electionTimeoutMs'];
      s.timeoutMs = typeof drawn === 'number' && Number.isFinite(drawn) ? drawn : undefined;
      s.restart = { entry: e, by: e.kind, timeoutMs: s.timeoutMs ?? min };
    }
    const details = { violations: found, campaignsJudged: judged, campaignsAfterVote: afterVote, allowanceMs: slack };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => {
          const what = f.restartedBy === 'vote' ? `granted ${f.candidate} its vote in term ${f.term}` : `logged ${f.restartedBy} in term ${f.term}`;
          return `${f.node} ${what} at ${ms(f.restartedAtMs)} and campaigned (${f.kind}) ${ms(f.campaignedAtMs - f.restartedAtMs)} later, before its ${ms(f.timeoutMs)} election timeout ran out`;
        })
        .join('; ');
      return {
        name: this.name,
        verdict: 'invalid',
        message: `${found.length} campaign(s) came before the election timer had run out since it was restarted: ${say}.`,
        witnesses: w.toArray(),
        details,
      };
    }
    if (judged === 0) return notJudged(this.name, 'no node was seen campaigning after a vote or role change its events show.', details);
    return {
      name: this.name,
      verdict: 'valid',
      message: `Every campaign came a whole election timeout after the node's timer last restarted (${judged} campaigns, ${afterVote} after a granted vote).`,
      witnesses: [],
      details,
    };
  },
};
