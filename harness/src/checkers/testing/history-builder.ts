import { ELECTION_DEFAULTS } from '../../../../common/src/election-settings.js';
import type {
  Cut,
  FaultStartEntry,
  HistoryEntry,
  NodeRole,
  NodeState,
  Phase,
  PollEntry,
  PollOutcome,
  ProcessEntry,
  RunConfig,
} from '../../history/types.js';
import { deriveBounds } from '../bounds.js';
import type { CheckContext } from '../types.js';

const WALL0 = 1_700_000_000_000;

/** Defaults of a test run: 150-300 ms timeouts, 50 ms heartbeats and polls, both features on. */
export function testConfig(overrides: Partial<RunConfig> = {}): RunConfig {
  const base = {
    ...ELECTION_DEFAULTS,
    bugs: [],
    pollIntervalMs: 50,
    ...overrides,
  };
  return { ...base, bounds: overrides.bounds ?? deriveBounds(base) };
}

/** Fields of an ok poll besides node and time. */
export interface PollState {
  term: number;
  state?: NodeState;
  /** Defaults to `state`; `pre-candidate` shows `state` follower. */
  role?: NodeRole;
  leader?: string | null;
  votedFor?: string | null;
  bootId?: string;
}

/**
 * Builds histories for checker tests in a few lines. Time moves forward with `at(t)` or the
 * `t` arguments; every entry gets `wall = WALL0 + t`. Example:
 *
 *   const h = new HistoryBuilder(['n1', 'n2', 'n3']).start()
 *     .steady(0, 1000, { leader: 'n1', term: 1 })
 *     .fault({ id: 'f1', kind: 'kill', targets: ['n1'], leaderBefore: { node: 'n1', term: 1 } }, 1000)
 *     ...
 *   checker.check(h.entries, h.ctx());
 *
 * Test-only: it trusts its input and does not validate.
 */
export class HistoryBuilder {
  readonly entries: HistoryEntry[] = [];
  private now = 0;
  private readonly boots = new Map<string, string>();
  private seqs = new Map<string, number>();

  constructor(
    readonly nodes: readonly string[],
    readonly config: RunConfig = testConfig(),
  ) {
    for (const n of nodes) this.boots.set(n, `${n}-boot1`);
  }

  /** The CheckContext for this history. */
  ctx(): CheckContext {
    return { nodes: this.nodes.slice(), config: this.config };
  }

  /** Moves the clock (never backwards unless you mean it). */
  at(t: number): this {
    this.now = t;
    return this;
  }

  /** Appends a raw entry (its `t` and `wall` default to the clock). */
  push(entry: Record<string, unknown> & { type: string }, t = this.now): this {
    this.entries.push({ t, wall: WALL0 + t, ...entry } as unknown as HistoryEntry);
    return this;
  }

  /** run-start and phase setup at t = 0. */
  start(): this {
    this.push({ type: 'run-start', runId: 'test', scenario: 'test', seed: 1, runtime: 'sim', nodes: this.nodes.slice(), config: this.config, replay: '' }, 0);
    return this.phase('warmup', 0);
  }

  phase(phase: Phase, t = this.now): this {
    this.now = t;
    return this.push({ type: 'phase', phase }, t);
  }

  /** The boot id polls and events of `node` carry from now on; `restart` switches to a new one. */
  restart(node: string): this {
    const cur = this.boots.get(node) ?? `${node}-boot1`;
    const n = Number(cur.split('boot')[1] ?? '1') + 1;
    this.boots.set(node, `${node}-boot${n}`);
    this.seqs.set(node, 0);
    return this;
  }

  /** An ok poll of one node. A leader's `leader` defaults to itself. */
  poll(node: string, s: PollState, t = this.now): this {
    this.now = t;
    const state = s.state ?? 'follower';
    const entry: PollEntry = {
      type: 'poll',
      t,
      wall: WALL0 + t,
      node,
      outcome: 'ok',
      latencyMs: 1,
      state,
      role: s.role ?? state,
      term: s.term,
      leader: s.leader === undefined ? (state === 'leader' ? node : null) : s.leader,
      votedFor: s.votedFor ?? null,
      bootId: s.bootId ?? this.boots.get(node) ?? 'b',
    };
    this.entries.push(entry);
    return this;
  }

