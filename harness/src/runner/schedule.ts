import { ConfigError } from '../../../common/src/errors.js';
import { faultKindOf } from '../faults/registry.js';
import type { FaultSpec, Step } from '../scenario/types.js';
import type { Clock } from '../util/clock.js';
import { needsLeader, startFault, type ActiveFault, type FaultEnv } from './faults.js';

/** What running a schedule needs besides the fault environment. */
export interface ScheduleEnv extends FaultEnv {
  clock: Clock;
  signal: AbortSignal;
  /** Wait (bounded) for a settled leader; resolves false when none came in time. */
  awaitLeader(timeoutMs: number): Promise<boolean>;
  /** How long to wait for a leader before a fault that aims at one, and between rolling restarts. */
  leaderWaitMs: number;
  progress(message: string): void;
}

/**
 * Runs a scenario's steps in order. Faults with `holdMs` are healed after it; others stay in
 * `active` until a `heal` step or the caller's final heal. Rejects with the abort reason when
 * the signal fires (the caller heals what is still in `active`).
 */
export class Schedule {
  /** Faults in force, by step id or fault id. */
  readonly active = new Map<string, ActiveFault>();
  private nextId = 1;

  constructor(private readonly env: ScheduleEnv) {}

  async run(steps: readonly Step[]): Promise<void> {
    for (const step of steps) {
      this.env.signal.throwIfAborted();
      if ('wait' in step) {
        await this.env.clock.sleep(step.wait, this.env.signal);
      } else if ('repeat' in step) {
        for (let i = 0; i < step.repeat; i++) await this.run(step.steps);
      } else if ('heal' in step) {
        await this.heal(step.heal);
      } else if (faultKindOf(step.fault).run) {
        await this.runKind(step.fault);
      } else {
        const fault = await this.start(step.fault, step.id);
        if (step.holdMs !== undefined) {
          try {
            await this.env.clock.sleep(step.holdMs, this.env.signal);
          } finally {
            // An abort during the hold leaves the fault in `active` for the final heal.
            if (!this.env.signal.aborted) await this.healOne(fault.id);
          }
        }
      }
    }
  }

  /** Heals every fault in force (in reverse order of starting), or the one with this id. */
  async heal(which: 'all' | string): Promise<void> {
    if (which !== 'all') return this.healOne(which);
    for (const id of [...this.active.keys()].reverse()) await this.healOne(id);
  }

  private async healOne(id: string): Promise<void> {
    const fault = this.active.get(id);
    if (!fault) return;
    this.active.delete(id);
    this.env.progress(`heal   ${fault.id} ${fault.label}`);
    await fault.heal();
  }

  private async start(spec: FaultSpec, stepId?: string): Promise<ActiveFault> {
    if (needsLeader(spec) && this.env.leader() === null) {
      this.env.progress(`fault waits for a leader (up to ${this.env.leaderWaitMs} ms)`);
      await this.env.awaitLeader(this.env.leaderWaitMs);
    }
    if (stepId !== undefined && this.active.has(stepId)) {
      throw new ConfigError(`fault id "${stepId}" is already in force; give each held fault its own id`);
    }
    let id = stepId;
    while (id === undefined || this.active.has(id)) id = `f${this.nextId++}`;
    const fault = await startFault(spec, id, this.env);
    this.active.set(id, fault);
    const leader = this.env.leader();
    this.env.progress(`fault  ${id} ${fault.label}${leader ? ` (leader was ${leader.node}, term ${leader.term})` : ' (no leader)'}`);
    return fault;
  }

  /**
   * Runs a kind that runs itself (a rolling restart: each restart its own held fault, started
   * and healed here, with bounded waits for a settled leader).
   */
  private async runKind(spec: FaultSpec): Promise<void> {
    await faultKindOf(spec).run!(spec, {
      nodes: this.env.cluster.nodes,
      rng: this.env.rng,
      leader: () => this.env.leader(),
      awaitLeader: () => this.env.awaitLeader(this.env.leaderWaitMs),
      start: async (s) => (await this.start(s)).id,
      heal: (id) => this.healOne(id),
    });
  }
}
