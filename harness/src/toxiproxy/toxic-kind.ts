import type { StageContext, ToxicStage } from './stage.js';

/** Numeric limits of one toxic attribute. Every attribute is a JSON number, default 0. */
export interface AttributeSpec {
  /** Attribute name as it appears in JSON (lower case, e.g. `average_size`). */
  readonly name: string;
  /** Unit shown in error messages, e.g. `ms`. */
  readonly unit: string;
  readonly min: number;
  readonly max: number;
}

/** Attribute values of a toxic, keyed by the attribute names of its kind. */
export type Attributes = Readonly<Record<string, number>>;

/**
 * One kind of toxic (latency, bandwidth, ...): its attributes and how to run it on a link.
 * Kinds register themselves with `registerToxicKind` from their own file under `toxics/`.
 */
export interface ToxicKind {
  /** The `type` string of the API. */
  readonly type: string;
  readonly attributes: readonly AttributeSpec[];
  /** Checks that span attributes (each one is already in range); returns the problem or undefined. */
  check?(attributes: Attributes): string | undefined;
  /** Per-connection, per-direction state that survives updates of the toxic (limit_data's count). */
  newState?(): unknown;
  /** Starts the toxic on one direction of one connection. */
  createStage(ctx: StageContext, attributes: Attributes, state: unknown): ToxicStage;
}

/** Largest timer the runtime honours (about 24.8 days), the upper bound of every time attribute. */
export const MAX_TIMER_MS = 2_147_483_647;

const kinds = new Map<string, ToxicKind>();

/** Adds a kind to the registry. Throws if the type is already taken (two files claiming one type). */
export function registerToxicKind(kind: ToxicKind): void {
  if (kinds.has(kind.type)) throw new Error(`toxic type ${kind.type} registered twice`);
  kinds.set(kind.type, kind);
}

/** The registered kind for an API `type`, or undefined. */
export function findToxicKind(type: string): ToxicKind | undefined {
  return kinds.get(type);
}

/** Every registered type, sorted. */
export function toxicTypes(): string[] {
  return [...kinds.keys()].sort();
}
