import type { HistoryEntry, NodeEventEntry } from '../history/types.js';
import { majority } from '../nemesis/targets.js';
import { ActiveFaults, DownNodes, faultDown, maxAddedDelay } from './support/active-faults.js';
import { CROSS_NODE_STAMP_MS, crossNodeSlackMs } from './support/stamps.js';
import { inEventOrder } from './support/timeline.js';
import { EventCompleteness } from './support/event-completeness.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** A pre-vote round whose outcome does not follow from the answers its voters gave. */
export interface WrongPreVoteOutcome {
  node: string;
  /** The pre-candidate's term (it asked for pre-votes for term + 1). */
  term: number;
  startMs: number;
  /**
   * `gave-up-early`: it returned to follower while fewer voters had refused than it takes to put
   * a majority out of reach; `stayed`: a majority refused at once over clean links, yet it was
   * still pre-candidate at the deadline.
   */
  why: 'gave-up-early' | 'stayed';
  /** Voters that refused (for `stayed`: at once, and granted nothing in the round). */
  refusedBy: string[];
  /** When it gave up, or until when it stayed (its next event, or the run's end). */
  atMs: number;
}

/** The nodes a fault or process entry concerns: its targets, the nodes it takes down, the ends of its cuts and slowed links. */
function touchedBy(e: HistoryEntry, faults: ActiveFaults): string[] {
  const f = e.type === 'fault-start' ? e : e.type === 'fault-end' ? faults.get(e.id) : undefined;
  if (e.type === 'process') return [e.node];
  if (f === undefined) return [];
  const out = new Set<string>([...f.targets, ...faultDown(f)]);
  for (const [a, b] of f.cuts ?? []) out.add(a).add(b);
  for (const l of f.links ?? []) out.add(l.from).add(l.to);
  return [...out];
}

/** Events that end a pre-vote round of their node. */
const ENDS: ReadonlySet<string> = new Set(['become-follower', 'become-candidate', 'become-pre-candidate', 'become-leader', 'term', 'start']);

interface Round {
  start: NodeEventEntry;
  /** Voters with a refusal, with its time; voters with a grant. */
  refused: Map<string, number>;
  /**
   * Voters that refused an earlier round of the same term within an RPC deadline before this one
   * began: our node counts a reply to any of its pre-vote requests of the round's term that
   * arrives within that request's deadline, so such a late refusal may decide this round. On
   * processes also a refusal of this round read before its start (stamped in its millisecond).
   */
  earlier: Set<string>;
  granted: Set<string>;
  /** Peers whose links with the pre-candidate were clean both ways at the start, both up, untouched since `rpcTimeout` before. */
  cleanPeers: Set<string>;
  /** Nodes a fault or process entry touched between the start and the deadline. */
  touched: Set<string>;
  /** The pre-candidate granted a RequestVote meanwhile: it saved its vote, and a slow disk may delay its next steps. */
  saved: boolean;
  deadline: number;
}

/**
 * Each pre-vote round is decided by its voters' answers (thesis §9.6; our node as etcd): a
 * pre-candidate becomes candidate once a majority of the cluster (itself included) granted, and
 * returns to follower as soon as so many refused that a majority can no longer grant
 * (`n - majority + 1` refusals), not before. A round is a node's `become-pre-candidate` event up
 * to its next role, term or start event; its answers are the voters' `vote` events with
 * `preVote: true`, that candidate and `requestTerm` = the round's term + 1. Two ways to fail:
 * - **gave up early**: the pre-candidate returned to follower in its own term with no leader
 *   (a lost round) while fewer distinct voters had refused it by then than a loss needs. A reply
 *   cannot reach it before its voter answered, so the voters' events bound what it could know;
 *   a refusal of an earlier round of the same term logged within an RPC deadline before this
 *   round began counts too (our node counts any reply to a pre-vote request of the round's term
 *   that arrives within its deadline: with a deadline longer than an election timeout, the
 *   refusals of a round it was paused through arrive in the next one).
 * - **stayed**: enough voters to lose it refused within half an RPC deadline of the round's
 *   start (and granted nothing in it), each over links with the pre-candidate that no fault in
 *   force cut or slowed in either direction, both up, and no fault or process entry concerning
 *   either from an RPC deadline before the round to its deadline, so every refusal reached it
 *   within its RPC deadline; yet it was still pre-candidate at the round's deadline, `start +
 *   electionTimeoutMin` (less the stamps' slack): the earliest a pre-candidate that never gives
 *   up campaigns again. The RPC deadline is at most half of it by default, so the other half is
 *   slack for a slow host's late steps. A round in which the pre-candidate granted a RequestVote
 *   (and so saved its vote: a slow disk may hold its next steps) is not held to the deadline.
 * Not applicable to another subject (our node's documented design) or with Pre-Vote off and no
 * round seen; rounds of a node whose events have a gap are not judged, nor a give-up while a
 * voter that did not refuse may have unread events (support/event-completeness.ts); not judged when no round
 * was given up or surely lost.
 */
