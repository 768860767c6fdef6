import { MAX_TERM } from '../../../node/src/core/term-bound.js';
import type { DeliveryEntry, NodeEventEntry, PollEntry } from '../history/types.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';


/** A node that reported a term below one it had been delivered. */
export interface TermNotAdopted {
  node: string;
  /** The message that carried the newer term. */
  rpc: string;
  msg: 'request' | 'reply';
  from: string;
  deliveredTerm: number;
  /** The node's term when the message arrived. */
  nodeTerm: number;
  deliveredAtMs: number;
  /** What the node reported after it: an event kind, or `poll`. */
  reported: string;
  reportedTerm: number;
  reportedAtMs: number;
}

/** A message delivered without the fields Figure 2 gives it (`term`; a vote reply's `voteGranted`). */
export interface MalformedMessage {
  node: string;
  from: string;
  rpc: string;
  msg: 'request' | 'reply';
  missing: string[];
  atMs: number;
}

/** One obligation: from event `afterSeq + 1` (and from this history line) on, a term of at least `term`. */
interface Owed {
  afterSeq: number;
  /** The highest term owed so far in this boot (a running maximum, so the list is searchable). */
  term: number;
  /** The delivery that set `term`. */
  by: DeliveryEntry;
}

/**
 * Whether a delivered message obliges its receiver to adopt its term (Figure 2, all servers:
 * "if RPC request or response contains term T > currentTerm: set currentTerm = T, convert to
 * follower"). Not a pre-vote request (its term is the one the candidate would start, thesis
 * §9.6: no term changes), nor a granted pre-vote's reply (it carries that same proposed term);
 * a refused pre-vote's reply carries the voter's term and counts, as in etcd. Nor a message the
 * receiver's HTTP layer refused (`refused`: its core never saw it), nor one with a term above
 * MAX_TERM (node/API.md "Term bound": refused or ignored, never adopted).
 */
export function obliges(d: DeliveryEntry): d is DeliveryEntry & { term: number } {
  if (d.term === null || d.term <= d.nodeTerm || d.term > MAX_TERM || d.refused !== undefined) return false;
  if (d.rpc === 'pre-vote') return d.msg === 'reply' && d.granted === false;
  return true;
}

/** What a delivered message lacks of what Figure 2 gives it (empty: nothing). */
export function missingFields(d: DeliveryEntry): string[] {
  const out: string[] = [];
  if (d.term === null) out.push('term');
  if (d.msg === 'reply' && d.rpc !== 'append-entries' && d.granted === null) out.push('voteGranted');
  return out;
}

/**
 * Figure 2, all servers: a node delivered a request or reply with a term T above its own
 * adopts T before anything else, so from the step that handled it on, everything it reports
 * (its events, by `seq` in that boot; its polls recorded after the delivery) carries a term of
 * at least T. Judged on the simulated runtime's `delivery` records (the harness's own record of
 * what the network handed each node, history/types.ts DeliveryEntry), which a history of
 * processes or containers does not have: not applicable there. A delivered message without its
 * term (or a vote reply without `voteGranted`) is malformed, and invalid here too. A restart
 * ends the obligation (a lost term is `monotonic-terms`' to judge).
 */
