import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NodeDriver } from '../server/driver.js';
import type { BugName } from '../core/bugs.js';
import { majority } from '../core/quorum.js';
import type { LinkConditions } from './network.js';
import { startScenario, type Scenario } from './scenario.js';
import { SimCluster } from './sim-cluster.js';

// Virtual-time bounds. Election timeout 150-300 ms, heartbeat 50 ms, RPC timeout 75 ms.
/** A leader must be known by a majority this long after a majority can talk. */
const ELECTION_BOUND_MS = 3000;
/** Once the whole cluster follows one leader on a calm network, terms must hold this long. */
const STABLE_MS = 2000;

const lossy = (maxDrop: number): fc.Arbitrary<LinkConditions> =>
  fc
    .record({
      // One-way delays up to 30 ms keep a round trip under the 75 ms RPC timeout.
      minDelay: fc.integer({ min: 0, max: 10 }),
      jitter: fc.integer({ min: 0, max: 20 }),
      dropRate: fc.double({ min: 0, max: maxDrop, noNaN: true }),
      duplicateRate: fc.double({ min: 0, max: 0.3, noNaN: true }),
    })
    .map(({ minDelay, jitter, dropRate, duplicateRate }) => ({ minDelay, maxDelay: minDelay + jitter, dropRate, duplicateRate }));

const scenarioArb = (opts: { sizes: [number, number]; isolateMinority: boolean; crashes: boolean }): fc.Arbitrary<Scenario> =>
  fc.integer({ min: opts.sizes[0], max: opts.sizes[1] }).chain((size) =>
    fc.record({
      size: fc.constant(size),
      seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
      chaos: fc.record({
        durationMs: fc.integer({ min: 0, max: 3000 }),
        conditions: lossy(0.6),
        groups: fc.array(fc.integer({ min: 0, max: size - 1 }), { minLength: size, maxLength: size }),
        crashes: opts.crashes
          ? fc.array(
              fc.record({
                node: fc.nat(size - 1),
                atMs: fc.integer({ min: 0, max: 3000 }),
                downMs: fc.integer({ min: 0, max: 1000 }),
              }),
              { maxLength: 4 },
            )
          : fc.constant([]),
      }),
      recovery: fc.record({
        conditions: lossy(0.1),
        isolated: opts.isolateMinority
          ? fc.uniqueArray(fc.nat(size - 1), { maxLength: size - majority(size) })
          : fc.constant([]),
      }),
    }),
  );

const CALM_RECOVERY: LinkConditions = { minDelay: 1, maxDelay: 10, dropRate: 0, duplicateRate: 0 };

/** Figure 2 / §5.2 Election Safety: at most one leader can be elected in a given term. */
function electionSafety(bugs: BugName[], sizes: [number, number]) {
  return fc.property(scenarioArb({ sizes, isolateMinority: true, crashes: true }), (s) => {
    const c = startScenario(s, { bugs });
    c.runUntil(s.chaos.durationMs + 1500);
    expect(c.safetyViolations()).toEqual([]);
  });
}

/** §5.2 liveness: once a majority can talk, a leader known by a majority appears within a bound. */
function electsLeader(bugs: BugName[], scenario: fc.Arbitrary<Scenario>) {
  return fc.property(scenario, (s) => {
    const c = startScenario(s, { bugs });
    c.runUntil(s.chaos.durationMs);
    const deadline = s.chaos.durationMs + ELECTION_BOUND_MS;
    while (c.now < deadline && c.leaderKnownBy(majority(s.size)) === null) c.runFor(10);
    expect(c.leaderKnownBy(majority(s.size))).not.toBeNull();
  });
}

/**
 * Stability: on a calm, fully connected network the whole cluster comes to follow one leader
 * in one term within a bound, and then no node changes term (no spurious elections).
 */
function convergesAndHolds(bugs: BugName[], checkQuorum = true) {
  return fc.property(scenarioArb({ sizes: [3, 5], isolateMinority: false, crashes: false }), (s0) => {
    const s: Scenario = { ...s0, recovery: { conditions: CALM_RECOVERY, isolated: [] } };
    const c = startScenario(s, { bugs, checkQuorum });
    c.runUntil(s.chaos.durationMs);
    const deadline = s.chaos.durationMs + ELECTION_BOUND_MS;
    while (c.now < deadline && c.leaderKnownBy(s.size) === null) c.runFor(10);
    const leader = c.leaderKnownBy(s.size);
    expect(leader, 'every node follows one leader').not.toBeNull();
    const termChanges = c.events.length;
    c.runFor(STABLE_MS);
    const later = c.events.slice(termChanges).filter((e) => e.kind === 'term');
    expect(later, 'no term change while the network is calm').toEqual([]);
  });
}

