import type { FaultSpec } from '../fault-spec.js';
import type { FaultKind, ScheduleOps } from '../fault-kind.js';

/** How `failovers` removes the leader: kill -9 (healed by a restart), isolate (healed), pause (SIGSTOP, healed by SIGCONT). */
export type FailoverBy = 'kill' | 'isolate' | 'pause';

/** The ways `failovers` can remove the leader, in the order its seeded pick sees them. */
export const FAILOVER_BY: readonly FailoverBy[] = ['kill', 'isolate', 'pause'];

/**
 * Remove the leader again and again, each time held only until another leader has settled
 * (the Raft paper's §9.3 measurement; what `npm run sweep` runs).
 */
export interface FailoversFault {
  kind: 'failovers';
  /**
   * How many times the leader is removed.
   * @asType integer
   * @minimum 1
   * @maximum 10000
   */
  times: number;
  /**
   * How: each time one of these, picked with the run's seed (default `["kill"]`).
   * @minItems 1
   */
  by?: FailoverBy[];
  /**
   * Longest wait for a leader to remove, and then for the next leader (ms, default 5000).
   * @asType integer
   * @minimum 1
   * @maximum 3600000
   */
  withinMs?: number;
  /**
   * Before each removal, a seeded wait of U(0, jitterMs) ms, so the fault lands at a random point
   * of the heartbeat interval (default 0).
   * @asType integer
   * @minimum 0
   * @maximum 3600000
   */
  jitterMs?: number;
  /**
   * Pause after each heal before the next removal, so the healed node rejoins (ms, default 300;
   * none after the last).
   * @asType integer
   * @minimum 0
   * @maximum 3600000
   */
  settleMs?: number;
}

declare module '../fault-spec.js' {
  interface FaultSpecs {
    failovers: FailoversFault;
  }
}

/** Failovers in a row without a leader to remove after which the rest are given up: the cluster will not recover by waiting. */
export const LEADERLESS_GIVE_UP = 3;

/**
 * What each failover leaves in the history besides its fault's `fault-start`/`fault-end`: one
 * info note, recorded when its wait ended (its `t` is when the harness saw the new leader
 * settled, or gave up), with this as its `data`.
 */
export interface FailoverNote {
  failover: number;
  of: number;
  /** `ok`: another leader settled in a later term; `no-leader`: none within `withinMs`; `no-leader-before`: no leader to remove. */
  outcome: 'ok' | 'no-leader' | 'no-leader-before';
  by: FailoverBy;
  /** The held fault's id (its `fault-start` says whom it hit); absent for `no-leader-before`. */
  fault?: string;
  removed?: { node: string; term: number };
  leader?: { node: string; term: number };
}

/**
 * `failovers`: not a held fault; the schedule runs it. `times` times: wait (at most `withinMs`)
 * for a settled leader, wait a seeded U(0, `jitterMs`), remove it (`by`, picked with the seed)
 * as a held fault aimed at the leader, wait (at most `withinMs`) for a settled leader other
 * than it in a later term, heal, and settle (but after the last). Never waits longer than
 * `withinMs` for anything, and gives up after LEADERLESS_GIVE_UP failovers in a row found no
 * leader to remove.
 */
export const failovers: FaultKind<FailoversFault> = {
  kind: 'failovers',
  fields: ['times', 'by', 'withinMs', 'jitterMs', 'settleMs'],
  process: true,
  validate: (f, path, check) => {
    check.int(f['times'], `${path}.times`, 1, 10_000);
    const by = f['by'];
    if (by !== undefined) {
      if (!Array.isArray(by) || by.length === 0) return check.fail(`${path}.by`, `must be a non-empty list of ${FAILOVER_BY.join(', ')}; got ${check.show(by)}`);
      by.forEach((b: unknown, i) => check.oneOf(b, `${path}.by[${i}]`, FAILOVER_BY));
    }
    if (f['withinMs'] !== undefined) check.int(f['withinMs'], `${path}.withinMs`, 1, 3_600_000);
    for (const k of ['jitterMs', 'settleMs']) if (f[k] !== undefined) check.int(f[k], `${path}.${k}`, 0, 3_600_000);
  },
  needsLeader: () => true,
  nodeRefs: () => {},
  describe: (spec) => `${spec.times} failover(s) by ${(spec.by ?? ['kill']).join('|')}`,
  plan: () => {
    throw new Error('failovers is run by the schedule, not started as a held fault');
  },
  run: (spec, ops) => runFailovers(spec, ops),
};

/** The held fault that removes the leader `by` this way. */
function removal(by: FailoverBy): FaultSpec {
  return by === 'isolate' ? { kind: 'partition', partition: { isolate: 'leader' } } : { kind: by, target: 'leader' };
}

async function runFailovers(spec: FailoversFault, ops: ScheduleOps): Promise<void> {
  const by = spec.by ?? ['kill'];
  const withinMs = spec.withinMs ?? 5000;
  let leaderless = 0;
  for (let i = 1; i <= spec.times; i++) {
    // Both drawn first, every time, so a failover's choices do not depend on earlier outcomes.
    const how = ops.rng.pick(by);
    const jitter = ops.rng.next() * (spec.jitterMs ?? 0);
    const head = `failover ${i} of ${spec.times}`;
    const note = (what: string, data: Omit<FailoverNote, 'failover' | 'of' | 'by'>) => ops.note(`${head}: ${what}`, { failover: i, of: spec.times, by: how, ...data });
    const old = await ops.awaitLeader({ withinMs });
    if (old === null) {
      note(`no leader to remove within ${withinMs} ms`, { outcome: 'no-leader-before' });
      if (++leaderless >= LEADERLESS_GIVE_UP) return;
      continue;
    }
    leaderless = 0;
    await ops.sleep(jitter);
    // The fault aims at the leader it finds; the wait is for one other than it.
    const removed = ops.leader() ?? old;
    const id = await ops.start(removal(how));
    // An abort during the wait leaves the fault in force for the run's final heal.
    const next = await ops.awaitLeader({ withinMs, exclude: removed.node, afterTerm: removed.term });
    if (next) note(`${how} ${removed.node} (term ${removed.term}): ${next.node} leads term ${next.term}`, { outcome: 'ok', fault: id, removed, leader: next });
    else note(`${how} ${removed.node} (term ${removed.term}): no new leader within ${withinMs} ms`, { outcome: 'no-leader', fault: id, removed });
    await ops.heal(id);
    // The healed node rejoins before the next removal (after the last, the run's recovery window follows).
    if (i < spec.times) await ops.sleep(spec.settleMs ?? 300);
  }
}