export const termAdoption: Checker = {
  name: 'term-adoption',
  description: 'A node delivered a message with a term above its own reports at least that term from then on; no message lacks its term (Figure 2, all servers).',
  check(history, _ctx): CheckResult {
    const owedBy = new Map<string, Owed[]>();
    const key = (node: string, bootId: string) => `${node}\u0000${bootId}`;
    const found: TermNotAdopted[] = [];
    const malformed: MalformedMessage[] = [];
    const w = new Witnesses();
    /** (node, boot) pairs already reported: one violation each is enough to say. */
    const reported = new Set<string>();
    let deliveries = 0;
    let obligations = 0;
    let judgedReports = 0;
    const violation = (by: DeliveryEntry & { term: number }, e: NodeEventEntry | PollEntry, term: number) => {
      const k = key(by.node, by.bootId);
      if (reported.has(k)) return;
      reported.add(k);
      found.push({
        node: by.node, rpc: by.rpc, msg: by.msg, from: by.from, deliveredTerm: by.term, nodeTerm: by.nodeTerm, deliveredAtMs: by.t,
        reported: e.type === 'poll' ? 'poll' : e.kind, reportedTerm: term, reportedAtMs: e.t,
      });
      w.add(by, e);
    };
    let observed = true;
    // Pass 1, in history order: deliveries set obligations; a poll recorded after one is held to it.
    for (const e of history) {
      if (isTeardown(e)) observed = false;
      if (e.type === 'delivery') {
        deliveries++;
        const missing = missingFields(e);
        if (missing.length > 0) {
          malformed.push({ node: e.node, from: e.from, rpc: e.rpc, msg: e.msg, missing, atMs: e.t });
          w.add(e);
          continue;
        }
        if (!obliges(e)) continue;
        obligations++;
        const k = key(e.node, e.bootId);
        let list = owedBy.get(k);
        if (list === undefined) owedBy.set(k, (list = []));
        const top = list[list.length - 1];
        if (top === undefined || e.term > top.term) list.push({ afterSeq: e.afterSeq, term: e.term, by: e });
        continue;
      }
      if (!observed || e.type !== 'poll' || e.outcome !== 'ok' || typeof e.term !== 'number' || e.bootId === undefined) continue;
      const top = owedBy.get(key(e.node, e.bootId))?.at(-1);
      if (top === undefined) continue;
      judgedReports++;
      if (e.term < top.term) violation(top.by as DeliveryEntry & { term: number }, e, e.term);
    }
    if (deliveries === 0) {
      return notApplicable(this.name, 'the history records no delivered messages (only the simulated runtime records what the network hands each node).');
    }
    // Pass 2: each event of a boot is held to the highest term delivered before its step.
    for (const e of history) {
      if (e.type !== 'node-event') continue;
      const list = owedBy.get(key(e.node, e.bootId));
      if (list === undefined || list[0]!.afterSeq >= e.seq) continue;
      const owed = lastBefore(list, e.seq);
      judgedReports++;
      if (e.term < owed.term) violation(owed.by as DeliveryEntry & { term: number }, e, e.term);
    }
    found.sort((a, b) => a.deliveredAtMs - b.deliveredAtMs);
    const details = { deliveries, obligations, reportsJudged: judgedReports, violations: found, malformed };
    if (found.length > 0 || malformed.length > 0) {
      const parts: string[] = [];
      if (malformed.length > 0) {
        const m = malformed[0]!;
        parts.push(`${malformed.length} malformed message(s): ${m.node} was delivered a ${m.rpc} ${m.msg} from ${m.from} without ${m.missing.join(' and ')} at ${ms(m.atMs)}`);
      }
      if (found.length > 0) {
        const say = found
          .slice(0, 3)
          .map((f) => `${f.node} (term ${f.nodeTerm}) was delivered a ${f.rpc} ${f.msg} of term ${f.deliveredTerm} from ${f.from} at ${ms(f.deliveredAtMs)}, then reported term ${f.reportedTerm} (${f.reported} at ${ms(f.reportedAtMs)})`)
          .join('; ');
        parts.push(`${found.length} node boot(s) did not adopt a higher term they were delivered: ${say}`);
      }
      return { name: this.name, verdict: 'invalid', message: `${parts.join('. ')}.`, witnesses: w.toArray(), details };
    }
    if (obligations === 0) return notJudged(this.name, `no node was delivered a term above its own (${deliveries} delivered messages recorded).`, details);
    if (judgedReports === 0) return notJudged(this.name, `no node reported anything after it was delivered a higher term (${obligations} such message(s)).`, details);
    return {
      name: this.name,
      verdict: 'valid',
      message: `Every node adopted each higher term it was delivered (${obligations} message(s) with a newer term; ${judgedReports} later events and polls held to it).`,
      witnesses: [],
      details,
    };
  },
};

/** The last obligation of `list` (sorted by afterSeq, terms rising) set before event `seq`. */
function lastBefore(list: readonly Owed[], seq: number): Owed {
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (list[mid]!.afterSeq < seq) lo = mid;
    else hi = mid - 1;
  }
  return list[lo]!;
}