const anyScenario = scenarioArb({ sizes: [3, 7], isolateMinority: true, crashes: false });

describe('simulated cluster (correct node)', () => {
  it('Figure 2 Election Safety: never two leaders in one term (3-7 nodes, drops, delays, duplicates, partitions, crashes)', () => {
    fc.assert(electionSafety([], [3, 7]), { numRuns: 60 });
  });

  it('§5.2: a leader is elected within a bound once a majority can talk', () => {
    fc.assert(electsLeader([], anyScenario), { numRuns: 60 });
  });

  it('§5.2 + heartbeats: a calm cluster converges on one leader and keeps it', () => {
    fc.assert(convergesAndHolds([]), { numRuns: 40 });
  });

  it('is deterministic: same seed and scenario give the same history', () => {
    const run = () => {
      const c = new SimCluster({ ids: ['a', 'b', 'c', 'd'], seed: 7, conditions: { minDelay: 1, maxDelay: 30, dropRate: 0.2, duplicateRate: 0.1 } });
      c.runFor(3000);
      return JSON.stringify(c.events);
    };
    expect(run()).toBe(run());
  });
});

// Each bug must make the property it breaks fail: the properties have teeth.
describe('simulated cluster (deliberate bugs are caught)', () => {
  const fails = (p: fc.IProperty<[Scenario]>, numRuns: number) => {
    // endOnFailure: the first counterexample is proof enough; shrinking would only cost time.
    const r = fc.check(p, { numRuns, seed: 12345, endOnFailure: true });
    return r.failed;
  };

  it('vote-twice breaks Election Safety', () => {
    expect(fails(electionSafety(['vote-twice'], [3, 7]), 200)).toBe(true);
  });

  it('majority-off-by-one breaks Election Safety in even-sized clusters', () => {
    expect(fails(electionSafety(['majority-off-by-one'], [4, 4]), 200)).toBe(true);
  });

  it('forget-vote breaks Election Safety across crashes', () => {
    expect(fails(electionSafety(['forget-vote'], [3, 5]), 300)).toBe(true);
  });

  it('candidate-no-retry breaks liveness (stuck campaigns after a partition)', () => {
    expect(fails(electsLeader(['candidate-no-retry'], anyScenario), 200)).toBe(true);
  });

  it('fixed-timeout breaks liveness (split votes repeat in a symmetric network)', () => {
    expect(fails(electsLeader(['fixed-timeout'], anyScenario), 200)).toBe(true);
  });

  it('no-step-down breaks convergence (a stale node never follows the new leader)', () => {
    expect(fails(convergesAndHolds(['no-step-down']), 200)).toBe(true);
  });

  it('slow-heartbeat breaks stability (followers time out under a live leader)', () => {
    expect(fails(convergesAndHolds(['slow-heartbeat']), 100)).toBe(true);
  });
});

describe('simulated cluster: a node that fails by itself', () => {
  // Three candidates in a cut-off cluster: each one's election timer fires while it campaigns.
  const stuck = (onNodeCrash?: (id: string, input: string, error: string) => void) => {
    const c = new SimCluster({ seed: 3, core: { preVote: false, bugs: ['stuck-election-timer'] }, ...(onNodeCrash ? { onNodeCrash } : {}) });
    for (const a of c.ids) for (const b of c.ids) if (a !== b) c.network.cut(a, b);
    return c;
  };

  it('without onNodeCrash, a core asking for a tick in the past is an error of the simulation', () => {
    expect(() => stuck().runFor(3000)).toThrow(/asks for a tick at .* after ticking at/);
  });

  it('with onNodeCrash, the node goes down, the report names the input and the error, and the others run on', () => {
    const crashes: string[] = [];
    const c = stuck((id, input, error) => crashes.push(`${id} ${input} ${error}`));
    c.runFor(3000);
    expect(crashes).toHaveLength(3);
    expect(crashes[0]).toMatch(/^n\d tick at [\d.]+ CoreFailure: core n\d asks for a tick at [\d.]+ after ticking at [\d.]+: its timer would fire again at once/);
    for (const id of c.ids) expect(c.isUp(id)).toBe(false);
  });
});

