import type { HistoryEntry, NodeEventEntry, PollEntry } from '../history/types.js';
import { inTimeOrder } from './support/timeline.js';
import { loadedSaveMaxMs } from './support/write-time.js';
import { isTeardown } from './support/window.js';
import { ms, Witnesses } from './support/witnesses.js';
import { notApplicable, notJudged, type Checker, type CheckResult } from './types.js';

/** Something a node reported that is malformed or contradicts its own events. */
export interface BadReport {
  node: string;
  atMs: number;
  what: string;
}

const STATES: ReadonlySet<unknown> = new Set(['follower', 'candidate', 'leader']);
const ROLES: ReadonlySet<unknown> = new Set(['follower', 'pre-candidate', 'candidate', 'leader']);
/** The role each `become-*` event starts. */
const BECOME: Readonly<Record<string, string>> = {
  'become-follower': 'follower',
  'become-pre-candidate': 'pre-candidate',
  'become-candidate': 'candidate',
  'become-leader': 'leader',
};

type Field = 'string' | 'number' | 'boolean' | 'string|null' | 'number|null';
/** The documented fields of each event kind (node/API.md "GET /events"). */
const KINDS: Readonly<Record<string, Readonly<Record<string, Field>>>> = {
  start: { stateTerm: 'number', stateVotedFor: 'string|null' },
  'become-follower': { leader: 'string|null', reason: 'string' },
  'become-pre-candidate': { reason: 'string' },
  'become-candidate': { reason: 'string' },
  'become-leader': {},
  term: { from: 'number', to: 'number', reason: 'string' },
  vote: { candidate: 'string', granted: 'boolean', preVote: 'boolean', reason: 'string' },
  'leader-known': { leader: 'string' },
  'step-down': { reason: 'string' },
  'term-exhausted': { bound: 'number' },
};

/**
 * A poll's state is read some time before its answer arrives, and a node's event time is its
 * own clock mapped onto the run's: an event this close to the poll may fall on either side.
 */
const SLACK_MS = 20;

function fits(v: unknown, f: Field): boolean {
  switch (f) {
    case 'string|null':
      return v === null || typeof v === 'string';
    case 'number|null':
      return v === null || (typeof v === 'number' && Number.isFinite(v));
    case 'number':
      return typeof v === 'number' && Number.isFinite(v);
    default:
      return typeof v === f;
  }
}

/** What is wrong with an event's shape, or null. `leaseMs`: the minimum election timeout (the Pre-Vote lease). */
function eventFault(e: NodeEventEntry, nodes: ReadonlySet<string>, leaseMs: number): string | null {
  const kind = e.kind as unknown;
  if (typeof kind !== 'string' || !(kind in KINDS)) return `an event of unknown kind ${JSON.stringify(kind)}`;
  if (!Number.isInteger(e.term) || e.term < 0) return `a ${kind} event with term ${JSON.stringify(e.term)}`;
  if (!nodes.has(e.node)) return `a ${kind} event naming node ${JSON.stringify(e.node)}`;
  for (const [field, type] of Object.entries(KINDS[kind]!)) {
    if (!fits(e[field], type)) return `a ${kind} event whose ${field} is ${JSON.stringify(e[field])} (expected ${type})`;
  }
  if (kind === 'term' && e['to'] !== e.term) return `a term event to ${JSON.stringify(e['to'])} in term ${e.term}`;
  if (kind === 'vote') return leaseFault(e, leaseMs);
  return null;
}

/**
 * A pre-vote refused because a leader was heard recently must say so in its own fields
 * (node/API.md: a pre-vote answer has `role` and `leaderHeardAgoMs`, ms since the node last
 * heard its leader, null when it knows none or leads itself). The lease (thesis §9.6, our node's
 * `inLease`) lasts the minimum election timeout after a known leader was last heard, and a
 * leader is always in it: so a non-leader's `leader-recently-heard` refusal carries a number
 * below the minimum election timeout. One with null (no leader known) or at or past it refused
 * a pre-vote the lease did not cover.
 */
function leaseFault(e: NodeEventEntry, leaseMs: number): string | null {
  if (e['preVote'] !== true || e['granted'] !== false || e['reason'] !== 'leader-recently-heard' || e['role'] === 'leader') return null;
  const ago = e['leaderHeardAgoMs'];
  if (typeof e['role'] !== 'string') return `a pre-vote refused for leader-recently-heard without its role`;
  if (typeof ago === 'number' && Number.isFinite(ago) && ago < leaseMs) return null;
  const heard = typeof ago === 'number' ? `last heard its leader ${ms(ago)} ago, at or past the ${ms(leaseMs)} lease` : `knew no leader (leaderHeardAgoMs ${JSON.stringify(ago ?? null)})`;
  return `a pre-vote of ${String(e['candidate'])} refused by a ${e['role']} for leader-recently-heard while it ${heard}`;
}

