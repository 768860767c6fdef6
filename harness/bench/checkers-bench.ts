import { mkdtemp, rm, stat } from 'node:fs/promises';
import { ELECTION_DEFAULTS } from '../../common/src/election-settings.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { checkAll, defaultCheckers } from '../src/checkers/index.js';
import { deriveBounds } from '../src/checkers/bounds.js';
import { readHistory } from '../src/history/reader.js';
import { JsonlHistoryWriter } from '../src/history/writer.js';
import type { HistoryEntry, RunConfig } from '../src/history/types.js';
import { isolate } from '../src/nemesis/partitions.js';
import { createRng, type Rng } from '../src/util/rng.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const WALL0 = 1_700_000_000_000;
const STEP_MS = 50; // each node polled 20 times a second

/**
 * Writes a realistic history of about `target` entries: 5 nodes polled at 20/s, node events,
 * and every 10 s a fault (isolate the leader, or kill a follower) healed 3 s later, with the
 * elections, votes, step-downs and restarts they cause. Node events are written after the poll
 * that revealed them, a few ms out of time order, as the real poller does.
 */
async function generate(path: string, target: number, rng: Rng, config: RunConfig): Promise<number> {
  const w = new JsonlHistoryWriter(path);
  let n = 0;
  const put = (e: Record<string, unknown> & { type: string; t: number }) => {
    w.write({ wall: WALL0 + Math.round(e.t), ...e } as unknown as HistoryEntry);
    n++;
  };
  const seq = new Map(NODES.map((x) => [x, 0]));
  const boot = new Map(NODES.map((x) => [x, `${x}-b0`]));
  const ev = (t: number, node: string, kind: string, term: number, extra: Record<string, unknown> = {}) => {
    const s = (seq.get(node) ?? 0) + 1;
    seq.set(node, s);
    put({ type: 'node-event', t, node, bootId: boot.get(node), seq: s, kind, term, ...extra });
  };
  put({ type: 'run-start', t: 0, runId: 'bench', scenario: 'bench', seed: rng.seed, runtime: 'sim', nodes: NODES, config, replay: '' });
  put({ type: 'phase', t: 0, phase: 'warmup' });
  for (const x of NODES) ev(1, x, 'start', 0, { stateTerm: 0, stateVotedFor: null });

  let term = 1;
  let leader = 'n1';
  const state = new Map<string, { term: number; leader: string | null; role: 'leader' | 'follower'; voted: string | null }>();
  for (const x of NODES) state.set(x, { term, leader, role: x === leader ? 'leader' : 'follower', voted: leader });
  const down = new Set<string>();
  const queued: Array<() => void> = [];
  let t = 100;
  let faultNo = 0;
  let fault: { id: string; kind: string; label: string; healAt: number; target: string } | null = null;
  let electAt = -1;
  let stepDownAt = -1;
  let oldLeader = '';
  put({ type: 'phase', t, phase: 'faults' });

  // Stop once near the target and no fault is in force (the run ends healed, as real runs do).
  while (n < target - 320 || fault || t < stepDownAt || t < electAt) {
    const cycle = t % 10_000;
    if (!fault && cycle === 5000) {
      faultNo++;
      const id = `f${faultNo}`;
      if (faultNo % 3 !== 0) {
        oldLeader = leader;
        const p = isolate(NODES, leader);
        fault = { id, kind: 'partition', label: `isolate leader ${leader}`, healAt: t + 3000, target: leader };
        put({ type: 'fault-start', t, id, kind: 'partition', label: fault.label, targets: [leader], cuts: p.cuts, leaderBefore: { node: leader, term }, removesLeader: true });
        electAt = t + STEP_MS * (4 + rng.int(5));
        stepDownAt = t + STEP_MS * (6 + rng.int(6));
      } else {
        const victim = rng.pick(NODES.filter((x) => x !== leader));
        fault = { id, kind: 'kill', label: `kill ${victim}`, healAt: t + 3000, target: victim };
        put({ type: 'fault-start', t, id, kind: 'kill', label: fault.label, targets: [victim], leaderBefore: { node: leader, term }, removesLeader: false });
        put({ type: 'process', t: t + 1, node: victim, action: 'kill' });
        down.add(victim);
      }
    }
    if (t === electAt) {
      const others = NODES.filter((x) => x !== oldLeader);
      const cand = rng.pick(others);
      term++;
      leader = cand;
      queued.push(() => {
        ev(t - 20, cand, 'become-pre-candidate', term - 1);
        for (const v of others) if (v !== cand) ev(t - 18, v, 'vote', term, { candidate: cand, granted: true, preVote: true, reason: 'ok' });
        ev(t - 15, cand, 'term', term, { from: term - 1, to: term, reason: 'election' });
        ev(t - 15, cand, 'become-candidate', term);
        for (const v of others) if (v !== cand) ev(t - 10, v, 'vote', term, { candidate: cand, granted: true, preVote: false, reason: 'ok' });
        ev(t - 5, cand, 'become-leader', term);
        for (const v of others) if (v !== cand) ev(t - 3, v, 'leader-known', term, { leader: cand });
      });
      for (const x of others) state.set(x, { term, leader: cand, role: x === cand ? 'leader' : 'follower', voted: cand });
    }
    if (t === stepDownAt) {
      const old = oldLeader;
      const s = state.get(old);
      if (s) s.role = 'follower';
      if (s) s.leader = null;
      queued.push(() => {
        ev(t - 4, old, 'step-down', s?.term ?? term, { reason: 'check-quorum' });
        ev(t - 4, old, 'become-follower', s?.term ?? term, { leader: null, reason: 'check-quorum' });
      });
    }
    if (fault && t === fault.healAt) {
      const f = fault;
      put({ type: 'fault-end', t, id: f.id, kind: f.kind, label: f.label });
      if (f.kind === 'kill') {
        down.delete(f.target);
        boot.set(f.target, `${f.target}-b${t}`);
        seq.set(f.target, 0);
        put({ type: 'process', t: t + 1, node: f.target, action: 'start' });
        ev(t + 20, f.target, 'start', term, { stateTerm: term, stateVotedFor: leader });
        ev(t + 60, f.target, 'leader-known', term, { leader });
      } else {
        const tgt = f.target;
        queued.push(() => {
          ev(t - 2, tgt, 'term', term, { from: term - 1, to: term, reason: 'append-entries' });
          ev(t - 2, tgt, 'leader-known', term, { leader });
        });
      }
      state.set(f.target, { term, leader, role: 'follower', voted: state.get(f.target)?.voted ?? null });
      fault = null;
    }
    NODES.forEach((x, i) => {
      const pt = t + i * 2 + rng.next() * 3;
      if (down.has(x)) {
        put({ type: 'poll', t: pt, node: x, outcome: 'refused', latencyMs: 0.4, error: 'ECONNREFUSED' });
        return;
      }
      const s = state.get(x);
      if (!s) return;
      put({ type: 'poll', t: pt, node: x, outcome: 'ok', latencyMs: 0.8 + rng.next(), state: s.role, role: s.role, term: s.term, leader: s.leader, votedFor: s.voted, bootId: boot.get(x) });
    });
    while (queued.length > 0) (queued.shift() as () => void)();
    t += STEP_MS;
  }
  put({ type: 'phase', t, phase: 'recovery' });
  for (let k = 0; k < 60; k++, t += STEP_MS) {
    for (const x of NODES) {
      const s = state.get(x);
      if (s) put({ type: 'poll', t, node: x, outcome: 'ok', latencyMs: 1, state: s.role, role: s.role, term: s.term, leader: s.leader, votedFor: s.voted, bootId: boot.get(x) });
    }
  }
  put({ type: 'phase', t, phase: 'teardown' });
  put({ type: 'run-end', t, durationMs: t });
  await w.close();
  return n;
}

