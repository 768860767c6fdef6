/**
 * The nightly's sharding options, `--shard K/N` and `--sizes LIST`, parsed and taken out of its
 * arguments before its own option parsing sees them.
 */
import { ConfigError } from '../../../common/src/errors.js';
import type { Shard } from './plan.js';

/** Parses `--shard K/N` (1 ≤ K ≤ N ≤ 256); a ConfigError naming the bad value otherwise. */
export function parseShard(raw: string): Shard {
  const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(raw);
  const k = m ? Number(m[1]) : NaN;
  const n = m ? Number(m[2]) : NaN;
  if (!m || n < 1 || n > 256 || k < 1 || k > n) {
    throw new ConfigError(`--shard must be K/N with 1 <= K <= N <= 256 (e.g. --shard 2/3), got "${raw}"`);
  }
  return { k, n };
}

/** Parses `--sizes 3,5,7`: cluster sizes from 3 to 15, sorted, each once. */
export function parseSizes(raw: string): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  const sizes = parts.map(Number);
  if (parts.some((p) => !/^\d+$/.test(p)) || sizes.some((n) => n < 3 || n > 15)) {
    throw new ConfigError(`--sizes must be cluster sizes from 3 to 15, comma-separated (e.g. --sizes 3,5,7), got "${raw}"`);
  }
  return [...new Set(sizes)].sort((a, b) => a - b);
}

/** Takes `--NAME V` / `--NAME=V` out of `argv` (into `rest`); undefined when absent. */
function take(argv: readonly string[], name: string, hint: string, rest: string[]): string | undefined {
  let raw: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === `--${name}` || a.startsWith(`--${name}=`)) {
      if (raw !== undefined) throw new ConfigError(`--${name} given twice`);
      raw = a === `--${name}` ? argv[++i] : a.slice(name.length + 3);
      if (raw === undefined || raw.startsWith('--')) throw new ConfigError(`--${name} needs a value ${hint}`);
    } else rest.push(a);
  }
  return raw;
}

/**
 * Takes the sharding options, `--shard K/N` and `--sizes LIST` (each also as `--name=value`),
 * out of the nightly's arguments: their values (undefined when not given) and the other
 * arguments, for the nightly's own option parsing.
 */
export function takeShard(argv: readonly string[]): { shard: Shard | undefined; sizes: number[] | undefined; rest: string[] } {
  const afterShard: string[] = [];
  const shard = take(argv, 'shard', 'K/N (e.g. --shard 2/3)', afterShard);
  const rest: string[] = [];
  const sizes = take(afterShard, 'sizes', 'such as 3,5,7', rest);
  return { shard: shard === undefined ? undefined : parseShard(shard), sizes: sizes === undefined ? undefined : parseSizes(sizes), rest };
}