/**
 * The pre-vote answers of one boot (its events in the order the node wrote them) whose
 * `leaderHeardAgoMs` contradicts what the node's own events say it knew. node/API.md: that
 * field is the time since the node last heard its leader, `null` when it knows none or leads
 * itself; a node logs `leader-known` when it learns the leader of its term, and a term change or
 * a new role (`term`, `become-*`) forgets it. So a leader reports null; a non-leader that knows
 * the leader of its term reports a number, at most the time since it learned that leader (it
 * cannot have heard it before); one that knows none reports null. This is what makes the lease
 * rule (leaseFault) and `needless-election`, which forgive what the field says, trust it; and the
 * lease (thesis §9.6) is kept only for the leader of the node's current term (etcd's raft:
 * `lead != None`): a node that refuses a pre-vote for a leader it forgot on taking a higher
 * term reports hearing a leader it no longer knows.
 */
function heardFaults(events: NodeEventEntry[], slackMs: number): { e: NodeEventEntry; what: string }[] {
  const out: { e: NodeEventEntry; what: string }[] = [];
  let leader: string | null = null;
  let learnedAt = 0;
  let forgot = 'it started';
  for (const e of events.sort((a, b) => a.seq - b.seq)) {
    if (e.kind === 'leader-known') {
      leader = typeof e['leader'] === 'string' ? e['leader'] : null;
      learnedAt = e.t;
      continue;
    }
    if (e.kind === 'term' || e.kind in BECOME) {
      leader = null;
      forgot = e.kind === 'term' ? `it took term ${e.term}` : `it became ${BECOME[e.kind]} in term ${e.term}`;
      continue;
    }
    if (e.kind !== 'vote' || e['preVote'] !== true || !('leaderHeardAgoMs' in e)) continue;
    const ago = e['leaderHeardAgoMs'];
    const answer = `a pre-vote answer to ${String(e['candidate'])} (${e['granted'] === true ? 'granted' : `refused: ${String(e['reason'])}`}) by a ${String(e['role'])} in term ${e.term}`;
    if (e['role'] === 'leader') {
      if (ago !== null) out.push({ e, what: `${answer} says it heard its leader ${JSON.stringify(ago)} ms ago, though it leads (leaderHeardAgoMs must be null)` });
    } else if (leader === null) {
      if (ago !== null) out.push({ e, what: `${answer} says it heard its leader ${typeof ago === 'number' ? ms(ago) : JSON.stringify(ago)} ago while it knew no leader of its term (none logged since ${forgot})` });
    } else if (ago === null) {
      out.push({ e, what: `${answer} says it knew no leader (leaderHeardAgoMs null) while it knew ${leader} as the leader of its term` });
    } else if (typeof ago === 'number' && ago > e.t - learnedAt + slackMs) {
      out.push({ e, what: `${answer} says it heard its leader ${ms(ago)} ago, before it learned of it (${leader}, ${ms(e.t - learnedAt)} before)` });
    }
  }
  return out;
}

/** What is wrong with an ok poll's state and role, or null. */
function pollFault(p: PollEntry): string | null {
  if (!STATES.has(p.state)) return `status state ${JSON.stringify(p.state)} (not follower, candidate or leader)`;
  if (p.role === undefined) return null;
  if (!ROLES.has(p.role)) return `status role ${JSON.stringify(p.role)} (not follower, pre-candidate, candidate or leader)`;
  const expected = p.role === 'pre-candidate' ? 'follower' : p.role;
  if (p.state !== expected) return `status role ${p.role} with state ${p.state}`;
  return null;
}

/** One boot's role changes, in time order. */
interface BootRoles {
  times: number[];
  roles: string[];
  terms: number[];
  /** Its events cannot be trusted to be complete (a gap, or a kill that loses unread events). */
  incomplete: boolean;
  started: boolean;
}

/**
 * What a node reports is well formed and agrees with itself (our node: node/API.md). Every
 * answered poll shows a state of follower, candidate or leader and a role of those or
 * pre-candidate (a pre-candidate's state is follower); every node event is of a documented kind
 * with its documented fields (and a pre-vote refused for `leader-recently-heard` by a non-leader
 * heard its leader within the lease by its own `leaderHeardAgoMs` (leaseFault), and every
 * pre-vote answer's `leaderHeardAgoMs` agrees with the leader its own events say it knew
 * (heardFaults; boots with an events gap are not judged by that); and a node polled as leader, candidate or pre-candidate of term T
 * logged becoming it in T (its last `become-*` event at the poll, within a few ms either way),
 * and one polled as follower did not last log becoming something else; a node that answers a
 * poll with a server error (HTTP 5xx: its status could not be built) reports nothing, a
 * malformed report too. Role changes are judged
 * for boots whose events are complete (no `events-gap`; on processes, no kill or stop, which
 * loses what the harness had not read yet). Not applicable to another subject (its status and
 * events follow its own format); unknown when no poll answered.
 */
