/**
 * A container's log with one line before each of its lives, as the process runtime writes
 * before each start: `--- raft-chaos: starting n1 (container c) at <ISO time> ---`. Pure: the
 * log entries and the container's start/die events come from the engine (see run-logs.ts).
 */

/** One log entry: when the engine read it (µs since the epoch) and its text. */
export interface LogEntry {
  atUs: number;
  text: string;
}

/** A start or die of the container, by the engine's clock (µs since the epoch). */
export interface LifeEvent {
  action: 'start' | 'die';
  atUs: number;
}

/**
 * Parses one entry the engine returned with `timestamps: true`: `<RFC 3339 time> <text>`.
 * Undefined when it does not start with a time.
 */
export function parseTimestamped(entry: string): LogEntry | undefined {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z ([\s\S]*)$/.exec(entry);
  if (!m) return undefined;
  const seconds = Date.parse(`${m[1]}Z`);
  if (Number.isNaN(seconds)) return undefined;
  return { atUs: seconds * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6)), text: m[3]! };
}

/**
 * The entries' texts with `header(startUs)` before each life. A life's entries are those read
 * after its start; since the engine reads all of a life's output before it reports its death,
 * the boundary between two lives is the death between their starts (or the later start when
 * no death was seen). Entries before the first start belong to the first life. Without any
 * start event, the texts alone.
 */
export function markLives(entries: readonly LogEntry[], events: readonly LifeEvent[], header: (startUs: number) => string): string {
  const sorted = [...events].sort((a, b) => a.atUs - b.atUs);
  const starts = sorted.filter((e) => e.action === 'start').map((e) => e.atUs);
  if (starts.length === 0) return entries.map((e) => e.text).join('');
  // boundaries[i]: entries at or after it belong to life i+1.
  const boundaries = starts.slice(1).map((start, i) => {
    const died = sorted.filter((e) => e.action === 'die' && e.atUs > starts[i]! && e.atUs <= start).at(-1);
    return died?.atUs ?? start;
  });
  let out = header(starts[0]!);
  let life = 0;
  for (const e of entries) {
    while (life < boundaries.length && e.atUs >= boundaries[life]!) out += header(starts[++life]!);
    out += e.text;
  }
  while (life < boundaries.length) out += header(starts[++life]!);
  return out;
}

/** The line before a life: the process runtime's wording, with the container in place of the address. */
export function lifeHeader(name: string, container: string): (startUs: number) => string {
  return (startUs) => `--- raft-chaos: starting ${name} (container ${container}) at ${new Date(Math.floor(startUs / 1000)).toISOString()} ---\n`;
}