  /** A failed poll. */
  pollFail(node: string, outcome: Exclude<PollOutcome, 'ok'> = 'refused', t = this.now): this {
    this.now = t;
    return this.push({ type: 'poll', node, outcome, latencyMs: 1, error: outcome }, t);
  }

  /**
   * One round of polls of every node (or of `only`): `leader` says leader, the others follow it
   * in `term`. With `leader: null` every node is a follower without a leader.
   */
  round(t: number, s: { term: number; leader: string | null; only?: readonly string[] }): this {
    for (const n of s.only ?? this.nodes) {
      this.poll(n, { term: s.term, state: n === s.leader ? 'leader' : 'follower', leader: s.leader }, t);
    }
    return this;
  }

  /** Rounds every `every` ms from `from` (inclusive) to `to` (exclusive). */
  steady(from: number, to: number, s: { term: number; leader: string | null; only?: readonly string[] }, every = 50): this {
    for (let t = from; t < to; t += every) this.round(t, s);
    this.now = to;
    return this;
  }

  /** A node event with the next seq of the node's current boot. */
  event(node: string, kind: string, term: number, detail: Record<string, unknown> = {}, t = this.now): this {
    this.now = t;
    const seq = (this.seqs.get(node) ?? 0) + 1;
    this.seqs.set(node, seq);
    return this.push({ type: 'node-event', node, bootId: this.boots.get(node), seq, kind, term, ...detail }, t);
  }

  /**
   * A message delivered to `node` (the simulated runtime's `delivery` record): its boot is the
   * node's current one, `afterSeq` its last event's seq so far, `events` the number of events
   * the step logs (add them with `event` right after). `nodeTerm` defaults to the body's term.
   */
  delivery(
    node: string,
    d: { id: number; from: string; rpc: string; msg: 'request' | 'reply'; term: number | null; nodeTerm?: number; events?: number } & Record<string, unknown>,
    t = this.now,
  ): this {
    this.now = t;
    const { nodeTerm, events, ...rest } = d;
    return this.push({ type: 'delivery', node, ...rest, nodeTerm: nodeTerm ?? d.term ?? 0, bootId: this.boots.get(node), afterSeq: this.seqs.get(node) ?? 0, events: events ?? 0 }, t);
  }

  /** A fault-start; label defaults to `${kind} ${targets}`, cuts to none. */
  fault(
    f: Partial<Omit<FaultStartEntry, 'type' | 't' | 'wall'>> & { id: string; kind: string },
    t = this.now,
  ): this {
    this.now = t;
    const targets = f.targets ?? [];
    return this.push(
      {
        type: 'fault-start',
        label: `${f.kind} ${targets.join(',')}`,
        targets,
        leaderBefore: null,
        removesLeader: null,
        ...f,
        cuts: f.cuts ?? ([] as Cut[]),
      },
      t,
    );
  }

  /** The fault-end of a fault started earlier. */
  heal(id: string, t = this.now): this {
    this.now = t;
    const start = this.entries.find((e): e is FaultStartEntry => e.type === 'fault-start' && e.id === id);
    return this.push({ type: 'fault-end', id, kind: start?.kind ?? 'partition', label: start?.label ?? id }, t);
  }

  process(node: string, action: ProcessEntry['action'], t = this.now): this {
    this.now = t;
    return this.push({ type: 'process', node, action }, t);
  }

  gap(node: string, fromSeq: number, toSeq: number, t = this.now): this {
    this.now = t;
    return this.push({ type: 'events-gap', node, bootId: this.boots.get(node), fromSeq, toSeq }, t);
  }

  /** teardown phase and run-end at `t`. */
  end(t = this.now): this {
    this.phase('teardown', t);
    return this.push({ type: 'run-end', durationMs: t }, t);
  }
}
