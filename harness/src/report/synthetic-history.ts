import { mulberry32 } from '../../../common/src/mulberry32.js';
import { ELECTION_DEFAULTS } from '../../../common/src/election-settings.js';
import type { CheckResult } from '../checkers/types.js';
import type { HistoryEntry, NodeRole, NodeState, PollOutcome, RunConfig } from '../history/types.js';

/**
 * A generator of realistic synthetic histories, for report tests and screenshots: a Raft
 * cluster polled at a fixed rate, with faults that remove the leader, the elections that
 * follow, stale leaders, and (on request) a split brain. Not a Raft simulation: it writes
 * what a correct cluster (or the requested bug) typically looks like to the harness.
 */
export interface SynthOptions {
  nodes?: number | string[];
  seed?: number;
  scenario?: string;
  pollIntervalMs?: number;
  electionTimeout?: [number, number];
  /** Time before the first fault (default 1000). */
  warmupMs?: number;
  /** Faults, run one after another from `warmupMs`; each waits `gapMs` after its heal (default 1000). */
  faults?: SynthFault[];
  gapMs?: number;
  recoveryMs?: number;
  /** Also make a follower claim leadership in the leader's own term for `holdMs`, at `atMs`. */
  splitBrain?: { atMs: number; holdMs: number };
}

export interface SynthFault {
  kind: 'isolate-leader' | 'kill-leader' | 'pause-leader' | 'latency';
  holdMs: number;
}

/** The generated history and what the generator knows about it (for crafting check results). */
export interface SynthRun {
  history: HistoryEntry[];
  nodes: string[];
  failovers: Array<{ faultId: string; label: string; kind: string; atMs: number; ms: number }>;
  staleLeaders: Array<{ node: string; term: number; atMs: number; ms: number }>;
  splitBrain?: { term: number; nodes: [string, string]; atMs: number; witnesses: HistoryEntry[] };
  config: RunConfig;
}

interface Status {
  outcome: PollOutcome;
  state: NodeState;
  role: NodeRole;
  term: number;
  leader: string | null;
  votedFor: string | null;
  bootId: string;
}

/** The `fault-probe` the partitioner records after an operation, every probe as expected. */
function probeEntry(op: string, links: ReadonlyArray<readonly [string, string]>, expect: 'open' | 'blocked', t: number, minDelayMs?: number): Record<string, unknown> & { type: string; t: number } {
  const probes = links.map(([from, to]) => ({
    from, to, expect, ...(minDelayMs ? { minDelayMs } : {}),
    result: expect === 'open' ? 'answered' : 'refused', ms: expect === 'open' ? (minDelayMs ?? 0) + 3 : 1, direct: 'answered', seenOpen: true,
  }));
  return { type: 'fault-probe', t, op, links, probes, tookMs: expect === 'open' ? (minDelayMs ?? 0) + 4 : 2 };
}