export const preVoteOutcome: Checker = {
  name: 'pre-vote-outcome',
  description: "Each pre-vote round ends as its voters' answers decide: follower at once on a majority of refusals, not before (thesis §9.6).",
  check(history, ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} decides its pre-vote rounds its own way.`);
    const cfg = ctx.config;
    const n = ctx.nodes.length;
    const lose = n - majority(n) + 1;
    const rpc = cfg.rpcTimeout;
    const slack = crossNodeSlackMs(history);
    const gapped = new Set<string>();
    for (const e of history) if (e.type === 'events-gap') gapped.add(e.node);
    const complete = new EventCompleteness(history);
    const faults = new ActiveFaults();
    const down = new DownNodes();
    /** When a fault or process entry last touched each node. */
    const lastTouch = new Map<string, number>();
    const open = new Map<string, Round>();
    /** Each candidate's pre-vote refusals: voter, time, request term (for the rounds after them). */
    const refusals = new Map<string, { voter: string; t: number; requestTerm: unknown }[]>();
    const found: WrongPreVoteOutcome[] = [];
    const w = new Witnesses();
    let rounds = 0;
    let giveUpsJudged = 0;
    let lostJudged = 0;

    /**
     * Rounds that ended but are judged only once the history is read past `until` (their end
     * plus the stamps' slack): on processes a voter's refusal stamped in the same millisecond as
     * the end (or within the slack) may come after it in the history, and may have been counted.
     */
    const settling: { x: string; r: Round; endAt: number; end: HistoryEntry | null; until: number }[] = [];
    const settle = (before: number) => {
      while (settling.length > 0 && settling[0]!.until < before) {
        const s = settling.shift()!;
        judge(s.x, s.r, s.endAt, s.end);
      }
    };
    const close = (x: string, r: Round, endAt: number, end: HistoryEntry | null) => {
      open.delete(x);
      settling.push({ x, r, endAt, end, until: endAt + slack });
    };
    const judge = (x: string, r: Round, endAt: number, end: HistoryEntry | null) => {
      if (gapped.has(x)) return;
      const ev = end !== null && end.type === 'node-event' ? end : null;
      const giveUp = ev !== null && ev.kind === 'become-follower' && ev.term === r.start.term && (ev['leader'] ?? null) === null && ev['reason'] !== 'term-exhausted';
      if (giveUp && gapped.size === 0) {
        giveUpsJudged++;
        const by = [...new Set([...[...r.refused].filter(([, t]) => t <= endAt + slack).map(([v]) => v), ...r.earlier])];
        // Voters whose refusal may be among their unread events (killed, stopped, a run cut
        // short): a give-up they could have made a loss is not judged.
        const maybe = by.length < lose ? ctx.nodes.filter((v) => v !== x && !by.includes(v) && complete.unsure(v, r.start.t, endAt + CROSS_NODE_STAMP_MS)).length : 0;
        if (by.length < lose && by.length + maybe >= lose) giveUpsJudged--;
        else if (by.length < lose) {
          found.push({ node: x, term: r.start.term, startMs: r.start.t, why: 'gave-up-early', refusedBy: by, atMs: endAt });
          w.add(r.start, ev);
          return;
        }
      }
      // Refused at once over clean links: it must have left (given up or otherwise) by the deadline.
      if (r.touched.has(x) || r.saved) return;
      const sure = [...r.refused].filter(([v, t]) => t <= r.start.t + rpc / 2 && !r.granted.has(v) && r.cleanPeers.has(v) && !r.touched.has(v)).map(([v]) => v);
      if (sure.length < lose) return;
      lostJudged++;
      if (endAt > r.deadline) {
        found.push({ node: x, term: r.start.term, startMs: r.start.t, why: 'stayed', refusedBy: sure, atMs: endAt });
        w.add(r.start, ev);
      }
    };

    let endT = 0;
    for (const e of inEventOrder(history)) {
      endT = e.t;
      settle(e.t);
      if (isTeardown(e)) break;
      if (e.type === 'fault-start' || e.type === 'fault-end' || e.type === 'process') {
        const hit = touchedBy(e, faults);
        for (const r of open.values()) if (e.t <= r.deadline) for (const v of hit) r.touched.add(v);
        for (const v of hit) lastTouch.set(v, e.t);
        faults.apply(e);
        down.apply(e);
        // A round whose node went down is not judged.
        if (e.type === 'process' && e.action !== 'start' && e.action !== 'resume' && e.action !== 'ready') open.delete(e.node);
        continue;
      }
      if (e.type !== 'node-event') continue;
      if (e.kind === 'vote' && e['preVote'] === false && e['granted'] === true) {
        const own = open.get(e.node);
        if (own !== undefined) own.saved = true;
        continue;
      }
      if (e.kind === 'vote' && e['preVote'] === true && typeof e['candidate'] === 'string') {
        if (e['granted'] !== true) {
          const mine = refusals.get(e['candidate']) ?? [];
          mine.push({ voter: e.node, t: e.t, requestTerm: e['requestTerm'] });
          refusals.set(e['candidate'], mine);
        }
        // A refusal may still count for a round that ended within the slack before it (its
        // give-up is judged on refusals; a grant read after the end changes nothing).
        const late = e['granted'] === true ? [] : settling.filter((s) => s.x === e['candidate'] && e.t <= s.until).map((s) => s.r);
        for (const r of [open.get(e['candidate']), ...late]) {
          if (r === undefined || e['requestTerm'] !== r.start.term + 1 || e.t < r.start.t - CROSS_NODE_STAMP_MS) continue;
          if (e['granted'] === true) r.granted.add(e.node);
          else if (!r.refused.has(e.node)) r.refused.set(e.node, e.t);
        }
        continue;
      }
      if (!ENDS.has(e.kind)) continue;
      const r = open.get(e.node);
      if (r !== undefined) close(e.node, r, e.t, e);
      if (e.kind === 'become-pre-candidate') {
        rounds++;
        const x = e.node;
        const calm = (v: string) => !down.has(v) && (lastTouch.get(v) ?? -Infinity) < e.t - rpc;
        const cuts = new Set(faults.cuts().map(([a, b]) => `${a} ${b}`));
        const cleanPeers = new Set(
          calm(x)
            ? ctx.nodes.filter((v) => v !== x && calm(v) && !cuts.has(`${v} ${x}`) && !cuts.has(`${x} ${v}`) && maxAddedDelay(faults, v, x) === 0 && maxAddedDelay(faults, x, v) === 0)
            : [],
        );
        const earlier = new Set(
          (refusals.get(x) ?? []).filter((f) => f.requestTerm === e.term + 1 && f.t >= e.t - rpc - CROSS_NODE_STAMP_MS && (slack > 0 || f.t < e.t - CROSS_NODE_STAMP_MS)).map((f) => f.voter),
        );
        open.set(x, { start: e, refused: new Map(), earlier, granted: new Set(), cleanPeers, touched: new Set(), saved: false, deadline: e.t + cfg.electionTimeoutMin - CROSS_NODE_STAMP_MS });
      }
    }
    // Rounds still open at the end: a pre-candidate that stayed past its deadline is judged.
    for (const [x, r] of [...open]) if (endT > r.deadline) close(x, r, endT, null);
    settle(Infinity);

    const details = { violations: found.slice(0, 20), rounds, giveUpsJudged, lostRoundsJudged: lostJudged, refusalsToLose: lose };
    if (found.length > 0) {
      const say = (f: WrongPreVoteOutcome) =>
        f.why === 'gave-up-early'
          ? `${f.node} gave up its pre-vote round of term ${f.term} (from ${ms(f.startMs)}) at ${ms(f.atMs)} with ${f.refusedBy.length} refusal(s)${f.refusedBy.length > 0 ? ` (${f.refusedBy.join(', ')})` : ''}, ${lose} needed to lose`
          : `${f.node}'s pre-vote round of term ${f.term} from ${ms(f.startMs)} was refused at once by ${f.refusedBy.join(', ')} (${lose} refusals lose it), yet it stayed pre-candidate until ${ms(f.atMs)}`;
      return { name: this.name, verdict: 'invalid', message: `${found.length} pre-vote round(s) not decided by their votes: ${found.slice(0, 3).map(say).join('; ')}.`, witnesses: w.toArray(), details };
    }
    if (rounds === 0 && !cfg.preVote) return notApplicable(this.name, 'Pre-Vote is off and no pre-vote round was seen.', details);
    if (giveUpsJudged + lostJudged === 0) return notJudged(this.name, `no pre-vote round was given up or surely lost (${rounds} round(s) seen).`, details);
    return {
      name: this.name,
      verdict: 'valid',
      message: `${giveUpsJudged} pre-vote round(s) given up, each after ${lose} refusals; ${lostJudged} refused at once by ${lose} or more voters over clean links, each left by its deadline.`,
      witnesses: [],
      details,
    };
  },
};