describe('simulated cluster: a driver that does nothing', () => {
  // A driver whose step is emptied neither steps the core nor guards its timer: the core's
  // deadline stays in the past, and each tick leaves it there. A real process spins on a 1 ms
  // timer; the simulation must not loop at one instant (it hung: a StrykerJS timeout).
  afterEach(() => vi.restoreAllMocks());

  it("ticks it again 1 ms on, so the cluster's clock runs and nobody is elected", () => {
    let steps = 0;
    vi.spyOn(NodeDriver.prototype, 'step').mockImplementation(() => {
      // Without the 1 ms, the loop never ends: stop it (a throw ends a node's ticks) to fail.
      if (++steps > 100_000) throw new Error('the simulation ticks a node at one instant forever');
    });
    const c = new SimCluster({ seed: 1 });
    c.runFor(2000);
    // Three nodes ticked every 1 ms for 2 s.
    expect(steps).toBeLessThanOrEqual(3 * 2000 + 3);
    expect(steps).toBeGreaterThan(3 * 1000);
    for (const id of c.ids) expect(c.status(id)?.role).toBe('follower');
  });
});

describe('simulated cluster: pause and resume (SIGSTOP / SIGCONT)', () => {
  it('a paused leader does nothing, the others elect; resumed, it handles what waited and follows the higher term', () => {
    const c = new SimCluster({ ids: ['a', 'b', 'c'], seed: 3 });
    c.runFor(2000);
    const first = c.leaderKnownBy(3)!;
    expect(first).not.toBeNull();
    c.pause(first.id);
    const before = c.status(first.id)!;
    c.runFor(2000);
    expect(c.isPaused(first.id)).toBe(true);
    expect(c.status(first.id)).toEqual(before); // frozen: no tick, no message handled
    const next = c.leaderKnownBy(2)!;
    expect(next.id).not.toBe(first.id);
    expect(next.term).toBeGreaterThan(first.term);
    c.resume(first.id);
    c.runFor(1000);
    expect(c.status(first.id)).toMatchObject({ role: 'follower', term: next.term });
    expect(c.safetyViolations()).toEqual([]);
  });
});

