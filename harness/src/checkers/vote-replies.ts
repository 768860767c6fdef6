import type { DeliveryEntry, NodeEventEntry } from '../history/types.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, subjectLacks, type Checker, type CheckResult } from './types.js';

/** A vote reply a candidate was delivered that its voter's own `vote` event contradicts (or never logged). */
export interface VoteReplyMismatch {
  voter: string;
  candidate: string;
  preVote: boolean;
  requestTerm: number;
  /** What the reply the candidate was delivered said. */
  replyGranted: boolean;
  /** What the voter's `vote` event for that request said; null when it logged none. */
  eventGranted: boolean | null;
  atMs: number;
}

/**
 * A voter's `vote` event tells the truth about its answer (node/API.md: `vote` is logged for
 * every vote request a node answers, with `granted`): for every vote or pre-vote reply a
 * candidate was delivered, the voter's `vote` event for that request (logged in the step that
 * handled it) says the same `granted`. A reply whose voter logged no `vote` event in that step
 * is invalid too (it answered without logging), when its events of that boot were read past
 * that step. Judged on the simulated runtime's `delivery` records, which pair each reply with
 * the delivery of its request (history/types.ts DeliveryEntry); not applicable to a history
 * without them (processes, containers).
 */
export const voteReplies: Checker = {
  name: 'vote-replies',
  description: 'Every vote or pre-vote reply a candidate was delivered agrees with its voter’s own vote event for that request.',
  check(history, ctx): CheckResult {
    const requests = new Map<number, DeliveryEntry>();
    const replies: DeliveryEntry[] = [];
    /** A boot's events by seq, and the highest seq read. */
    const events = new Map<string, Map<number, NodeEventEntry>>();
    const lastSeq = new Map<string, number>();
    const gaps = new Set<string>();
    const key = (node: string, bootId: string) => `${node}\u0000${bootId}`;
    let deliveries = 0;
    for (const e of history) {
      if (e.type === 'delivery') {
        deliveries++;
        if (e.rpc === 'append-entries') continue;
        if (e.msg === 'request') requests.set(e.id, e);
        else if (e.re !== undefined && typeof e.granted === 'boolean') replies.push(e);
      } else if (e.type === 'node-event') {
        const k = key(e.node, e.bootId);
        let m = events.get(k);
        if (m === undefined) events.set(k, (m = new Map()));
        m.set(e.seq, e);
        if (e.seq > (lastSeq.get(k) ?? 0)) lastSeq.set(k, e.seq);
      } else if (e.type === 'events-gap') {
        gaps.add(key(e.node, e.bootId));
      }
    }
    if (deliveries === 0) {
      return notApplicable(this.name, 'the history records no delivered messages (only the simulated runtime records what the network hands each node).');
    }
    const lacks = subjectLacks(ctx, ['events'], 'has no events');
    if (lacks !== null) return notApplicable(this.name, lacks);
    const found: VoteReplyMismatch[] = [];
    const w = new Witnesses();
    let judged = 0;
    for (const reply of replies) {
      const req = requests.get(reply.re!);
      if (req === undefined) continue;
      const k = key(req.node, req.bootId);
      const preVote = req.rpc === 'pre-vote';
      let event: NodeEventEntry | undefined;
      const boot = events.get(k);
      for (let s = req.afterSeq + 1; s <= req.afterSeq + req.events && boot !== undefined; s++) {
        const v = boot.get(s);
        if (v?.kind === 'vote' && v['candidate'] === req.candidate && (v['preVote'] === true) === preVote) {
          event = v;
          break;
        }
      }
      if (event === undefined) {
        // Not read (the run ended before its events were, or a gap lost them): cannot tell.
        const read = (lastSeq.get(k) ?? 0) >= req.afterSeq + req.events && !gaps.has(k);
        if (!read && req.events > 0) continue;
      }
      judged++;
      const eventGranted = event === undefined ? null : event['granted'] === true;
      if (eventGranted === reply.granted) continue;
      found.push({ voter: req.node, candidate: reply.node, preVote, requestTerm: req.term ?? -1, replyGranted: reply.granted!, eventGranted, atMs: reply.t });
      w.add(req, event, reply);
    }
    const details = { deliveries, repliesJudged: judged, violations: found };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => {
          const what = `${f.preVote ? 'pre-vote' : 'vote'} of term ${f.requestTerm}`;
          const logged = f.eventGranted === null ? 'logged no vote for it' : `logged it ${f.eventGranted ? 'granted' : 'refused'}`;
          return `${f.candidate} was delivered ${f.voter}'s reply ${f.replyGranted ? 'granting' : 'refusing'} its ${what} at ${ms(f.atMs)}, but ${f.voter} ${logged}`;
        })
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${found.length} vote reply(ies) contradict the voter's own events: ${say}.`, witnesses: w.toArray(), details };
    }
    if (judged === 0) return notJudged(this.name, `no vote or pre-vote reply was delivered whose voter's events were read (${deliveries} delivered messages recorded).`, details);
    return { name: this.name, verdict: 'valid', message: `Every vote and pre-vote reply delivered agreed with its voter's vote event (${judged} replies).`, witnesses: [], details };
  },
};