/** Generates a run. Same options, same history. */
export function synthRun(options: SynthOptions = {}): SynthRun {
  const rnd = mulberry32(options.seed ?? 1);
  const nodes = Array.isArray(options.nodes)
    ? options.nodes
    : Array.from({ length: options.nodes ?? 3 }, (_, i) => `n${i + 1}`);
  const poll = options.pollIntervalMs ?? 50;
  const [etMin, etMax] = options.electionTimeout ?? [ELECTION_DEFAULTS.electionTimeoutMin, ELECTION_DEFAULTS.electionTimeoutMax];
  const recoveryMs = options.recoveryMs ?? 2000;
  const wall0 = Date.UTC(2025, 0, 15, 2, 0, 0);
  const scenario = options.scenario ?? 'partition-leader';
  const seed = options.seed ?? 1;
  const config: RunConfig = {
    electionTimeoutMin: etMin,
    electionTimeoutMax: etMax,
    heartbeatInterval: ELECTION_DEFAULTS.heartbeatInterval,
    rpcTimeout: ELECTION_DEFAULTS.rpcTimeout,
    preVote: ELECTION_DEFAULTS.preVote,
    checkQuorum: ELECTION_DEFAULTS.checkQuorum,
    bugs: [],
    pollIntervalMs: poll,
    bounds: { electionMs: 1000, stepDownMs: 2 * etMax, recoveryMs },
  };
  const out: HistoryEntry[] = [];
  const push = (e: Record<string, unknown> & { type: string; t: number }): void => {
    out.push({ wall: wall0 + e.t, ...e } as unknown as HistoryEntry);
  };
  const seq = new Map<string, number>(nodes.map((n) => [n, 0]));
  const timelines = new Map<string, Array<{ t: number; s: Status }>>();
  let boot = 0;
  for (const n of nodes) {
    timelines.set(n, [
      { t: 0, s: { outcome: 'refused', state: 'follower', role: 'follower', term: 0, leader: null, votedFor: null, bootId: `b${boot++}` } },
    ]);
  }
  const cur = (n: string): Status => timelines.get(n)!.at(-1)!.s;
  const set = (n: string, t: number, p: Partial<Status>): void => {
    timelines.get(n)!.push({ t, s: { ...cur(n), ...p } });
  };
  const event = (n: string, t: number, kind: string, extra: Record<string, unknown> = {}): HistoryEntry => {
    const s = seq.get(n)! + 1;
    seq.set(n, s);
    const e = { type: 'node-event', t, wall: wall0 + t, node: n, bootId: cur(n).bootId, seq: s, kind, term: cur(n).term, ...extra };
    out.push(e as unknown as HistoryEntry);
    return e as unknown as HistoryEntry;
  };
  const timeout = (): number => etMin + rnd() * (etMax - etMin);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;

  // When each node last logged learning a leader (its `leader-known`).
  const leaderKnownAt = new Map<string, number>();
  /** `winner` wins an election at t among `voters` (which follow it afterwards). */
  const elect = (winner: string, voters: readonly string[], t: number): number => {
    const term = Math.max(...voters.map((v) => cur(v).term), cur(winner).term) + 1;
    set(winner, t - 8, { role: 'pre-candidate' });
    event(winner, t - 8, 'become-pre-candidate', { reason: 'election-timeout' });
    // Its voters grant the pre-votes it wins on (our node logs every pre-vote it answers).
    // A voter that knows a leader grants once it has not heard it for a minimum timeout (its lease
    // is over), and says how long ago that was (no longer than it has known that leader).
    const heardAgo = (v: string): number | null => {
      const known = leaderKnownAt.get(v);
      return known === undefined ? null : Math.floor(Math.min(etMin + 5, t - 5 - known));
    };
    for (const v of voters) if (v !== winner) event(v, t - 5, 'vote', { candidate: winner, granted: true, preVote: true, reason: 'granted', role: 'follower', leaderHeardAgoMs: heardAgo(v), requestTerm: term });
    set(winner, t, { state: 'candidate', role: 'candidate', term, votedFor: winner, leader: null });
    event(winner, t, 'term', { from: term - 1, to: term, reason: 'election' });
    event(winner, t, 'become-candidate', { reason: 'pre-vote-won' });
    const won = t + 3 + rnd() * 12;
    for (const v of voters) {
      if (v === winner) continue;
      set(v, t + 2, { term, votedFor: winner, leader: null, state: 'follower', role: 'follower' });
      event(v, t + 2, 'vote', { candidate: winner, granted: true, preVote: false, reason: 'granted', requestTerm: term });
    }
    set(winner, won, { state: 'leader', role: 'leader', leader: winner });
    event(winner, won, 'become-leader');
    for (const v of voters) {
      if (v === winner) continue;
      set(v, won + 2, { leader: winner });
      event(v, won + 2, 'leader-known', { leader: winner });
      leaderKnownAt.set(v, won + 2);
    }
    return won;
  };

  push({
    type: 'run-start',
    t: 0,
    runId: `${scenario}-20250115T020000Z-${seed}`,
    scenario,
    seed,
    runtime: 'process',
    runtimeReason: 'default: local processes',
    nodes,
    config,
    replay: `npm run scenario ${scenario} -- --seed ${seed} --nodes ${nodes.length}`,
    meta: { harness: 'synthetic' },
  });
  push({ type: 'phase', t: 0.5, phase: 'setup' });
  for (const n of nodes) push({ type: 'process', t: 2 + rnd() * 5, node: n, action: 'start', pid: 1000 + nodes.indexOf(n) });
  for (const n of nodes) {
    const t = 180 + rnd() * 60;
    set(n, t, { outcome: 'ok' });
    event(n, t, 'start', { stateTerm: 0, stateVotedFor: null });
    push({ type: 'process', t, node: n, action: 'ready' });
  }
  push({ type: 'phase', t: 260, phase: 'warmup' });
  let leader = pick(nodes);
  let t = elect(leader, nodes, 260 + timeout());
  const warmup = options.warmupMs ?? 1000;
  t = Math.max(t + 200, warmup);
  push({ type: 'phase', t, phase: 'faults' });

  const failovers: SynthRun['failovers'] = [];
  const staleLeaders: SynthRun['staleLeaders'] = [];
  const gap = options.gapMs ?? 1000;
  let splitBrain: SynthRun['splitBrain'];
  let faultNo = 0;
  for (const f of options.faults ?? [{ kind: 'isolate-leader', holdMs: 3000 }]) {
    const id = `f${++faultNo}`;
    const old = leader;
    const oldTerm = cur(old).term;
    const others = nodes.filter((n) => n !== old);
    const t0 = t;
    const t1 = t0 + f.holdMs;
    if (f.kind === 'latency') {
      const label = `latency 40ms±10 on all links`;
      const links = nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => ({ from: a, to: b, toxic: 'latency', attributes: { latency: 40, jitter: 10 } })));
      push({ type: 'fault-start', t: t0, id, kind: 'latency', label, targets: [], links, leaderBefore: { node: old, term: oldTerm }, removesLeader: false });
      const pairs = links.map((l) => [l.from, l.to] as const);
      push(probeEntry('add-toxic', pairs, 'open', t0 + 100, 60));
      push(probeEntry('remove-toxic', pairs, 'open', t1 + 5));
      push({ type: 'fault-end', t: t1, id, kind: 'latency', label });
      t = t1 + gap;
      continue;
    }
    const label =
      f.kind === 'isolate-leader' ? `isolate leader ${old}` : f.kind === 'kill-leader' ? `kill -9 leader ${old}` : `pause leader ${old}`;
    const kind = f.kind === 'isolate-leader' ? 'partition' : f.kind === 'kill-leader' ? 'kill' : 'pause';
    const cuts = f.kind === 'isolate-leader' ? others.flatMap((o) => [[old, o], [o, old]]) : undefined;
    push({
      type: 'fault-start', t: t0, id, kind, label, targets: [old],
      ...(cuts ? { cuts } : {}),
      leaderBefore: { node: old, term: oldTerm }, removesLeader: true,
    });
    if (cuts) push(probeEntry('apply-cuts', cuts as Array<[string, string]>, 'blocked', t0 + 20));
    if (f.kind === 'kill-leader') {
      push({ type: 'process', t: t0 + 0.5, node: old, action: 'kill', pid: 1000 + nodes.indexOf(old) });
      set(old, t0 + 0.5, { outcome: 'refused' });
    } else if (f.kind === 'pause-leader') {
      push({ type: 'process', t: t0 + 0.5, node: old, action: 'pause' });
      set(old, t0 + 0.5, { outcome: 'timeout' });
    }
    for (const o of others) {
      set(o, t0 + 60 + rnd() * 40, { leader: null });
    }
    const winner = pick(others);
    const won = elect(winner, others, t0 + timeout() + 20);
    leader = winner;
    const newTerm = cur(winner).term;
    failovers.push({ faultId: id, label, kind, atMs: t0, ms: Math.round(won + 2 - t0) });
    if (options.splitBrain && !splitBrain && options.splitBrain.atMs >= t0 && options.splitBrain.atMs < t1) {
      const rogue = others.find((o) => o !== winner)!;
      const at = Math.max(options.splitBrain.atMs, won + 100);
      set(rogue, at, { state: 'leader', role: 'leader', leader: rogue });
      const ev = event(rogue, at, 'become-leader');
      set(rogue, at + options.splitBrain.holdMs, { state: 'follower', role: 'follower', leader: winner });
      event(rogue, at + options.splitBrain.holdMs, 'become-follower', { leader: winner, reason: 'append-entries' });
      splitBrain = { term: newTerm, nodes: [winner, rogue], atMs: at, witnesses: [ev] };
    }
    if (f.kind === 'isolate-leader') {
      // CheckQuorum: the isolated leader steps down, then pre-votes in vain until the heal.
      const down = t0 + etMax + rnd() * 50;
      set(old, down, { state: 'follower', role: 'follower', leader: null });
      event(old, down, 'step-down', { reason: 'check-quorum' });
      event(old, down, 'become-follower', { leader: null, reason: 'check-quorum' });
      staleLeaders.push({ node: old, term: oldTerm, atMs: t0, ms: Math.round(down - t0) });
      let tp = down + timeout();
      while (tp + 80 < t1) {
        // Cut off, its pre-votes fail and none is refused: the round is not lost (roles.ts), so
        // it stays pre-candidate and starts a new round at each timeout.
        set(old, tp, { role: 'pre-candidate' });
        event(old, tp, 'become-pre-candidate', { reason: 'election-timeout' });
        tp += timeout();
      }
    }
    if (cuts) push(probeEntry('heal-cuts', cuts as Array<[string, string]>, 'open', t1 + 5));
    push({ type: 'fault-end', t: t1, id, kind, label });
    if (f.kind === 'kill-leader') {
      push({ type: 'process', t: t1 + 1, node: old, action: 'start', pid: 2000 + faultNo });
      const ready = t1 + 180 + rnd() * 40;
      set(old, ready, { outcome: 'ok', state: 'follower', role: 'follower', term: oldTerm, leader: null, bootId: `b${boot++}` });
      seq.set(old, 0);
      event(old, ready, 'start', { stateTerm: oldTerm, stateVotedFor: old });
      push({ type: 'process', t: ready, node: old, action: 'ready' });
      set(old, ready + 30, { term: newTerm, leader: winner, votedFor: null });
      event(old, ready + 30, 'term', { from: oldTerm, to: newTerm, reason: 'append-entries' });
    } else if (f.kind === 'pause-leader') {
      push({ type: 'process', t: t1 + 0.5, node: old, action: 'resume' });
      set(old, t1 + 0.5, { outcome: 'ok' });
      const back = t1 + 20 + rnd() * 30;
      staleLeaders.push({ node: old, term: oldTerm, atMs: t0, ms: Math.round(back - t0) });
      set(old, back, { state: 'follower', role: 'follower', term: newTerm, leader: winner, votedFor: null });
      event(old, back, 'step-down', { reason: 'higher-term' });
      event(old, back, 'become-follower', { leader: winner, reason: 'higher-term:append-entries' });
    } else {
      const back = t1 + 20 + rnd() * 40;
      const wasPreCandidate = cur(old).role === 'pre-candidate';
      set(old, back, { state: 'follower', role: 'follower', term: newTerm, leader: winner, votedFor: null });
      event(old, back, 'term', { from: oldTerm, to: newTerm, reason: 'append-entries' });
      // A pre-candidate that hears the new leader's heartbeat becomes its follower.
      if (wasPreCandidate) event(old, back, 'become-follower', { leader: winner, reason: 'higher-term:append-entries' });
    }
    t = t1 + gap;
  }
  push({ type: 'phase', t: t - gap + 1, phase: 'heal' });
  push({ type: 'phase', t: t - gap + 2, phase: 'recovery' });
  const teardown = t - gap + 2 + recoveryMs;
  push({ type: 'phase', t: teardown, phase: 'teardown' });
  const endT = teardown + 40;
  for (const n of nodes) push({ type: 'process', t: teardown + 10, node: n, action: 'stop' });

  // Polls: every node every `poll` ms, staggered, reading the truth at that moment.
  for (const [i, n] of nodes.entries()) {
    const tl = timelines.get(n)!.sort((a, b) => a.t - b.t);
    let k = 0;
    for (let pt = 5 + (i * poll) / nodes.length; pt < teardown; pt += poll * (0.9 + rnd() * 0.2)) {
      while (k + 1 < tl.length && tl[k + 1]!.t <= pt) k++;
      const s = tl[k]!.s;
      const latencyMs = Math.round((0.4 + rnd() * 2) * 10) / 10;
      const at = Math.round(pt * 10) / 10;
      if (s.outcome === 'ok') {
        push({ type: 'poll', t: at, node: n, outcome: 'ok', latencyMs, state: s.state, role: s.role, term: s.term, leader: s.leader, votedFor: s.votedFor, bootId: s.bootId });
      } else {
        push({ type: 'poll', t: at, node: n, outcome: s.outcome, latencyMs: s.outcome === 'timeout' ? 100 : latencyMs, error: s.outcome === 'timeout' ? 'no answer within 100ms' : 'connect ECONNREFUSED' });
      }
    }
  }
  push({ type: 'note', t: 3, level: 'info', message: 'poller overhead: 0.4% CPU per node polled' });
  push({ type: 'run-end', t: endT, durationMs: endT });
  out.sort((a, b) => a.t - b.t || (a.type === 'run-start' ? -1 : b.type === 'run-start' ? 1 : 0));
  if (splitBrain) {
    const [a, b] = splitBrain.nodes;
    const w = out.filter(
      (e) => e.type === 'poll' && e.outcome === 'ok' && e.state === 'leader' && e.term === splitBrain!.term && (e.node === a || e.node === b) && Math.abs(e.t - splitBrain!.atMs) < 200,
    );
    splitBrain.witnesses.push(...w.slice(0, 6));
  }
  return { history: out, nodes, failovers, staleLeaders, ...(splitBrain ? { splitBrain } : {}), config };
}