// The whole node: the server's driver and storage run on the simulated disk, so the order of
// persisting and replying matters, and a crash while a write is being synced loses it.
describe('simulated cluster: the server driver on a simulated disk', () => {
  /**
   * Two nodes without Pre-Vote (a candidate needs the other's vote), writes taking 10 ms. The
   * first voter to grant a vote is killed 5 ms after granting (inside its write) and restarted
   * at once. Returns whether the candidate won with that grant and what the voter remembers
   * after the restart.
   */
  function killVoterMidWrite(bugs: BugName[]) {
    let victim: { voter: string; candidate: string; term: number } | null = null;
    const loaded: Array<{ term: number; votedFor: string | null }> = [];
    const c: SimCluster = new SimCluster({
      ids: ['a', 'b'],
      seed: 5,
      persistMs: [10, 10],
      core: { preVote: false, bugs },
      onBoot: (id, incarnation, state) => {
        if (victim !== null && id === victim.voter && incarnation > 0) loaded.push(state);
      },
      onCoreEvent: (e, at, node) => {
        if (victim === null && e.kind === 'vote' && e['granted'] === true) {
          victim = { voter: node, candidate: String(e['candidate']), term: e.term };
          c.schedule(at + 5, () => c.crash(node));
          c.schedule(at + 6, () => c.restart(node));
        }
      },
    });
    c.runFor(2000);
    const v = victim!;
    const grantsFromVictim = c.events.filter((e) => e.kind === 'become-leader' && e.node === v.candidate && e.term === v.term).length;
    return { victim: v, remembered: loaded[0], candidateWon: grantsFromVictim > 0, violations: c.safetyViolations() };
  }

  it('correct driver: the vote is answered only once durable; a kill mid-write loses the write and the answer', () => {
    const r = killVoterMidWrite([]);
    expect(r.remembered).toEqual({ term: 0, votedFor: null }); // the write was lost...
    expect(r.candidateWon).toBe(false); // ...and so was the grant: nobody counted it
  });

  it('reply-before-persist: the candidate counts a grant the voter no longer remembers', () => {
    const r = killVoterMidWrite(['reply-before-persist']);
    expect(r.remembered).toEqual({ term: 0, votedFor: null });
    expect(r.candidateWon).toBe(true);
  });

  /**
   * Crashes aimed at writes: the voter of the k-th granted vote is killed `afterMs` (0-14) after
   * granting, while its 2-14 ms write may still be going on, and restarted `downMs` later. Random
   * crash times almost never land inside a write (2000 schedules of
   * `startScenario` crashes with 2-14 ms writes did not).
   */
  const killAfterGrant = (bugs: BugName[]) =>
    fc.property(
      fc.record({
        size: fc.integer({ min: 3, max: 5 }),
        seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        k: fc.integer({ min: 1, max: 6 }),
        afterMs: fc.integer({ min: 0, max: 14 }),
        downMs: fc.integer({ min: 0, max: 300 }),
        conditions: lossy(0.3),
      }),
      (p) => {
        let granted = 0;
        const ids = Array.from({ length: p.size }, (_, i) => `n${i + 1}`);
        const c: SimCluster = new SimCluster({
          ids,
          seed: p.seed,
          conditions: p.conditions,
          persistMs: [2, 14],
          core: { preVote: false, bugs },
          onCoreEvent: (e, at, node) => {
            if (e.kind !== 'vote' || e['granted'] !== true || e['preVote'] === true || ++granted !== p.k) return;
            c.schedule(at + p.afterMs, () => c.crash(node));
            c.schedule(at + p.afterMs + p.downMs, () => c.restart(node));
          },
        });
        c.runUntil(4000);
        return c.safetyViolations().length === 0;
      },
    );

  it('reply-before-persist breaks Election Safety when a voter is killed inside its write; the correct driver does not', () => {
    expect(fc.check(killAfterGrant(['reply-before-persist']), { numRuns: 2000, seed: 12345, endOnFailure: true }).failed).toBe(true);
    expect(fc.check(killAfterGrant([]), { numRuns: 1000, seed: 12345 }).failed).toBe(false);
  });

  it('no-fsync breaks Election Safety across crashes; the correct driver does not', () => {
    const safety = (bugs: BugName[]) =>
      fc.property(scenarioArb({ sizes: [3, 5], isolateMinority: true, crashes: true }), (s) => {
        const c = startScenario(s, { bugs });
        c.runUntil(s.chaos.durationMs + ELECTION_BOUND_MS);
        return c.safetyViolations().length === 0;
      });
    expect(fc.check(safety(['no-fsync']), { numRuns: 300, seed: 12345, endOnFailure: true }).failed).toBe(true);
    expect(fc.check(safety([]), { numRuns: 300, seed: 12345 }).failed).toBe(false);
  });
});

// A node sends once its write is done (the driver persists, then sends or answers): a link cut
// during the write must refuse what leaves after it, as the real proxy would, even though the
// step that made the message ran before the cut.
describe('simulated cluster: a link cut while the sender writes', () => {
  /**
   * Two nodes without Pre-Vote, writes taking 10 ms. At the first `become-candidate` (request)
   * or the first granted vote (reply), the link from that node to the other is cut 3 ms later,
   * inside the write; what the step sends leaves at 10 ms, after the cut.
   */
  function cutInsideWrite(what: 'request' | 'reply') {
    let cut: { from: string; to: string; term: number } | null = null;
    const c: SimCluster = new SimCluster({
      ids: ['a', 'b'],
      seed: 5,
      persistMs: [10, 10],
      core: { preVote: false },
      onCoreEvent: (e, at, node) => {
        if (cut !== null) return;
        const other = node === 'a' ? 'b' : 'a';
        if (what === 'request' && e.kind === 'become-candidate') cut = { from: node, to: other, term: e.term };
        else if (what === 'reply' && e.kind === 'vote' && e['granted'] === true) cut = { from: node, to: String(e['candidate']), term: e.term };
        else return;
        const { from, to } = cut;
        c.schedule(at + 3, () => c.network.cut(from, to));
      },
    });
    c.runFor(600);
    return { cut: cut!, events: c.events };
  }

  it('a request made before the cut but leaving after it is refused: the peer never hears the campaign', () => {
    const { cut, events } = cutInsideWrite('request');
    const heard = events.filter((e) => e.node === cut.to && e.kind === 'vote' && e['candidate'] === cut.from && e.term === cut.term);
    expect(heard).toEqual([]);
  });

  it('a granted vote whose reply leaves after the cut is lost: the candidate does not win with it', () => {
    const { cut, events } = cutInsideWrite('reply');
    const won = events.filter((e) => e.kind === 'become-leader' && e.node === cut.to && e.term === cut.term);
    expect(won).toEqual([]);
  });
});