/**
 * Times the checkers on a generated 1M-entry history against merely parsing the same file, and
 * prints entries/s of each and their ratio (goal: check rate at least half the parse rate).
 */
export async function benchCheckers(entries = 1_000_000): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'rc-checkers-bench-'));
  try {
    const path = join(dir, 'history.jsonl');
    const node = { ...ELECTION_DEFAULTS, pollIntervalMs: STEP_MS };
    const config: RunConfig = { ...node, bugs: [], bounds: deriveBounds(node) };
    const written = await generate(path, entries, createRng(20261128), config);
    const size = (await stat(path)).size;
    console.log(`checkers bench: generated ${written} entries (${(size / 1e6).toFixed(1)} MB) in ${path}`);

    const t0 = performance.now();
    const history = await readHistory(path);
    const parseMs = performance.now() - t0;

    const ctx = { nodes: NODES, config };
    const t1 = performance.now();
    const result = checkAll(history, ctx);
    const checkMs = performance.now() - t1;

    const perChecker: string[] = [];
    for (const c of defaultCheckers) {
      const copy = history.slice(); // a fresh array: no shared time-order cache
      const s = performance.now();
      c.check(copy, ctx);
      perChecker.push(`${c.name} ${(performance.now() - s).toFixed(0)} ms`);
    }
    const parseRate = history.length / (parseMs / 1000);
    const checkRate = history.length / (checkMs / 1000);
    const fmt = (r: number) => `${(r / 1e6).toFixed(2)} M entries/s`;
    console.log(`  parse: ${parseMs.toFixed(0)} ms, ${fmt(parseRate)}`);
    console.log(`  check (all ${defaultCheckers.length} checkers): ${checkMs.toFixed(0)} ms, ${fmt(checkRate)}`);
    console.log(`  ratio check/parse: ${(checkRate / parseRate).toFixed(2)} (goal >= 0.5)`);
    console.log(`  each alone: ${perChecker.join(', ')}`);
    for (const r of result.results) if (r.verdict !== 'valid') console.log(`    ${r.name}: ${r.message}`);
    console.log(`  verdict on the generated run: ${result.verdict} (${result.results.map((r) => `${r.name}=${r.verdict}`).join(', ')})`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
