import { formatRunFlags, quoteArg, type RunFlags } from '../runner/run-flags.js';

/** What a printed command needs of the parsed command line: the run options as the user gave them (the CLI's ScenarioArgs has them). */
export interface ReplayArgs {
  readonly flags: RunFlags;
}

/**
 * The flags of `npm run scenario` that shape a run (not a search), as the user gave them, so a
 * printed command runs the same cluster: the one printer (run-flags.ts) of runtime, nodes,
 * timeouts, toggles and bugs.
 */
export function runFlags(args: ReplayArgs, runtime: string): string[] {
  return formatRunFlags({ ...args.flags, seed: undefined, runtime });
}

/** The command that replays a search's counterexample with fast-check (and shrinks from it). */
export function searchReplayCommand(args: ReplayArgs, runtime: string, seed: number, runs: number, path: string, maxShrinks?: number, more: readonly string[] = []): string {
  const extra = [...(maxShrinks !== undefined ? [`--max-shrinks ${maxShrinks}`] : []), ...more];
  return `npm run scenario random -- --seed ${seed} --runs ${runs} --path ${path} ${[...runFlags(args, runtime), ...extra].join(' ')}`;
}

/** The command that runs a written scenario file once, with the run seed the search used. */
export function fileReplayCommand(args: ReplayArgs, runtime: string, file: string, runSeed: number): string {
  return `npm run scenario ${quoteArg(file)} -- ${formatRunFlags({ ...args.flags, runtime, seed: runSeed }).join(' ')}`;
}