export const nodeReports: Checker = {
  name: 'node-reports',
  description: 'What a node reports is well formed and agrees with its own events: a real role in every status, documented events (a lease refusal within its lease), and a role it logged becoming.',
  check(history, ctx): CheckResult {
    if (ctx.subject !== undefined) return notApplicable(this.name, `subject ${ctx.subject.name} reports in its own format.`);
    const nodes = new Set(ctx.nodes);
    const boots = new Map<string, BootRoles>();
    const boot = (id: string): BootRoles => {
      let b = boots.get(id);
      if (!b) boots.set(id, (b = { times: [], roles: [], terms: [], incomplete: false, started: false }));
      return b;
    };
    const found: BadReport[] = [];
    let count = 0;
    const w = new Witnesses();
    // Entries already flagged: one report that breaks two rules counts once (its first fault).
    const flagged = new Set<HistoryEntry>();
    const bad = (e: HistoryEntry & { node: string }, what: string) => {
      if (flagged.has(e)) return;
      flagged.add(e);
      count++;
      if (found.length < 50) found.push({ node: e.node, atMs: e.t, what });
      w.add(e);
    };
    let killsLoseEvents = true;
    const polls: PollEntry[] = [];
    /** Each boot's events (for the lease's known leader), and the boots with an events gap. */
    const bootEvents = new Map<string, NodeEventEntry[]>();
    const gaps = new Set<string>();
    let events = 0;
    for (const e of inTimeOrder(history)) {
      if (isTeardown(e)) break;
      if (e.type === 'run-start') killsLoseEvents = e.runtime !== 'sim';
      if (e.type === 'events-gap') {
        boot(e.bootId).incomplete = true;
        gaps.add(e.bootId);
      }
      if (killsLoseEvents && e.type === 'process' && (e.action === 'kill' || e.action === 'stop')) {
        // The boot it ends may have events nobody read: every boot of that node seen so far.
        for (const p of polls) if (p.node === e.node && p.bootId !== undefined) boot(p.bootId).incomplete = true;
      }
      if (e.type === 'node-event') {
        events++;
        const fault = eventFault(e, nodes, ctx.config.electionTimeoutMin);
        if (fault) bad(e, fault);
        const list = bootEvents.get(e.bootId);
        if (list) list.push(e);
        else bootEvents.set(e.bootId, [e]);
        const b = boot(e.bootId);
        b.started = true;
        const role = BECOME[e.kind as string];
        if (role !== undefined) {
          b.times.push(e.t);
          b.roles.push(role);
          b.terms.push(e.term);
        }
      } else if (e.type === 'poll' && e.outcome === 'ok') {
        polls.push(e);
        const fault = pollFault(e);
        if (fault) bad(e, fault);
      } else if (e.type === 'poll' && e.outcome === 'error' && /^HTTP 5\d\d\b/.test(e.error ?? '')) {
        // The server answered but could not report: its handler threw (http-routes.ts answers 500).
        bad(e, `answered GET /status with ${e.error} (node/API.md: 200 with its state)`);
      }
    }
    // A lost event could be the `leader-known` (or `term`) an answer stood on: boots with a gap are not judged.
    for (const [bootId, list] of bootEvents) {
      if (gaps.has(bootId)) continue;
      // A leader learned in a step that saved (a higher term) is stamped up to one save after the
      // step that heard it: the answer's age may exceed the events' gap by that much.
      for (const f of heardFaults(list, loadedSaveMaxMs(ctx.config.disk))) bad(f.e, f.what);
    }
    let judged = 0;
    for (const p of polls) {
      if (p.bootId === undefined || p.term === undefined || pollFault(p) !== null) continue;
      const b = boots.get(p.bootId);
      if (!b || !b.started || b.incomplete) continue;
      judged++;
      const role = p.role ?? p.state!;
      const sure = p.t - p.latencyMs - SLACK_MS;
      // The role at the poll: the last change surely before it, or any change close to it.
      let last = -1;
      const near: number[] = [];
      for (let i = 0; i < b.times.length && b.times[i]! <= p.t + SLACK_MS; i++) {
        if (b.times[i]! <= sure) last = i;
        else near.push(i);
      }
      const possible = last >= 0 ? [last, ...near] : near;
      const ok =
        (role === 'follower' && last < 0) ||
        possible.some((i) => b.roles[i] === role && (role === 'follower' || b.terms[i] === p.term));
      if (ok) continue;
      const had = last >= 0 ? `its last role change was to ${b.roles[last]} in term ${b.terms[last]} at ${ms(b.times[last]!)}` : 'it logged no role change since it started';
      bad(p, `polled ${role} in term ${p.term}, but ${had}`);
    }
    const details = { violations: found, count, polls: polls.length, pollsJudgedAgainstEvents: judged, events };
    if (found.length > 0) {
      const say = found
        .slice(0, 3)
        .map((f) => `${f.node} at ${ms(f.atMs)}: ${f.what}`)
        .join('; ');
      return { name: this.name, verdict: 'invalid', message: `${count} malformed or self-contradicting report(s), the first: ${say}.`, witnesses: w.toArray(), details };
    }
    if (polls.length === 0) return { name: this.name, verdict: 'unknown', message: 'Not judged: no poll answered.', witnesses: [], details };
    if (events === 0) return notJudged(this.name, `no node event was seen; ${polls.length} polls were well formed.`, details);
    return {
      name: this.name,
      verdict: 'valid',
      message: `Every report was well formed (${polls.length} polls, ${events} events) and ${judged} polls agreed with the role the node had logged.`,
      witnesses: [],
      details,
    };
  },
};
