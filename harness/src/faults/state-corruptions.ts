/**
 * Ways a node's state file (term and vote, node/API.md) can be found corrupt when the node
 * starts: what a torn write, a bad disk or a wrong hand leaves. Each turns the file's text
 * (null: no file) into the corrupted text; every one of them fails our node's validation
 * (node/src/server/storage.ts `parseState`), so a node that starts from one has accepted a
 * corrupt file. The order is the random generator's: append new ones at the end.
 */
export const STATE_CORRUPTIONS: Readonly<Record<StateCorruption, (text: string | null) => string>> = {
  /** Truncated to nothing (a torn write). */
  empty: () => '',
  /** Cut in the middle (a torn write). */
  truncated: (t) => (t ?? stateOf(1, null)).slice(0, Math.max(1, Math.floor((t ?? stateOf(1, null)).length / 2))),
  /** Bytes flipped: no longer JSON. */
  garbled: (t) => (t ?? stateOf(1, null)).replace(/[{}":]/g, '#'),
  /** A version the node does not know, term and vote kept. */
  'wrong-version': (t) => JSON.stringify({ ...fields(t), version: 2 }) + '\n',
  /** The term as a string. */
  'term-string': (t) => JSON.stringify({ ...fields(t), term: String(fields(t).term) }) + '\n',
  /** A term that is not whole. */
  'term-fraction': (t) => JSON.stringify({ ...fields(t), term: Number(fields(t).term) + 0.5 }) + '\n',
  /** A negative term. */
  'term-negative': (t) => JSON.stringify({ ...fields(t), term: -1 - Number(fields(t).term) }) + '\n',
  /** A term past 2^53 (not a safe integer). */
  'term-huge': (t) => JSON.stringify({ ...fields(t), term: 2 ** 60 }) + '\n',
  /** No term at all. */
  'term-missing': (t) => JSON.stringify({ ...fields(t), term: undefined }) + '\n',
  /** The vote as a number. */
  'vote-number': (t) => JSON.stringify({ ...fields(t), votedFor: 7 }) + '\n',
  /** The vote naming no possible node id. */
  'vote-bad-id': (t) => JSON.stringify({ ...fields(t), votedFor: 'no such id!' }) + '\n',
  /** No vote field at all (neither an id nor null). */
  'vote-missing': (t) => JSON.stringify({ ...fields(t), votedFor: undefined }) + '\n',
};

/** A corruption's name (faults/state-corruptions.ts). */
export type StateCorruption =
  | 'empty'
  | 'truncated'
  | 'garbled'
  | 'wrong-version'
  | 'term-string'
  | 'term-fraction'
  | 'term-negative'
  | 'term-huge'
  | 'term-missing'
  | 'vote-number'
  | 'vote-bad-id'
  | 'vote-missing';

/** Every corruption's name, in generator order. */
export const STATE_CORRUPTION_NAMES = Object.keys(STATE_CORRUPTIONS) as StateCorruption[];

/** The text `how` leaves of a state file whose text was `text` (null: there was none). */
export function corruptStateText(how: StateCorruption, text: string | null): string {
  return STATE_CORRUPTIONS[how](text);
}

/** A valid state file's text (the node's format). */
function stateOf(term: number, votedFor: string | null): string {
  return JSON.stringify({ version: 1, term, votedFor }) + '\n';
}

/** The fields of a state file's text, or a fresh node's when it has none or cannot be read. */
function fields(text: string | null): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text ?? '');
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) return { version: 1, term: 0, votedFor: null, ...(v as object) };
  } catch {
    // not JSON: start from a fresh node's
  }
  return { version: 1, term: 0, votedFor: null };
}
