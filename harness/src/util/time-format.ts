/**
 * The one way raft-chaos writes a time: milliseconds, like every option, bound and history
 * `t` (`850 ms`, `201.7 ms`, `3891.8 ms`: integers as they are, others to one decimal). Points
 * in a run are measured from the same origin everywhere: the run start recorded in the
 * history (`t = 0` of `run-start`), on the run's own clock (virtual time for `--runtime sim`).
 * The console, the checks' messages and the report all use this style.
 */
export function fmtMs(value: number): string {
  if (!Number.isFinite(value)) return `${value} ms`;
  const r = Math.round(value * 10) / 10;
  return `${Number.isInteger(r) ? r : r.toFixed(1)} ms`;
}

/**
 * The prefix of a console progress line: the run time of the line (history `t`, ms) in the
 * style of `fmtMs`, padded so lines align: `[   2105 ms]`. Before the history is open (no
 * run time yet) the prefix is blank of the same width.
 */
export function consoleStamp(atMs: number | undefined): string {
  if (atMs === undefined || !Number.isFinite(atMs)) return `[${' '.repeat(10)}]`;
  return `[${fmtMs(Math.round(atMs)).padStart(10)}]`;
}
