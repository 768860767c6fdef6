import { ConfigError } from '../../../common/src/errors.js';
import { faultKindOf } from '../faults/registry.js';
import type { FaultSpec, Step } from '../scenario/types.js';
import { aimAt, awaitTrigger, DEFAULT_WITHIN_MS, type NodeEventTap } from './triggers.js';
import type { Clock } from '../util/clock.js';
import type { LeaderWait } from '../faults/fault-kind.js';
import type { LeaderTerm } from '../poller/leader-view.js';
import { needsLeader, startFault, type ActiveFault, type FaultEnv } from './faults.js';

/** What running a schedule needs besides the fault environment. */
export interface ScheduleEnv extends FaultEnv {
  clock: Clock;
  signal: AbortSignal;
  /** Wait (bounded) for a settled leader (not `exclude`, of a term above `afterTerm`); resolves null when none came in time. */
  awaitLeader(timeoutMs: number, wait?: Omit<LeaderWait, 'withinMs'>): Promise<LeaderTerm | null>;
  /** How long to wait for a leader before a fault that aims at one, and between rolling restarts. */
  leaderWaitMs: number;
  progress(message: string): void;
  /** Node events as they are recorded, for steps fired by one (`on`); absent: such steps are refused. */
  events?: NodeEventTap;
  /** How often a triggered step looks for its event (ms; default 10, 1 on virtual time). */
  eventStepMs?: number;
  /** The observer records every node's events as they happen (a long poll per node): a triggered step only watches for its event, it reads no `/events` itself. */
  eventsFollowed?: boolean;
  /** The history's time now (entries' `t`; default `clock.now()`, which it is on virtual time). */
  runTime?: () => number;
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
        const spec = step.on ? await this.triggered(step) : step.fault;
        if (spec === undefined) continue;
        const fault = await this.start(spec, step.id, step.on !== undefined);
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

  /**
   * Waits for the node event of a triggered step (at most its `withinMs`), then until its delay
   * after the event, and returns its fault aimed at the node whose event fired it; undefined
   * (and a note) when no such event came in time.
   */
  private async triggered(step: Extract<Step, { fault: FaultSpec }>): Promise<FaultSpec | undefined> {
    const on = step.on!;
    if (!this.env.events) throw new ConfigError(`a step fired by a node event (on: ${on.event}) cannot run here: this runner does not follow node events`);
    const within = step.withinMs ?? DEFAULT_WITHIN_MS;
    const clock = this.env.clock;
    const runTime = this.env.runTime ?? (() => clock.now());
    const hit = await awaitTrigger(on, within, {
      tap: this.env.events,
      now: runTime,
      sleep: (ms) => clock.sleep(ms, this.env.signal),
      flushEvents: this.env.eventsFollowed ? async () => {} : () => this.env.flushEvents(this.env.cluster.nodes),
      stepMs: this.env.eventStepMs ?? 10,
    });
    const what = `${on.event}${on.node && on.node !== 'any' ? ` of ${on.node}` : ''}`;
    if (!hit) {
      this.env.record({ type: 'note', level: 'info', message: `trigger ${what}: no such event within ${within} ms; ${step.fault.kind} not started` });
      this.env.progress(`trigger ${what}: no event within ${within} ms, fault skipped`);
      return undefined;
    }
    const d = step.delayMs;
    const delay = d === undefined ? 0 : typeof d === 'number' ? d : d[0] + this.env.rng.int(d[1] - d[0] + 1);
    const wait = hit.t + delay - runTime();
    if (wait > 0) await clock.sleep(wait, this.env.signal);
    this.env.record({ type: 'note', level: 'info', message: `trigger ${what}: ${hit.node} at ${hit.t.toFixed(1)} ms (${hit.kind}, term ${hit.term}); ${step.fault.kind} at +${delay} ms` });
    this.env.progress(`trigger ${what} by ${hit.node} (term ${hit.term}): ${step.fault.kind} after ${delay} ms`);
    return aimAt(step.fault, hit.node);
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

  /**
   * Starts a fault. A triggered one (`atOnce`) lands as soon as it can: a kill or stop does not
   * read its targets' last events first (that read waits for a node's write in progress, which
   * is the very moment the trigger aims at); the history notes that their events after the
   * last read are unknown.
   */
  private async start(spec: FaultSpec, stepId?: string, atOnce = false): Promise<ActiveFault> {
    if (needsLeader(spec) && this.env.leader() === null) {
      this.env.progress(`fault waits for a leader (up to ${this.env.leaderWaitMs} ms)`);
      await this.env.awaitLeader(this.env.leaderWaitMs);
    }
    if (stepId !== undefined && this.active.has(stepId)) {
      throw new ConfigError(`fault id "${stepId}" is already in force; give each held fault its own id`);
    }
    let id = stepId;
    while (id === undefined || this.active.has(id)) id = `f${this.nextId++}`;
    const env: FaultEnv = atOnce ? { ...this.env, flushEvents: async (nodes) => this.unread(nodes) } : this.env;
    const fault = await startFault(spec, id, env);
    this.active.set(id, fault);
    const leader = this.env.leader();
    this.env.progress(`fault  ${id} ${fault.label}${leader ? ` (leader was ${leader.node}, term ${leader.term})` : ' (no leader)'}`);
    return fault;
  }

  /** Notes that these nodes go down without their last events read (a triggered fault does not wait). */
  private unread(nodes: readonly string[]): void {
    if (nodes.length === 0) return;
    this.env.record({
      type: 'note',
      level: 'info',
      message: `${nodes.join(', ')} taken down at once, without reading ${nodes.length === 1 ? 'its' : 'their'} last events first (a fault fired by a node event does not wait): events logged after the last read are unknown`,
    });
  }

  /**
   * Runs a kind that runs itself (a rolling restart, failovers: each restart or removal its own
   * held fault, started and healed here, with bounded waits for a settled leader).
   */
  private async runKind(spec: FaultSpec): Promise<void> {
    const { signal, clock } = this.env;
    await faultKindOf(spec).run!(spec, {
      nodes: this.env.cluster.nodes,
      rng: this.env.rng,
      leader: () => this.env.leader(),
      awaitLeader: ({ withinMs, ...wait } = {}) => this.env.awaitLeader(withinMs ?? this.env.leaderWaitMs, wait),
      sleep: (ms) => clock.sleep(ms, signal),
      note: (message, data) => this.env.record({ type: 'note', level: 'info', message, data }),
      start: async (s) => (await this.start(s)).id,
      heal: (id) => this.healOne(id),
    });
  }
}
