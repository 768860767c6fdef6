import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError, RaftChaosError } from '../../../common/src/errors.js';
import { parseErrorText } from '../../../common/src/option-table.js';
import { EXIT_CODES } from '../checkers/types.js';
import { survivesLostTerminal } from '../util/lost-terminal.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h' } };
/** The values `parseOptions` gives for the options `O` (and `help`). */
export type OptionValues<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: WithHelp<O>; strict: true; allowPositionals: false }>>['values'];

/**
 * A command's options (node:util parseArgs, strict, no positionals) with `--help`/`-h` added.
 * A bad option is a ConfigError carrying the usage; `--help` prints the usage and gives
 * undefined, so the caller returns 0.
 */
export function parseOptions<const O extends Options>(argv: readonly string[], options: O, usage: string): OptionValues<O> | undefined {
  let values: Record<string, unknown>;
  try {
    ({ values } = parseArgs({ args: [...argv], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }));
  } catch (err) {
    throw new ConfigError(`${parseErrorText(err, Object.keys(options))}\n${usage}`, { cause: err });
  }
  if (values['help']) {
    console.log(usage);
    return undefined;
  }
  return values as OptionValues<O>;
}

/**
 * The one prefix of every message a command prints about itself (errors, refusals, Ctrl-C):
 * `raft-chaos scenario: `, `raft-chaos report: `, ... for the command `command`.
 */
export function commandPrefix(command: string): string {
  return `raft-chaos ${command}:`;
}

/**
 * Runs a command's main and exits with its code. A RaftChaosError (bad input, no engine, ...)
 * is printed as `raft-chaos <command>: message`; a ConfigError (usage) exits 2, any other error 3
 * (could not run: no engine, a port taken; anything unexpected is printed whole under the same
 * prefix). See EXIT_CODES.
 * `exit` ends the process at once (for commands whose clients keep sockets open). Output to a
 * terminal or pipe that went away is dropped rather than crashing the command (lost-terminal).
 */
export function runMain(command: string, main: () => Promise<number>, opts: { exit?: boolean } = {}): void {
  survivesLostTerminal(); // a closed terminal (SIGHUP) must not crash the cleanup
  const end = (code: number) => {
    if (opts.exit) process.exit(code);
    process.exitCode = code;
  };
  main().then(end, (err: unknown) => {
    if (err instanceof RaftChaosError) console.error(`${commandPrefix(command)} ${err.message}`);
    else console.error(`${commandPrefix(command)} unexpected error:`, err);
    end(err instanceof ConfigError ? EXIT_CODES.usage : EXIT_CODES.couldNotRun);
  });
}
