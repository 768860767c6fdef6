/**
 * `20261128-221530123-partition-leader-s42`: the wall time (UTC, to the ms), scenario and seed;
 * sortable, usable in proxy and container names. `claimRunDir` makes a directory of that name
 * unique in a report directory.
 */
export function makeRunId(scenario: string, seed: number, wallMs: number): string {
  const d = new Date(wallMs);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${d.getUTCFullYear()}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}-${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}${p(d.getUTCMilliseconds(), 3)}`;
  return `${stamp}-${scenario.slice(0, 40)}-s${seed}`;
}
