import { ApiError, badBody, badStream, badToxicType } from './api/api-error.js';
import { describe, type JsonObject, optionalString } from './api/request-body.js';
import { type Attributes, findToxicKind, type ToxicKind } from './toxic-kind.js';
import './toxics/index.js';

/** The two directions of a connection: upstream = client→server, downstream = server→client. */
export type Stream = 'upstream' | 'downstream';

/** A toxic as configured on a proxy (not yet running anywhere). Immutable; updates make a new one. */
export interface Toxic {
  readonly name: string;
  readonly type: string;
  /** The direction the toxic acts on. */
  readonly stream: Stream;
  /** `stream` as the client spelled it (`UpStream`): the real server echoes it unchanged. */
  readonly streamName: string;
  readonly toxicity: number;
  readonly attributes: Attributes;
  readonly kind: ToxicKind;
}

/** The API's JSON shape of a toxic, with every attribute of its kind present. */
export function toxicJson(toxic: Toxic): object {
  return {
    name: toxic.name,
    type: toxic.type,
    stream: toxic.streamName,
    toxicity: toxic.toxicity,
    attributes: { ...toxic.attributes },
  };
}

/**
 * Reads `stream`: case-insensitive, default `downstream` when absent or null. An empty string
 * is invalid (as in the real server, which only defaults a missing field).
 */
function parseStream(value: unknown): { stream: Stream; streamName: string } {
  if (value === undefined || value === null) return { stream: 'downstream', streamName: 'downstream' };
  if (typeof value !== 'string') throw badStream();
  const lower = value.toLowerCase();
  if (lower !== 'upstream' && lower !== 'downstream') throw badStream();
  return { stream: lower, streamName: value };
}

function parseToxicity(value: unknown, current: number): number {
  if (value === undefined || value === null) return current;
  if (typeof value !== 'number') throw badBody(`field "toxicity" must be a number, got ${describe(value)}`);
  if (!(value >= 0 && value <= 1)) {
    throw new ApiError(400, `toxicity must be between 0 and 1, got ${value}`);
  }
  return value;
}

/** Merges `patch` (a JSON attributes object) into `base`, checking each value against its kind. */
function mergeAttributes(kind: ToxicKind, base: Attributes, patch: unknown): Attributes {
  if (patch !== undefined && patch !== null && (typeof patch !== 'object' || Array.isArray(patch))) {
    throw badBody(`field "attributes" must be an object, got ${describe(patch)}`);
  }
  const given = (patch ?? {}) as JsonObject;
  const out: Record<string, number> = {};
  for (const spec of kind.attributes) {
    const value = given[spec.name];
    if (value === undefined || value === null) {
      out[spec.name] = base[spec.name] ?? 0;
      continue;
    }
    if (typeof value !== 'number') {
      throw badBody(`attribute "${spec.name}" must be a number, got ${describe(value)}`);
    }
    if (!Number.isInteger(value)) {
      throw new ApiError(400, `attribute ${spec.name} must be a whole number of ${spec.unit}, got ${value}`);
    }
    if (value < spec.min || value > spec.max) {
      throw new ApiError(
        400,
        `attribute ${spec.name} must be between ${spec.min} and ${spec.max} ${spec.unit}, got ${value}`,
      );
    }
    out[spec.name] = value;
  }
  for (const spec of kind.attributes) {
    const value = out[spec.name]!;
    if (value < spec.min) {
      throw new ApiError(400, `attribute ${spec.name} must be at least ${spec.min} ${spec.unit} (it defaults to 0)`);
    }
  }
  const problem = kind.check?.(out);
  if (problem !== undefined) throw new ApiError(400, `attribute out of range: ${problem}`);
  return out;
}

/** The part of a new toxic decided before its name is checked for uniqueness. */
export interface ToxicHeader {
  readonly name: string;
  readonly stream: Stream;
  /** `stream` as given (see `Toxic.streamName`). */
  readonly streamName: string;
  readonly kind: ToxicKind;
}

/**
 * Reads stream, type and name of a `POST /proxies/{p}/toxics` body, in the real server's order
 * (stream, then type). `name` defaults to `<type>_<stream as given>` (`latency_UpStream`).
 */
export function parseToxicHeader(body: JsonObject): ToxicHeader {
  const { stream, streamName } = parseStream(body.stream);
  const type = body.type;
  const kind = typeof type === 'string' ? findToxicKind(type) : undefined;
  if (kind === undefined) throw badToxicType();
  const name = optionalString(body, 'name') || `${kind.type}_${streamName}`;
  return { name, stream, streamName, kind };
}

/** Completes a new toxic from its header and body: attributes (default 0) and toxicity (default 1). */
export function createToxic(header: ToxicHeader, body: JsonObject): Toxic {
  return {
    name: header.name,
    type: header.kind.type,
    stream: header.stream,
    streamName: header.streamName,
    kind: header.kind,
    attributes: mergeAttributes(header.kind, {}, body.attributes),
    toxicity: parseToxicity(body.toxicity, 1),
  };
}

/** Applies an update body: only `attributes` (merged) and `toxicity` are read. */
export function updateToxic(current: Toxic, body: JsonObject): Toxic {
  return {
    ...current,
    attributes: mergeAttributes(current.kind, current.attributes, body.attributes),
    toxicity: parseToxicity(body.toxicity, current.toxicity),
  };
}