/**
 * Check results as the real checkers would give for a synthetic run: election safety (invalid
 * when a split brain was injected), election time with its failovers, and a few valid ones.
 * For report tests that must not depend on the checkers.
 */
export function synthResults(run: SynthRun): CheckResult[] {
  const bound = run.config.bounds.electionMs;
  const slow = run.failovers.filter((f) => f.ms > bound);
  const sb = run.splitBrain;
  return [
    sb
      ? {
          name: 'election-safety',
          verdict: 'invalid',
          message: `Term ${sb.term} had two leaders: ${sb.nodes[0]} and ${sb.nodes[1]} (from ${Math.round(sb.atMs)}ms).`,
          witnesses: sb.witnesses,
          details: { staleLeaders: run.staleLeaders },
        }
      : {
          name: 'election-safety',
          verdict: 'valid',
          message: `No term had two leaders; ${run.staleLeaders.length} stale leader(s) in older terms.`,
          witnesses: [],
          details: { staleLeaders: run.staleLeaders },
        },
    {
      name: 'election-time',
      verdict: slow.length ? 'invalid' : 'valid',
      message: slow.length
        ? `${slow.length} failover(s) took longer than ${bound}ms.`
        : `${run.failovers.length} failover(s), worst ${Math.max(0, ...run.failovers.map((f) => f.ms))}ms (bound ${bound}ms).`,
      witnesses: [],
      details: { failovers: run.failovers, boundMs: bound },
    },
    { name: 'liveness-after-heal', verdict: 'valid', message: 'Every node followed one leader within the recovery window.', witnesses: [] },
    { name: 'terms-monotonic', verdict: 'valid', message: 'No node’s term ever went back.', witnesses: [] },
    { name: 'observation-quality', verdict: 'valid', message: 'Enough successful polls; no events lost.', witnesses: [] },
  ];
}
