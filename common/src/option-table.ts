import { parseArgs } from 'node:util';
import { didYouMean } from './did-you-mean.js';
import { ConfigError } from './errors.js';

/**
 * One command-line option, declared once: the parser (node:util parseArgs), the usage text and
 * the old names it still answers to are all derived from it.
 */
export interface OptionSpec {
  /** Long name without dashes: `report-dir`. */
  readonly name: string;
  readonly type: 'string' | 'boolean';
  readonly multiple?: boolean;
  readonly short?: string;
  /** Old names still accepted (`out` for `report-dir`); usage shows the new name only. */
  readonly aliases?: readonly string[];
  /** The left column of usage: `--nodes N`, `--pre-vote / --no-pre-vote`. */
  readonly usage: string;
  /** The right column; lines after the first are indented under it. */
  readonly help: string;
}

/** What `parseTable` gives: values by option name, and the positionals. */
export interface ParsedTable {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/**
 * Parses `argv` against `specs` (strict: unknown options are a ConfigError carrying `usage`).
 * Beyond parseArgs: an alias is read as its option (`--out x` is `--report-dir x`), `--no-X`
 * of a boolean sets it false, and a value that starts with a dash and a digit (`--nodes -1`)
 * is taken as the value, so the option's own check names it ("--nodes must be ..., got "-1"")
 * instead of parseArgs calling it ambiguous.
 */
export function parseTable(argv: readonly string[], specs: readonly OptionSpec[], usage: string, opts: { positionals?: boolean } = {}): ParsedTable {
  const byName = new Map<string, OptionSpec>();
  for (const s of specs) for (const n of [s.name, ...(s.aliases ?? [])]) byName.set(n, s);
  const args: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const m = /^--([^=]+)(=.*)?$/.exec(a);
    const spec = m ? byName.get(m[1]!) : undefined;
    if (!m || !spec) {
      args.push(a);
      continue;
    }
    const flag = `--${spec.name}`;
    if (m[2] !== undefined) args.push(`${flag}${m[2]}`);
    else if (spec.type === 'string' && /^-\d/.test(argv[i + 1] ?? '')) args.push(`${flag}=${argv[++i]}`);
    else args.push(flag);
  }
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: opts.positionals ?? false,
      allowNegative: specs.some((s) => s.type === 'boolean'),
      options: Object.fromEntries(
        specs.map((s) => [s.name, { type: s.type, ...(s.multiple ? { multiple: true } : {}), ...(s.short ? { short: s.short } : {}) }]),
      ),
    });
  } catch (err) {
    const known = specs.flatMap((s) => [s.name, ...(s.type === 'boolean' && s.name !== 'help' ? [`no-${s.name}`] : [])]);
    throw new ConfigError(`${parseErrorText(err, known)}\n\n${usage}`, { cause: err });
  }
  return { values: parsed.values as ParsedTable['values'], positionals: parsed.positionals };
}

/**
 * node:util parseArgs's error in our words: `unknown option --nods (did you mean --nodes?)`,
 * `--seed needs a value`, `--list takes no value`, `unexpected argument "x"`. Node's own advice
 * (`To specify a positional argument starting with a '-' ...`) never reaches the user. `known`
 * are the long names the command takes (without dashes), for the did-you-mean.
 */
export function parseErrorText(err: unknown, known: readonly string[]): string {
  const message = (err as Error).message ?? String(err);
  const code = (err as { code?: string }).code;
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const hint = quoted.startsWith('--') ? didYouMean(quoted.slice(2), known).replace(/"([^"]+)"/, '--$1') : '';
    return `unknown option ${quoted}${hint}`;
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = quoted.replace(/ <value>$/, '');
    if (/does not take an argument/.test(message)) return `${flag} takes no value`;
    if (/ambiguous/.test(message)) return `${flag} needs a value (for one that starts with a dash, write ${flag}=-VALUE)`;
    return `${flag} needs a value`;
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `unexpected argument "${quoted}" (this command takes options only)`;
  return message.split('\n')[0]!;
}

/**
 * `words` joined with `, ` into lines of at most `width` characters (a list in an option's help,
 * which usage indents under the option's first help line).
 */
export function wrapList(words: readonly string[], width = 64): string {
  const lines: string[] = [];
  let line = '';
  for (const [i, w] of words.entries()) {
    const item = i < words.length - 1 ? `${w},` : w;
    if (line && line.length + 1 + item.length > width) {
      lines.push(line);
      line = item;
    } else line = line ? `${line} ${item}` : item;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** The usage lines of `specs`, two columns, in table order. */
export function usageOf(specs: readonly OptionSpec[], width = 28): string {
  return specs
    .map((s) => {
      const [first, ...more] = s.help.split('\n');
      const left = `  ${s.usage}`;
      const head = left.length < width ? `${left.padEnd(width)}${first}` : `${left}\n${' '.repeat(width)}${first}`;
      return [head, ...more.map((l) => `${' '.repeat(width)}${l}`)].join('\n');
    })
    .join('\n');
}
