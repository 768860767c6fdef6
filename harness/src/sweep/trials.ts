import { roundsBetween } from '../exercises/election-rounds.js';
import type { Rng } from '../util/rng.js';
import type { Lab } from './lab.js';
import type { SweepFault } from './sweep-args.js';

/** One removal of the leader and what followed. Times are from the fault, ms. */
export interface Trial {
  index: number;
  fault: SweepFault;
  /** `ok`: a new settled leader; `no-leader`: none within the trial timeout; `no-leader-before`: none to remove. */
  outcome: 'ok' | 'no-leader' | 'no-leader-before';
  oldLeader: string | null;
  oldTerm: number | null;
  newLeader: string | null;
  newTerm: number | null;
  /** Fault to the new leader's own `become-leader` event (what the paper measured). */
  electedMs: number | null;
  /** Fault to a leader settled (followed by a majority) as the harness's polls saw it. */
  settledMs: number | null;
  /** Terms the election took (new term - old term); more than 1 means a split vote (or a lost one). */
  terms: number | null;
  /** Terms in which someone stood (`become-candidate`) between the old and the new term. */
  rounds: number | null;
  /** Without a new leader: what each node last answered. */
  detail?: string;
}

/** How a range's trials run. */
export interface TrialPlan {
  trials: number;
  faults: readonly SweepFault[];
  /** Longest wait for a new leader, and for a leader to remove. */
  trialTimeoutMs: number;
  /** Pause after each heal before the next trial (the healed node rejoins), plus a seeded U(0, heartbeat). */
  settleMs: number;
  heartbeatMs: number;
  rng: Rng;
  /** Stop starting trials when this returns true (time limit, Ctrl-C). */
  stop(): boolean;
  onTrial?(t: Trial): void;
}

/**
 * Runs the plan's trials on a lab: wait for a settled leader, wait a seeded U(0, heartbeat) so
 * the fault lands at a random point of the heartbeat interval (as the paper's crashes did),
 * remove the leader with a seeded choice of fault, wait (bounded) for a settled leader other
 * than it in a later term, read the `become-leader` event, heal (restart, heal, resume), settle.
 * Never waits longer than `trialTimeoutMs` for anything, so a range that cannot elect finishes.
 */
export async function runTrials(lab: Lab, plan: TrialPlan): Promise<Trial[]> {
  const out: Trial[] = [];
  let leaderless = 0;
  for (let index = 0; index < plan.trials && !plan.stop(); index++) {
    const fault = plan.rng.pick(plan.faults);
    const jitter = plan.rng.next() * plan.heartbeatMs;
    const empty = { index, fault, oldLeader: null, oldTerm: null, newLeader: null, newTerm: null, electedMs: null, settledMs: null, terms: null, rounds: null };
    const old = await lab.waitForLeader(plan.trialTimeoutMs);
    if (old === null) {
      const t: Trial = { ...empty, outcome: 'no-leader-before', detail: lab.describe() };
      out.push(t);
      plan.onTrial?.(t);
      // A cluster that stays leaderless this long will not recover by waiting: stop the range.
      if (++leaderless >= 3) break;
      continue;
    }
    leaderless = 0;
    await lab.sleep(jitter);
    await lab.flushEvents([old.node]);
    const at = lab.now();
    let heal: () => Promise<void>;
    if (fault === 'kill') {
      await lab.cluster.kill(old.node);
      heal = () => lab.cluster.start(old.node);
    } else if (fault === 'pause') {
      await lab.cluster.pause(old.node);
      heal = () => lab.cluster.resume(old.node);
    } else {
      heal = await lab.isolate(old.node);
    }
    let t: Trial;
    try {
      const next = await lab.waitForLeader(plan.trialTimeoutMs, { exclude: old.node, afterTerm: old.term });
      const settledMs = next ? lab.now() - at : null;
      await lab.flushEvents(lab.cluster.nodes.filter((n) => n !== old.node || fault === 'isolate'));
      const events = lab.events();
      const won = next ? events.find((e) => e.kind === 'become-leader' && e.node === next.node && e.term === next.term) : undefined;
      t = {
        index,
        fault,
        outcome: next ? 'ok' : 'no-leader',
        oldLeader: old.node,
        oldTerm: old.term,
        newLeader: next?.node ?? null,
        newTerm: next?.term ?? null,
        electedMs: won ? Math.max(0, won.t - at) : null,
        settledMs,
        terms: next ? next.term - old.term : null,
        rounds: next ? roundsBetween(events, old.term, next.term) : null,
        ...(next ? {} : { detail: lab.describe() }),
      };
    } finally {
      await heal();
    }
    out.push(t);
    plan.onTrial?.(t);
    await lab.sleep(plan.settleMs);
  }
  return out;
}
