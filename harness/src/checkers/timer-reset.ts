import type { HistoryEntry, NodeEventEntry } from '../history/types.js';
import { isSimulated, STAMP_RESOLUTION_MS } from './support/stamps.js';
import { isTeardown } from './support/window.js';
import { simWriteMaxMs } from './support/write-time.js';
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
  /** The earliest time the restarting step can have run (its stamp may be later: events are logged after their write). */
  restartedFromMs: number;
  campaignedAtMs: number;
  kind: string;
  /** For a vote: the candidate and term it was granted to. */
  candidate?: string;
  term: number;
}

/** The timer-restarting `become-*` kinds: each draws a new timeout (`electionTimeoutMs`). */
const BECOMES: ReadonlySet<string> = new Set(['become-follower', 'become-pre-candidate', 'become-candidate']);

/** What one boot's events say of its election timer so far. */
interface TimerState {
  role: string;
  /** The timeout the countdown runs with (the last drawn), or undefined before any `become-*` of the boot. */
  timeoutMs: number | undefined;
  /**
   * The last event that restarted the countdown and the earliest time its step can have run
   * (`fromMs`), when that is known; undefined when it is not (then no campaign is judged).
   */
  restart: { entry: NodeEventEntry; by: string; fromMs: number; timeoutMs: number } | undefined;
}

/**
 * The earliest time the step that logged `e` can have run. In simulation: its stamp less the
 * longest write. On real nodes a write under load has taken over 100 ms here (a vote stamped
 * 134 ms after its candidate campaigned, at a load average of 25), so a written event's stamp
 * bounds nothing; what does is the message that caused the step: a vote granted (or a term
 * adopted from a RequestVote) comes after its candidate logged `become-candidate` of that term,
 * and a term adopted from AppendEntries after its leader logged `become-leader` (a node logs a
 * step's events before it sends its messages). Events written without a write (a pre-candidacy,
 * a return to follower in the same term) are stamped when their step ran, which may have waited
 * behind the write of the step before it: their stamp less the longest write (a pre-candidacy
 * stamped 1.4 ms late against its 189 ms timeout failed `bridge --nodes 5` on processes in CI).
 * Undefined: not known.
 */
function stepFrom(e: NodeEventEntry, sim: boolean, simWriteMs: number, campaigns: ReadonlyMap<string, number>, leads: ReadonlyMap<string, number>): number | undefined {
  if (sim) return e.t - simWriteMs;
  const reason = typeof e['reason'] === 'string' ? e['reason'] : '';
  if (e.kind === 'vote') return campaigns.get(`${String(e['candidate'])} ${e.term}`);
  if (e.kind === 'become-pre-candidate') return e.t - simWriteMs;
  if (e.kind === 'become-follower') {
    if (!reason.startsWith('higher-term')) return e.t - simWriteMs;
    if (reason === 'higher-term:append-entries' && typeof e['leader'] === 'string') return leads.get(`${e['leader']} ${e.term}`);
  }
  return undefined;
}

export const timerReset: Checker = {
  name: 'timer-reset',
  description: 'A node campaigns no sooner than a whole election timeout after it granted a vote or changed role (Figure 2, followers).',
  check(history: readonly HistoryEntry[], ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} logs its own events.`);
    const sim = isSimulated(history);
    // How much later than the step that restarted the timer its event may be stamped in
    // simulation: our node logs a step's events once the state they depend on is durable
    // (node/API.md), so a granted vote or a new term is stamped after its write.
    const simWriteMs = simWriteMaxMs(ctx.config.disk);
    const min = ctx.config.electionTimeoutMin;
    // When each candidate first campaigned and each leader first took office, by `node term`
    // (all of the history first: a real node's events reach it in poll order, not time order).
    const campaigns = new Map<string, number>();
    const leads = new Map<string, number>();
    for (const e of history) {
      if (e.type !== 'node-event' || (e.kind !== 'become-candidate' && e.kind !== 'become-leader')) continue;
      const at = e.kind === 'become-candidate' ? campaigns : leads;
      const key = `${e.node} ${e.term}`;
      at.set(key, Math.min(e.t, at.get(key) ?? Infinity));
    }
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
          const fromMs = stepFrom(e, sim, simWriteMs, campaigns, leads);
          // A restart its step cannot be dated by leaves the countdown unknown from here.
          s.restart = fromMs === undefined ? undefined : { entry: e, by: 'vote', fromMs: Math.max(fromMs, s.restart?.fromMs ?? -Infinity), timeoutMs: s.timeoutMs ?? min };
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
        if (e.t < r.fromMs + r.timeoutMs - STAMP_RESOLUTION_MS) {
          found.push({
            node: e.node,
            bootId: e.bootId,
            restartedBy: r.by,
            restartedAtMs: r.entry.t,
            timeoutMs: r.timeoutMs,
            restartedFromMs: r.fromMs,
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
      const fromMs = stepFrom(e, sim, simWriteMs, campaigns, leads);
      s.restart = fromMs === undefined ? undefined : { entry: e, by: e.kind, fromMs, timeoutMs: s.timeoutMs ?? min };
    }
    const details = { violations: found, campaignsJudged: judged, campaignsAfterVote: afterVote, ...(sim ? { simWriteMs } : {}) };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => {
          const what = f.restartedBy === 'vote' ? `granted ${f.candidate} its vote in term ${f.term}` : `logged ${f.restartedBy} in term ${f.term}`;
          const step = f.restartedFromMs < f.restartedAtMs ? ` (logged at ${ms(f.restartedAtMs)}, its step no earlier than ${ms(f.restartedFromMs)})` : ` at ${ms(f.restartedAtMs)}`;
          return `${f.node} ${what}${step} and campaigned (${f.kind}) at ${ms(f.campaignedAtMs)}, before its ${ms(f.timeoutMs)} election timeout could run out (${ms(f.restartedFromMs + f.timeoutMs)})`;
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
