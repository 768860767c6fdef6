import { badBody } from './api-error.js';

/**
 * Finds where the first JSON value in `text` ends (after leading whitespace), like Go's
 * `json.Decoder` which reads one value and ignores what follows. Returns -1 when the text ends
 * inside the value.
 */
function endOfFirstValue(text: string, start: number): number {
  const first = text[start];
  if (first !== '{' && first !== '[' && first !== '"') {
    let i = start;
    while (i < text.length && !/[\s,\]}{[:"]/.test(text[i]!)) i += 1;
    return i;
  }
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i += 1) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i += 1;
      else if (c === '"') {
        inString = false;
        if (depth === 0) return i + 1;
      }
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth += 1;
    else if (c === '}' || c === ']') {
      depth -= 1;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** Lower-cases object keys recursively so key matching is case-insensitive, as in Go. */
function foldKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(foldKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    const folded = key.toLowerCase();
    // An exact-case key wins over a differently cased duplicate.
    if (!(folded in out) || key === folded) out[folded] = foldKeys(inner);
  }
  return out;
}

/**
 * Parses a request body: the first JSON value, keys folded to lower case. Throws the API's
 * 400 `bad request body: ...` for an empty or malformed body.
 */
export function parseRequestBody(text: string): unknown {
  const start = text.search(/\S/);
  if (start < 0) throw badBody('EOF');
  const end = endOfFirstValue(text, start);
  if (end < 0) throw badBody('unexpected EOF');
  try {
    return foldKeys(JSON.parse(text.slice(start, end)));
  } catch (error) {
    throw badBody((error as Error).message);
  }
}

/** A JSON object, after `parseRequestBody`. */
export type JsonObject = Record<string, unknown>;

/**
 * Checks that a parsed body is an object; 400 naming what it got otherwise. JSON `null` counts
 * as an empty object, as in Go where decoding `null` into a struct leaves it untouched (so a
 * `null` create body gets `missing required field: name`, like the real server).
 */
export function expectObject(value: unknown, what: string): JsonObject {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw badBody(`${what} must be a JSON object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

/** Reads an optional string field; 400 when present with another type. */
export function optionalString(body: JsonObject, field: string): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw badBody(`field "${field}" must be a string, got ${describe(value)}`);
  return value;
}

/** Reads an optional boolean field; 400 when present with another type. */
export function optionalBoolean(body: JsonObject, field: string): boolean | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badBody(`field "${field}" must be a boolean, got ${describe(value)}`);
  return value;
}

/** Names a JSON value's type for error messages. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}
