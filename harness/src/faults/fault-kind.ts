import type fc from 'fast-check';
import type { Cut, FaultStartEntry, UnstampedEntry } from '../history/types.js';
import type { NemesisContext } from '../nemesis/targets.js';
import type { Partitioner } from '../network/partitioner.js';
import type { LeaderTerm } from '../poller/leader-view.js';
import type { Cluster } from '../runtime/types.js';
import type { FaultSpec } from './fault-spec.js';
import type { LinkSelector, Target } from '../nemesis/types.js';
import type { Rng } from '../util/rng.js';

/** What starting and healing faults needs from the run. */
export interface FaultEnv {
  cluster: Cluster;
  partitioner: Partitioner;
  rng: Rng;
  /** The settled leader the harness sees now. */
  leader(): LeaderTerm | null;
  /** Fetch the last events of nodes about to die, so their final transitions are kept. */
  flushEvents(nodes: readonly string[]): Promise<void>;
  record(entry: UnstampedEntry): void;
  /** Nodes currently down because of faults in force (killed, stopped or paused). */
  down: Set<string>;
}

/** A fault resolved to concrete nodes and links, not yet applied. */
export interface Planned {
  /** A short human label for reports: "isolate n2 (leader)", "kill n1,n3". */
  label: string;
  /** Nodes the fault is aimed at (the lanes the report marks). */
  targets: string[];
  /** Directed message cuts in force while it holds (reachability treats them as cut links). */
  cuts: Cut[];
  /** Links it slows, throttles or resets, with the toxic's attributes. */
  links?: FaultStartEntry['links'];
  /** Nodes it takes down (killed, stopped, paused): recorded in `fault-start` as `down`. */
  down: string[];
  apply(): Promise<void>;
  heal(): Promise<void>;
}

/**
 * The checks a kind's `validate` may use; each fails with a ConfigError naming `path` and what
 * was expected (scenario/validate.ts implements them).
 */
export interface FieldChecks {
  fail(path: string, why: string): never;
  object(x: unknown, path: string): Record<string, unknown>;
  knownKeys(o: Record<string, unknown>, path: string, allowed: readonly string[], what: string): void;
  int(x: unknown, path: string, min: number, max: number): number;
  oneOf(x: unknown, path: string, choices: readonly string[]): void;
  bool(x: unknown, path: string): void;
  target(x: unknown, path: string): void;
  links(x: unknown, path: string): void;
  nodeId(x: string, path: string): void;
  /** A value as quoted in messages (JSON, cut at 60 characters). */
  show(x: unknown): string;
}

/** Where a node id is named in a fault spec (`steps[1].fault.target`), for `checkNodesFit`. */
export type NodeRefSink = (path: string, node: string) => void;

/** What a kind that runs itself waits for: a settled leader, within `withinMs` (default: the run's leader wait), not `exclude`, of a term above `afterTerm`. */
export interface LeaderWait {
  withinMs?: number;
  exclude?: string;
  afterTerm?: number;
}

/** What a kind that runs itself inside the schedule (a rolling restart, failovers) may do. */
export interface ScheduleOps {
  readonly nodes: readonly string[];
  readonly rng: Rng;
  leader(): LeaderTerm | null;
  /** Wait (bounded) for a settled leader; null when none came in time. */
  awaitLeader(wait?: LeaderWait): Promise<LeaderTerm | null>;
  /** Let run time pass (virtual on the simulated testbed); rejects when the run is aborted. */
  sleep(ms: number): Promise<void>;
  /** Record an info note in the history (what it measured, with `data` for programs). */
  note(message: string, data: Record<string, unknown>): void;
  /** Start a held fault; gives its id. */
  start(spec: FaultSpec): Promise<string>;
  /** Heal the fault with this id. */
  heal(id: string): Promise<void>;
}

/**
 * One kind of fault of the nemesis, everything about it in one file under `faults/kinds/`
 * (as Toxiproxy's toxics are): its fields and their validation, whether it needs a leader, the
 * node ids it names, its random generator, its one-line description, and its plan (which
 * links and nodes it touches, which nodes it takes down, how it is applied and healed through
 * the partitioner and the cluster). A kind's spec type joins `FaultSpec` by declaration merging
 * (`FaultSpecs` in faults/fault-spec.ts). Register it in `faults/registry.ts`.
 */
export interface FaultKind<S extends FaultSpec = FaultSpec> {
  readonly kind: S['kind'];
  /** Its spec's keys besides `kind`, in the order error messages list them. */
  readonly fields: readonly string[];
  /** Where a key wrongly put in this fault belongs (`{ isolate: '; isolate goes inside partition' }`). */
  readonly hints?: Readonly<Record<string, string>>;
  /** Checks the fields of `f` (kind and unknown keys are already checked). */
  validate(f: Record<string, unknown>, path: string, check: FieldChecks): void;
  /** Whether it aims at the leader (the run waits for one before starting it). */
  needsLeader(spec: S): boolean;
  /** Reports every node id it names. */
  nodeRefs(spec: S, path: string, ref: NodeRefSink): void;
  /**
   * Drawn by the random search only when this option is on (`--disk-faults`): kinds that
   * need what not every cluster has, and that would change every seed's schedules if drawn
   * by default.
   */
  readonly randomOptIn?: 'disk-faults';
  /** Its random generator for a cluster of `n` (n >= 3) and the timeout maximum; absent: never generated. */
  readonly random?: { readonly weight: number; arbitrary(n: number, electionTimeoutMax: number): fc.Arbitrary<S> };
  /** A fault in a few words (`kill leader`, `latency 20±5ms around n1`). */
  describe(spec: S): string;
  /**
   * Whether it stops, kills or pauses processes: two such faults never overlap in a random
   * schedule (a pause cannot aim at a node that is down).
   */
  readonly process?: boolean;
  /**
   * Resolves it against the cluster and the current leader (pure but for `ctx.rng`); effects
   * wait for `apply`. Kinds that run themselves (`run`) need not plan.
   */
  plan(spec: S, ctx: NemesisContext, env: FaultEnv): Planned;
  /**
   * Present for kinds the schedule runs rather than holds (a rolling restart): `holdMs` and
   * `id` mean nothing for them and are refused.
   */
  run?(spec: S, ops: ScheduleOps): Promise<void>;
}

/** Whether a target word aims at the leader. */
export function aimsAtLeader(t: Target): boolean {
  return t === 'leader' || t === 'minority-with-leader';
}

/** Whether a link selector aims at the leader. */
export function linksNeedLeader(l: LinkSelector): boolean {
  if (l === 'all') return false;
  return 'around' in l ? aimsAtLeader(l.around) : aimsAtLeader(l.from) || aimsAtLeader(l.to);
}
