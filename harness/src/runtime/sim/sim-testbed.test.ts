import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarios } from '../../../../scenarios/index.js';
import type { DeliveryEntry, HistoryEntry, NodeEventEntry, PollEntry } from '../../history/types.js';
import type { Scenario } from '../../scenario/types.js';
import { runScenario } from '../../runner/run-scenario.js';
import { busyApiMs, simTestbed } from './sim-testbed.js';
import { createRng } from '../../util/rng.js';
import { SimLinks } from './sim-links.js';
import { SimPartitioner, TOXIPROXY_API_MS } from './sim-partitioner.js';
import { VIRTUAL_EPOCH_MS } from './virtual-clock.js';

const dir = mkdtempSync(join(tmpdir(), 'raft-chaos-sim-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const quiet = { reportDir: dir, writeReport: false, writeHistory: false } as const;
const byName = (name: string): Scenario => scenarios.find((s) => s.name === name)!;

describe('runScenario on the sim testbed: every named scenario on the correct node', () => {
  for (const s of scenarios) {
    it(`${s.name} is valid on sim (two seeds)`, async () => {
      for (const seed of [1, 2]) {
        const r = await runScenario(s, { runtime: 'sim', ...quiet, seed });
        const bad = r.results.filter((c) => c.verdict !== 'valid').map((c) => `${c.name}: ${c.message}`);
        expect(bad, `seed ${seed}`).toEqual([]);
        expect(r.verdict).toBe('valid');
      }
    });
  }
});

describe('runScenario on the sim testbed: what the network delivered', () => {
  it('records vote traffic paired (a reply names its request), newer terms, and no routine heartbeat', async () => {
    const r = await runScenario(byName('kill-leader'), { runtime: 'sim', ...quiet, seed: 1 });
    const d = r.history.filter((e): e is DeliveryEntry => e.type === 'delivery');
    const byId = new Map(d.map((e) => [e.id, e]));
    const replies = d.filter((e) => e.rpc !== 'append-entries' && e.msg === 'reply');
    expect(replies.length).toBeGreaterThan(3);
    for (const reply of replies) {
      const req = byId.get(reply.re!)!;
      expect(req).toMatchObject({ msg: 'request', rpc: reply.rpc, node: reply.from, from: reply.node, term: reply.requestTerm, candidate: reply.node });
      expect(typeof reply.granted).toBe('boolean');
    }
    // AppendEntries only when it carried a term above the receiver's (a new leader's first
    // heartbeats), or (CheckQuorum on) a reply of the leader's term in its first CheckQuorum window.
    const ae = d.filter((e) => e.rpc === 'append-entries' && e.firstWindow !== true);
    expect(ae.length).toBeGreaterThan(0);
    for (const e of ae) expect(e.term!).toBeGreaterThan(e.nodeTerm);
    const first = d.filter((e) => e.firstWindow === true);
    expect(first.length).toBeGreaterThan(0);
    for (const e of first) expect(e).toMatchObject({ rpc: 'append-entries', msg: 'reply', requestTerm: e.nodeTerm });
    // In time order with the polls, and each names the events its step logged.
    const ts = r.history.filter((e) => e.type === 'delivery' || e.type === 'poll').map((e) => e.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    const votes = r.history.filter((e): e is NodeEventEntry => e.type === 'node-event' && e.kind === 'vote');
    for (const req of d.filter((e) => e.rpc === 'request-vote' && e.msg === 'request')) {
      const v = votes.find((x) => x.node === req.node && x.bootId === req.bootId && x.seq > req.afterSeq && x.seq <= req.afterSeq + req.events);
      expect(v, `the vote event of request #${req.id}`).toMatchObject({ candidate: req.candidate, requestTerm: req.term });
    }
  });
});

describe('runScenario on the sim testbed: a staggered start', () => {
  it('starts the late nodes at their delays, as the process runtime does, and records their start', async () => {
    const r = await runScenario(byName('staggered-start'), { runtime: 'sim', ...quiet, seed: 3 });
    const starts = r.history.filter((e) => e.type === 'node-event' && (e as NodeEventEntry).kind === 'start') as NodeEventEntry[];
    const at = Object.fromEntries(starts.map((e) => [e.node, e.t]));
    const delays = byName('staggered-start').startDelaysMs!;
    const early = Object.keys(at).filter((n) => !(n in delays));
    expect(early.length).toBeGreaterThan(0);
    for (const [node, ms] of Object.entries(delays)) {
      // Started `ms` after the others were up, plus the spawn and boot time of a process.
      expect(at[node]! - Math.max(...early.map((n) => at[n]!))).toBeGreaterThan(ms);
    }
    expect(r.verdict).toBe('valid');
  });
});

describe('runScenario on the sim testbed: determinism', () => {
  it('the same seed gives the same history.jsonl, byte for byte (wall included); another seed does not', async () => {
    const run = async (seed: number, reportDir: string) => {
      const r = await runScenario(byName('partition-leader'), { runtime: 'sim', seed, reportDir, writeReport: false });
      return readFileSync(join(r.dir, 'history.jsonl'), 'utf8');
    };
    const a = await run(42, join(dir, 'a'));
    const b = await run(42, join(dir, 'b'));
    const again = await run(42, join(dir, 'a')); // a replay gets its own directory, same bytes
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toBe(a);
    expect(again).toBe(a);
    expect(await run(43, join(dir, 'c'))).not.toBe(a);
  });

  it('names its directory by when it ran, and a replay of the same seed never overwrites an earlier run', async () => {
    const reportDir = join(dir, 'named');
    const ranAtMs = Date.UTC(2026, 11, 6, 1, 2, 3, 4);
    const testbed = simTestbed({ wallNow: () => ranAtMs });
    const first = await runScenario(byName('baseline'), { testbed, seed: 9, reportDir, writeReport: false });
    const second = await runScenario(byName('baseline'), { testbed, seed: 9, reportDir, writeReport: false });
    expect(first.runId).toMatch(/^20261206-010203004-baseline-s9-sim[0-9a-f]{6}$/);
    expect(second.runId).toBe(`${first.runId}-2`);
    expect(second.dir).not.toBe(first.dir);
    expect(readFileSync(join(first.dir, 'history.jsonl'), 'utf8')).toBe(readFileSync(join(second.dir, 'history.jsonl'), 'utf8'));
    // The history keeps virtual time, its run id included.
    expect(first.history[0]).toMatchObject({ type: 'run-start', runId: expect.stringMatching(/^20000101-000000000-baseline-s9-sim/) });
    const now = await runScenario(byName('baseline'), { runtime: 'sim', seed: 9, reportDir, writeReport: false });
    expect(now.runId.slice(0, 4)).toBe(String(new Date().getUTCFullYear()));
  });

  it('gives progress lines the virtual run time of the history', async () => {
    const lines: Array<[string, number | undefined]> = [];
    const r = await runScenario(byName('partition-leader'), { runtime: 'sim', ...quiet, seed: 4, onProgress: (line, at) => lines.push([line, at]) });
    const fault = r.history.find((e) => e.type === 'fault-start')!;
    const faultLine = lines.find(([l]) => l.startsWith('fault '))!;
    // Printed once the fault is in force: on the history's clock, just after its fault-start.
    expect(faultLine[1]! - fault.t).toBeGreaterThanOrEqual(0);
    expect(faultLine[1]! - fault.t).toBeLessThan(100);
    expect(new Set(lines.map(([, at]) => Math.round((at ?? 0) / 100))).size).toBeGreaterThan(3);
  });

  it('is deterministic with kills, pauses, latency and a bug on', async () => {
    for (const name of ['kill-leader', 'pause-leader', 'latency', 'rolling-restart']) {
      const run = async () => JSON.stringify((await runScenario(byName(name), { runtime: 'sim', ...quiet, seed: 5, bugs: ['vote-twice'] })).history);
      expect(await run(), name).toBe(await run());
    }
  });
});

describe('runScenario on the sim testbed: the history has the shapes of a real run', () => {
  it('records the same entry kinds, node events with the node API fields, wall from the virtual epoch', async () => {
    const r = await runScenario(byName('kill-leader'), { runtime: 'sim', ...quiet, seed: 3 });
    const h = r.history;
    const types = new Set(h.map((e) => e.type));
    for (const t of ['run-start', 'phase', 'note', 'poll', 'node-event', 'fault-start', 'fault-end', 'process', 'run-end']) expect(types).toContain(t);
    expect(h[0]).toMatchObject({ type: 'run-start', runtime: 'sim', t: 0, wall: VIRTUAL_EPOCH_MS });
    for (const e of h) expect(e.wall - e.t).toBeCloseTo(VIRTUAL_EPOCH_MS, 2);
    expect(Object.keys(h[1]!).slice(0, 3)).toEqual(['type', 't', 'wall']);
    const start = h.find((e): e is NodeEventEntry => e.type === 'node-event' && e.kind === 'start')!;
    expect(start).toMatchObject({ seq: 1, term: 0, stateTerm: 0, stateVotedFor: null });
    expect(start.bootId).toMatch(/^[0-9a-f]{16}$/);
    const vote = h.find((e): e is NodeEventEntry => e.type === 'node-event' && e.kind === 'vote')!;
    expect(Object.keys(vote)).toEqual(expect.arrayContaining(['seq', 'atMs', 'candidate', 'granted', 'preVote', 'reason', 'bootId']));
    // A killed node is refused while down; after its restart it has a new boot that loaded its term.
    const killed = h.find((e) => e.type === 'process' && e.action === 'kill') as { node: string; t: number };
    expect(h.some((e) => e.type === 'poll' && e.node === killed.node && e.outcome === 'refused' && e.t > killed.t)).toBe(true);
    const restarts = h.filter((e): e is NodeEventEntry => e.type === 'node-event' && e.node === killed.node && e.kind === 'start');
    expect(restarts.length).toBeGreaterThanOrEqual(2);
    expect(restarts[1]!.stateTerm).toBeGreaterThan(0);
    expect(restarts[1]!.bootId).not.toBe(restarts[0]!.bootId);
  });

  it('a paused node times out its polls and queues what it is sent; resumed, it learns the higher term', async () => {
    const r = await runScenario(byName('pause-leader'), { runtime: 'sim', ...quiet, seed: 4 });
    const pause = r.history.find((e) => e.type === 'fault-start')!;
    const node = (pause as { targets: string[] }).targets[0]!;
    const polls = r.history.filter((e): e is PollEntry => e.type === 'poll' && e.node === node);
    const during = polls.filter((p) => p.t > pause.t + 100 && p.t < pause.t + 2900);
    expect(during.length).toBeGreaterThan(40);
    expect(during.every((p) => p.outcome === 'timeout' && p.latencyMs === 40)).toBe(true);
    const last = polls[polls.length - 1]!;
    expect(last.outcome).toBe('ok');
    expect(last.term).toBeGreaterThan((pause as { leaderBefore: { term: number } }).leaderBefore.term);
  });

  it('the node --bug switches reach the simulated nodes', async () => {
    const slow = await runScenario(byName('baseline'), { runtime: 'sim', ...quiet, seed: 1, bugs: ['slow-heartbeat'] });
    expect(slow.verdict).toBe('invalid');
    const stuck = await runScenario(byName('partition-leader'), { runtime: 'sim', ...quiet, seed: 1, bugs: ['no-step-down'] });
    expect(stuck.verdict).toBe('invalid');
  });
});

describe('runScenario --runtime sim', () => {
  it('delegates to the simulation and writes the report', async () => {
    const { runScenario } = await import('../../runner/run-scenario.js');
    const r = await runScenario(byName('partition-leader'), { runtime: 'sim', seed: 42, reportDir: join(dir, 'cli') });
    expect(r.summary.runtime).toBe('sim');
    expect(r.verdict).toBe('valid');
    for (const f of ['history.jsonl', 'summary.json', 'index.html', 'junit.xml']) expect(readFileSync(join(r.dir, f), 'utf8').length).toBeGreaterThan(10);
    expect(r.summary.replay).toContain('--runtime sim');
  });
});

export type { HistoryEntry };

describe('runScenario on the sim testbed: nodes restarted together', () => {
  it('crash-restart: the nodes of each kill come back within RESTART_JITTER_MS of each other, as processes started together', async () => {
    const r = await runScenario(byName('crash-restart'), { runtime: 'sim', ...quiet, seed: 1 });
    const starts = (r.history.filter((e) => e.type === 'node-event' && (e as NodeEventEntry).kind === 'start') as NodeEventEntry[]).map((e) => e.t);
    // The first boot, then three restarts of all 3 nodes.
    expect(starts).toHaveLength(12);
    for (let round = 1; round < 4; round++) {
      const times = starts.slice(round * 3, round * 3 + 3);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(10);
    }
    expect(r.verdict).toBe('valid');
  });
});

describe('runScenario on the sim testbed: timing perturbations (`jitter`)', () => {
  const history = async (seed: number, jitter: number | undefined, reportDir: string) => {
    const r = await runScenario(byName('partition-leader'), { runtime: 'sim', seed, reportDir, writeReport: false, testbed: simTestbed(jitter === undefined ? {} : { jitter }) });
    return { text: readFileSync(join(r.dir, 'history.jsonl'), 'utf8'), entries: r.history };
  };

  it('jitter 0 is the seed itself, byte for byte; jitter k is deterministic and times the machine differently', async () => {
    const plain = await history(42, undefined, join(dir, 'j-plain'));
    expect((await history(42, 0, join(dir, 'j0'))).text).toBe(plain.text);
    const one = await history(42, 1, join(dir, 'j1a'));
    expect((await history(42, 1, join(dir, 'j1b'))).text).toBe(one.text);
    expect(one.text).not.toBe(plain.text);
    expect((await history(42, 2, join(dir, 'j2'))).text).not.toBe(one.text);
    // The machine's draws differ: the nodes boot at other times.
    const boots = (h: HistoryEntry[]) => h.filter((e) => e.type === 'node-event' && (e as NodeEventEntry).kind === 'start').map((e) => e.t);
    expect(boots(one.entries)).not.toEqual(boots(plain.entries));
  });

  it("keeps the node's election timeouts: the first node to time out waits as long from its boot under every jitter", async () => {
    /** The first node to start an election, and how long after its own boot (its first timeout drawn). */
    const firstTimeout = (h: HistoryEntry[]) => {
      const events = h.filter((e) => e.type === 'node-event') as NodeEventEntry[];
      const first = events.filter((e) => e.kind === 'become-pre-candidate').sort((a, b) => a.t - b.t)[0]!;
      const boot = events.find((e) => e.kind === 'start' && e.node === first.node)!;
      return { node: first.node, ms: Math.round((first.t - boot.t) * 1000) / 1000 };
    };
    let compared = 0;
    for (let seed = 1; seed <= 8; seed++) {
      const base = firstTimeout((await history(seed, 0, join(dir, `t${seed}-0`))).entries);
      for (const jitter of [1, 2]) {
        const other = firstTimeout((await history(seed, jitter, join(dir, `t${seed}-${jitter}`))).entries);
        if (other.node !== base.node) continue; // another node booted first: it drew its own timeout
        compared += 1;
        expect(other.ms, `seed ${seed}, jitter ${jitter}`).toBe(base.ms);
      }
    }
    expect(compared).toBeGreaterThanOrEqual(4);
  });
});

describe('busyApiMs: how long a Toxiproxy API call takes under a timing perturbation', () => {
  it('from the quiet host (1-2 ms) to ten times that (10-20 ms, measured at a load average of 23)', () => {
    expect(busyApiMs(0)).toEqual(TOXIPROXY_API_MS);
    const [lo, hi] = busyApiMs(0.999999);
    expect(lo).toBeCloseTo(10, 3);
    expect(hi).toBeCloseTo(20, 3);
    expect(busyApiMs(0.5)[0]).toBeGreaterThan(1);
  });

  it('the simulated partitioner takes that long per call: a cut of 2 links (4 calls) 4-8 ms quiet, 40-80 ms busy', async () => {
    const spent = async (apiMs?: readonly [number, number]) => {
      let ms = 0;
      const p = new SimPartitioner(new SimLinks(createRng(1)), ['n1', 'n2', 'n3'], { rng: createRng(2), advance: (d) => (ms += d), ...(apiMs ? { apiMs } : {}) });
      await p.applyCuts([['n1', 'n2'], ['n2', 'n1']]);
      return ms;
    };
    const quiet = await spent();
    expect(quiet).toBeGreaterThanOrEqual(4);
    expect(quiet).toBeLessThanOrEqual(8);
    const busy = await spent(busyApiMs(0.999999));
    expect(busy).toBeGreaterThanOrEqual(40 - 1e-6);
    expect(busy).toBeLessThanOrEqual(80);
  });
});
